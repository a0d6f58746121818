"""Phrases coverage reads as a whole: what the gate always builds ('EBS-optimized'), who or what a resource is for
('for the data team'), and who asks ('The checkout team needs ...'): nothing is built from them, and a negation or a
number inside one is never absorbed."""

from __future__ import annotations

import re

from gate.interpret import extract, lexicon
from gate.interpret.claims import Claims

_AFTER = re.compile(r"\s*(?:=|:)?\s*(off|disabled|false|no|none|on|enabled|true|yes)\b", re.I)


def negated(request: str, start: int, end: int) -> bool:
    """'no public IP', 'without versioning', 'versioning off', 'encryption: disabled'."""
    after = _AFTER.match(request, end)
    if after:
        return after.group(1).lower() in ("off", "disabled", "false", "no", "none")
    window = request[max(0, start - 30) : start]
    clause = re.split(r"[,.;:]|\b(?:and|but|with)\b", window)[-1]
    return bool(lexicon.NEGATION.search(clause))


def claim_always(claims: Claims, kinds: set[str]) -> None:
    """'EBS-optimized', 'X-Ray tracing': what the gate builds on every resource of a kind in the spec, not negated;
    'not publicly accessible': what it never builds on one, negated (the negation words are part of the reading)."""
    for kind in kinds & lexicon.ALWAYS_RE.keys():
        for match in lexicon.ALWAYS_RE[kind].finditer(claims.request):
            if negated(claims.request, match.start(), match.end()):
                continue  # 'without tracing' asks for what the gate does not offer: left to be reported
            for index, tok in enumerate(claims.toks):
                if match.start() <= tok.start < match.end() and not claims.claimed[index]:
                    claims.claim(index, None, "always on", f"every {kind.replace('_', ' ')} the gate builds has it")
    for kind in kinds & lexicon.NEVER_RE.keys():
        for match in lexicon.NEVER_RE[kind].finditer(claims.request):
            start = match.start()
            if not (found := lexicon.NEGATION.search(claims.request, max(0, start - 24), start)):
                continue  # 'publicly accessible' asked for is dangerous: refused or reported elsewhere
            for index, tok in enumerate(claims.toks):
                if found.start() <= tok.start < match.end() and not claims.claimed[index]:
                    claims.claim(index, None, "never", f"no {kind.replace('_', ' ')} the gate builds has it")


_PURPOSE = re.compile(
    r"\bfor\s+(?:the\s+|our\s+|a\s+|an\s+|my\s+|their\s+)?((?:[a-z][a-z-]*\s+){0,3}?[a-z][a-z-]*)"
    r"(?=\s*(?:$|[,.;:?!]|\b(?:named|called|tagged|with|that|which|in|and|from|on|at|to|using|via)\b))",
    re.I,
)
# 'The checkout team needs a queue', 'Our internal wiki needs a database': who asks, at the start of a sentence
_ASKER = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:the|our|my|their)\s+)?((?:[a-z][a-z-]*\s+){0,3}?[a-z][a-z-]*)\s+(?:needs?|wants?|requires?)\b",
    re.I,
)


def claim_purpose(claims: Claims) -> None:
    """'for the data science team', 'for the cache warmer': who or what it is for names no setting; it is read as a
    description (nothing is built from it), unless a word in it is a negation or a number."""
    for match in [*_PURPOSE.finditer(claims.request), *_ASKER.finditer(claims.request)]:
        inside = [i for i, t in enumerate(claims.toks) if match.start(1) <= t.start < match.end(1)]
        if not inside or any(lexicon.NEGATION.fullmatch(claims.toks[i].text) for i in inside):
            continue
        if any(extract.number(claims.toks[i].text.lower()) for i in inside if not claims.claimed[i]):
            continue
        for i in inside:
            if not claims.claimed[i] and claims.toks[i].text.isalpha():
                claims.claim(i, None, "purpose", "a description only: nothing is built from it")
