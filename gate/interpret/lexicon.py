"""The vocabulary coverage reads: function words, and per service the attribute words and the spec field each sets.

An attribute word claims its span only when the resource built from its segment carries that field (a value that
is not empty); a word for a yes/no setting also has a polarity, checked against the built value and the negation
before it ("no public IP" must not become ``public_ip: true``).  Words that set nothing stay unclaimed, and
:mod:`gate.interpret.coverage` reports them as not understood.
"""

from __future__ import annotations

import re

from gate.interpret.vocab import Entry as Entry  # re-exported: coverage reads lexicon.Entry
from gate.interpret.vocab import entry as _e
from gate.services import CATALOG

# Words that carry no setting of their own: articles, prepositions, pronouns, auxiliaries, politeness, the verbs of
# asking for something, and the conjunctions that join its parts.  A closed list: a content word is never here.
_FUNCTION_WORDS = """
a an the this that these those some any each every both either all other another such same and or nor but plus
also then too as well so thus either neither of to in into onto on at by for from with within via per about
across over under between through out up down off i we you they it its it's our ours my me us them their your is
are be been being was were am do does did done have has had having will would shall should can could may might
must need needs needed want wants wanted like would'd 'd i'd we'd we'll i'll let's lets please thanks thank
kindly create creates creating add adds adding make makes making set sets setup provision provisions deploy
deploys launch launches spin stand bring build builds get give gives put start starts run using use uses used
new just only also one which who whose where when what there here now today going able ready enabled enable
enables enabling turned turn switched running on after
change request requests become becomes became hey hi hello thinking maybe perhaps fine okay ok last
place somewhere wire wires wired hook
before than until within spanning across behind whenever if once
least most
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
# words that only say how the parts of a request relate; claimed as function words wherever they stand
_CONNECTIVES = "so that such while whilst because since though although"
CONNECTIVES = frozenset(_CONNECTIVES.split())
NEGATION = re.compile(
    r"\b(?:no|not|never|without|non|nothing|none|disable[ds]?|disabling|off|turn\s+off|don'?t|doesn'?t|isn'?t|"
    r"shouldn'?t|mustn'?t|cannot|can'?t)\b",
    re.I,
)


# words every resource may carry
COMMON: tuple[Entry, ...] = (
    _e(r"resources?|stacks?|services?|ones?|things?", "name"),
    _e(r"tag(?:s|ged|ging)?|labell?ed|labels?", "tags"),
    _e(r"named|called|name(?:d)?|names?|identifier|id|call\s+it|call\s+them", "name"),
    _e(r"existing|current|already", "name"),
)
# spec kind -> attribute phrases: each service's in its folder (``gate/services/<name>/lexicon.py`` WORDS)
LEXICON: dict[str, tuple[Entry, ...]] = {
    kind: entries for service in CATALOG.values() for kind, entries in service.lexicon.words.items()
}
# the duration and size units a value token may carry (the token before them holds the number)
UNITS = re.compile(
    r"(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|months?|years?|yrs?|gb|gib|g|mb|mib|tb|"
    r"tib|kb|kib|kilobytes?|terabytes?|gigabytes?|megabytes?|ms|milliseconds?|%|percent|pct|vcpus?|cpus?|cores?|"
    r"iops|am|pm|utc)",
    re.I,
)
COMPILED: dict[str, tuple[tuple[Entry, re.Pattern[str]], ...]] = {
    kind: tuple((e, re.compile(rf"(?<![\w-])(?:{e.pattern})(?![\w-])", re.I)) for e in (*entries, *COMMON))
    for kind, entries in LEXICON.items()
}

# settings the gate builds on every resource of a kind (not spec fields): a request that asks for them is read as
# asking for what is always there ('EBS-optimized', 'IMDSv2', 'X-Ray tracing'); negated, they are not claimed
ALWAYS: dict[str, str] = {kind: words for service in CATALOG.values() for kind, words in service.lexicon.always.items()}
ALWAYS_RE = {kind: re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.I) for kind, words in ALWAYS.items()}
# settings the gate never builds on a kind: a request that rules them out ('must not be publicly accessible') is read
NEVER: dict[str, str] = {kind: words for service in CATALOG.values() for kind, words in service.lexicon.never.items()}
NEVER_RE = {kind: re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.I) for kind, words in NEVER.items()}
