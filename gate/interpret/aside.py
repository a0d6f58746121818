"""A service mentioned as context is not asked for: '(CloudFront reads it through OAC, handled in another PR)',
'the ALB in front is managed separately', 'our existing CDN already points at it'.  Its mention becomes a reference
(nothing of it is built, and the request is not refused for it); the coverage still reports its words if nothing
else claims them."""

from __future__ import annotations

import re
from dataclasses import replace

from gate.interpret.mentions import Mention

_ELSEWHERE = re.compile(
    r"\bhandled\s+(?:in|by|via|through)\s+(?:an?other|a\s+separate|a\s+different|a\s+later|a\s+follow-?up|its\s+own|"
    r"the\s+\w+\s+team)\b|\b(?:in|by)\s+(?:an?other|a\s+separate|a\s+different|a\s+later|a\s+follow-?up)\s+"
    r"(?:pr|pull\s+request|change|ticket|stack|repo|team)\b|\b(?:managed|handled|done|built|configured|set\s+up)\s+"
    r"(?:separately|elsewhere|later|by\s+hand)\b|\bout\s+of\s+scope\b|\bnot\s+(?:part\s+of|in)\s+this\s+"
    r"(?:pr|change|request)\b|\balready\s+(?:exists|set\s+up|in\s+place|configured|points?)\b|\bseparate\s+pr\b",
    re.I,
)


def _span(request: str, at: int) -> tuple[int, int]:
    """The parenthetical around ``at``, else its sentence."""
    open_at = request.rfind("(", 0, at)
    if open_at >= 0 and request.find(")", open_at) >= at:
        return open_at, request.find(")", open_at) + 1
    starts = [request.rfind(s, 0, at) for s in (". ", "; ", "? ", "! ")]
    start = max(starts) + 2 if max(starts) >= 0 else 0
    ends = [e for e in (request.find(s, at) for s in (". ", "; ", "? ", "! ")) if e >= 0]
    return start, min(ends) if ends else len(request)


def context_only(request: str, mentions: list[Mention]) -> list[Mention]:
    """Unsupported services whose clause says they are handled elsewhere become references."""
    out: list[Mention] = []
    for m in mentions:
        if m.kind == "_unsupported" and not m.reference:
            start, end = _span(request, m.start)
            if _ELSEWHERE.search(request[start:end]):
                m = replace(m, reference=True)
        out.append(m)
    return out
