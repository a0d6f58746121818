"""Tokens of a request and the claims coverage makes on them (each claim is a :class:`gate.spec.Reading`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.spec import Reading

_TOKEN = re.compile(r"[^\s,;()\[\]{}\"`\u201c\u201d\u2018\u2019]+")
_TRIM = ".:!?'"


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


def tokens(request: str) -> list[Token]:
    out: list[Token] = []
    for match in _TOKEN.finditer(request):
        text = match.group(0)
        lead = len(text) - len(text.lstrip(_TRIM))
        word = text.strip(_TRIM)
        if word and (re.search(r"\w|\*", word)):
            start = match.start() + lead
            out.append(Token(start, start + len(word), word))
    return out


@dataclass
class Claims:
    request: str
    readings: list[Reading]
    claimed: list[bool]
    toks: list[Token]

    def claim(self, index: int, resource: str | None, field: str, value: object) -> None:
        tok = self.toks[index]
        self.claimed[index] = True
        self.readings.append(
            Reading(start=tok.start, end=tok.end, text=tok.text, resource=resource, field=field, value=_short(value))
        )


def _short(value: object) -> str:
    text = value if isinstance(value, str) else repr(value) if not isinstance(value, int | float) else str(value)
    return text if len(text) <= 120 else text[:117] + "..."
