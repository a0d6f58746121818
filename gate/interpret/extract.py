"""Small, deterministic extractors for the ways people write infrastructure requests.

Each returns ``None`` (or an empty list) when the text does not say it; none of them guesses.
"""

from __future__ import annotations

import re

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "two": 2, "pair": 2, "couple": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "dozen": 12, "twenty": 20,
}  # fmt: skip

_QUOTES = "\"'`\u201c\u201d\u2018\u2019"  # straight, back and typographic quotes
_NAME = rf"[{_QUOTES}]?([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])[{_QUOTES}]?"
NAMED_RE = re.compile(rf"\b(?:named|called|name(?:d)?\s*[:=]|with\s+(?:the\s+)?name)\s+{_NAME}", re.I)
QUOTED_RE = re.compile(rf"[{_QUOTES}]([A-Za-z0-9][A-Za-z0-9._-]{{1,62}}[A-Za-z0-9])[{_QUOTES}]")
SIZE_RE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(tb|tib|gb|gib|g|mb|mib|m)\b", re.I)
DURATION_RE = re.compile(
    r"\b(\d+|" + "|".join(NUMBER_WORDS) + r")[\s-]*(second|sec|s|minute|min|hour|hr|day|week|month|year)s?\b",
    re.I,
)
CIDR_RE = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3}/\d{1,2})\b")
REGION_RE = re.compile(
    r"\b((?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast|southwest|northwest)-\d)\b"
)
TAG_RE = re.compile(
    r"\btag(?:ged|s)?\s+(?:with\s+)?((?:[A-Za-z][\w.:/-]*\s*[=:]\s*[\w.:/-]+(?:\s*(?:,|and)\s*)?)+)", re.I
)
TAG_PAIR_RE = re.compile(r"([A-Za-z][\w.:/-]*)\s*[=:]\s*([\w.:/-]+)")

_UNIT_SECONDS = {"second": 1, "sec": 1, "s": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600,
                 "day": 86400, "week": 604800, "month": 2592000, "year": 31536000}  # fmt: skip


def number(word: str) -> int | None:
    """'3' -> 3, 'three' -> 3, anything else -> None."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def named(text: str) -> str | None:
    """The name a request gives: 'named X', 'called X', or a quoted token."""
    match = NAMED_RE.search(text) or QUOTED_RE.search(text)
    return match.group(1).rstrip(".,") if match else None


def sizes_gb(text: str) -> list[float]:
    """Every size in the text, in GB ('512 MB' -> 0.5)."""
    out: list[float] = []
    for value, unit in SIZE_RE.findall(text):
        factor = {"t": 1024.0, "g": 1.0, "m": 1 / 1024}[unit[0].lower()]
        out.append(float(value) * factor)
    return out


def durations_seconds(text: str) -> list[tuple[int, str]]:
    """Every duration in the text as (seconds, unit word)."""
    out: list[tuple[int, str]] = []
    for amount, unit in DURATION_RE.findall(text):
        n = number(amount)
        if n is not None:
            out.append((n * _UNIT_SECONDS[unit.lower()], unit.lower()))
    return out


def tags(text: str) -> dict[str, str]:
    match = TAG_RE.search(text)
    return dict(TAG_PAIR_RE.findall(match.group(1))) if match else {}


def region(text: str) -> str | None:
    match = REGION_RE.search(text)
    return match.group(1) if match else None


def count_before(text: str, nouns: str) -> int | None:
    """The count written before one of ``nouns`` ('3 c6g.large instances', 'two web servers')."""
    pattern = re.compile(rf"\b(\d+|{'|'.join(NUMBER_WORDS)})\s+(?:[\w.-]+\s+){{0,3}}?(?:{nouns})\b", re.I)
    match = pattern.search(text)
    return number(match.group(1)) if match else None


def kebab(value: str) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return out[:63] or "resource"


_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;]|\band then\b|\band\b|\bthen\b|(?<!\d)\.(?!\d))\s*", re.I)


def clauses(text: str) -> list[str]:
    """The request cut at commas, semicolons, full stops and 'and'/'then', for patterns that must not span."""
    return [c for c in _CLAUSE_SPLIT.split(text) if c]
