"""Actions the request names one by one ('sqs:ReceiveMessage, sqs:DeleteMessage on arn:aws:sqs:...', 'kms:Decrypt
on key arn:aws:kms:...', 'read access to the bucket b (s3:GetObject and s3:ListBucket)') are granted exactly as
named: never widened to a whole read or write set.  Widening is for vague words only ('read access').

A run of named actions takes its target from what follows it ('on', 'to', 'for' an ARN, a named resource or 'it');
a run in brackets right after an access phrase narrows that phrase's actions instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# 'sqs:ReceiveMessage', 'kms:Decrypt', 's3:GetObject'; a wildcard is kept so the spec refuses it with its reason
ACTION = r"[a-z][a-z0-9-]*:[A-Z][A-Za-z0-9]*\*?|[a-z][a-z0-9-]*:\*"
_SEP = r"\s*(?:,\s*(?:and\s+|or\s+|plus\s+)?|\band\b|\bor\b|\bplus\b|&|/)\s*"
RUN = re.compile(rf"`?(?<![\w:])(?:{ACTION})`?(?:{_SEP}`?(?:{ACTION})`?)*")
_ONE = re.compile(ACTION)
_ARN = r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:[A-Za-z0-9._:/*+=,@-]*[A-Za-z0-9*]"
_ARNS = re.compile(rf"({_ARN})(?:{_SEP}({_ARN}))*")
_TARGET = re.compile(
    r"^\s*(?:only\s+)?(?:on|to|for|against|in|over)\s+(?:the\s+|an?\s+|our\s+)?(?:existing\s+)?"
    r"(?:(?:kms\s+)?keys?\s+|(?:sqs\s+)?queues?\s+|(?:s3\s+)?buckets?\s+|(?:dynamodb\s+)?tables?\s+|"
    r"(?:sns\s+)?topics?\s+|log\s+groups?\s+|secrets?\s+|parameters?\s+|streams?\s+|functions?\s+)?",
    re.I,
)
_PRONOUN = re.compile(r"^\s*(?:on|to|for|against|in)\s+(?:it|them)\b", re.I)


@functools.cache
def _targets() -> tuple[re.Pattern[str], dict[str, str]]:
    """'on the bucket reports', 'to the SQS queue jobs': a target named by kind and name, for every grantable
    service's ``target_head`` (``gate/services/<name>/lexicon.py`` grants); and head word -> spec kind."""
    from gate.services import CATALOG  # here, not at the top: the services' recognisers import this module

    grantable = [(g, g.target_head) for service in CATALOG.values() for g in service.lexicon.grants]
    heads = {head: g for g, head in grantable if head is not None}
    nouns = "|".join(rf"(?:{re.escape(g.prefix)}\s+)?{re.escape(head)}" for head, g in heads.items())
    pattern = re.compile(
        rf"^\s*(?:only\s+)?(?:on|to|for|against|in|over)\s+(?:the\s+|our\s+)?(?:existing\s+)?(?P<noun>{nouns})s?"
        r"\s+(?:named\s+|called\s+)?[\"'`]?(?P<name>[a-z0-9][a-z0-9._-]*[a-z0-9])",
        re.I,
    )
    return pattern, {head: g.kind for head, g in heads.items()}


@dataclass(frozen=True)
class Run:
    start: int
    end: int
    actions: list[str]
    arns: list[str]  # ARNs the run is granted on
    noun: str | None = None  # 'bucket' in 'on the bucket reports'
    name: str | None = None  # 'reports'
    pronoun: bool = False  # 'on it'
    bracketed: bool = False  # '(s3:GetObject and s3:ListBucket)': narrows the access phrase before it


def runs(text: str) -> list[Run]:
    """Every run of named actions in ``text``, with the target written after it."""
    out: list[Run] = []
    for found in RUN.finditer(text):
        actions = list(dict.fromkeys(_ONE.findall(found.group(0))))
        if not actions:
            continue
        before = text[: found.start()].rstrip()
        after = text[found.end() :]
        bracketed = before.endswith("(") or bool(re.match(r"\s*(?:only\s*)?\)", after))
        target = _TARGET.match(after)
        arns = _ARNS.match(after[target.end() :]) if target else None
        if arns:
            listed = re.findall(_ARN, arns.group(0))
            out.append(Run(found.start(), found.end(), actions, listed, bracketed=bracketed))
            continue
        noun = _targets()[0].match(after)
        if noun:
            kind = noun.group("noun").split()[-1].lower()
            out.append(Run(found.start(), found.end(), actions, [], kind, noun.group("name"), bracketed=bracketed))
            continue
        out.append(Run(found.start(), found.end(), actions, [], pronoun=bool(_PRONOUN.match(after)),
                       bracketed=bracketed))  # fmt: skip
    return out


def blank(text: str) -> str:
    """``text`` with every named action blanked (same length): 'sqs:ReceiveMessage' is not the verb 'receive'."""
    return RUN.sub(lambda m: " " * len(m.group(0)), text)


def kind_of(noun: str) -> str:
    return _targets()[1][noun]


def service_of(action: str) -> str:
    return action.split(":", 1)[0].lower()
