"""Small, deterministic extractors for the ways people write infrastructure requests.

Each returns ``None`` (or an empty list/dict) when the text does not say it; none of them guesses.
Domain-specific readers (engines, runtimes, metrics, thresholds) live in :mod:`gate.interpret.words`.
"""

from __future__ import annotations

import re

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "two": 2,
    "pair": 2,
    "couple": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "dozen": 12,
    "twenty": 20,
    "thirty": 30,
    "sixty": 60,
    "ninety": 90,
    "hundred": 100,
}
_NUM = r"\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_COUNT = r"\d+|" + "|".join(w for w in sorted(NUMBER_WORDS, key=len, reverse=True) if w not in ("a", "an", "hundred"))

_QUOTES = "\"'`\u201c\u201d\u2018\u2019"  # straight, back and typographic quotes
_NAME = rf"[{_QUOTES}]?([A-Za-z0-9][A-Za-z0-9._/-]*[A-Za-z0-9])[{_QUOTES}]?"
NAMED_RE = re.compile(
    rf"\b(?:named|called|call\s+it|name(?:d)?\s*[:=]|name(?=\s+[\"'`]?[a-z0-9]+[-_.\d])|with\s+(?:the\s+)?name"
    rf"(?:\s+of)?|(?:its|the)\s+name\s+is)\s+{_NAME}",
    re.I,
)
QUOTED_RE = re.compile(rf"[{_QUOTES}]([A-Za-z0-9][A-Za-z0-9._/-]{{0,62}}[A-Za-z0-9])[{_QUOTES}]")
SIZE_RE = re.compile(r"\b(\d+(?:\.\d+)?)\s*(tb|tib|gb|gib|g|mb|mib|m|terabytes?|gigabytes?|megabytes?)\b", re.I)
_LONG_UNITS = r"seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|yrs?"
_WORDS = "|".join(w for w in sorted(NUMBER_WORDS, key=len, reverse=True) if w not in ("a", "an"))
# digits take short units too ('30s', '5m'); words need a space and a long unit ('two weeks', 'a day')
DUR = (
    rf"(?:(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<u>{_LONG_UNITS}|s|m|h|d)"
    rf"|(?P<w>{_WORDS}|a|an|one)[\s-]+(?P<wu>{_LONG_UNITS}))\b"
)
DURATION_RE = re.compile(rf"\b{DUR}", re.I)
CIDR_RE = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3}/\d{1,2})\b")
REGION_RE = re.compile(
    r"\b((?:us|eu|ap|sa|ca|me|af|il|mx)-(?:north|south|east|west|central|northeast|southeast|southwest|northwest)-\d)\b",
    re.I,
)
REGION_NAMES = {
    "ireland": "eu-west-1",
    "dublin": "eu-west-1",
    "london": "eu-west-2",
    "paris": "eu-west-3",
    "frankfurt": "eu-central-1",
    "stockholm": "eu-north-1",
    "milan": "eu-south-1",
    "zurich": "eu-central-2",
    "n. virginia": "us-east-1",
    "north virginia": "us-east-1",
    "northern virginia": "us-east-1",
    "virginia": "us-east-1",
    "ohio": "us-east-2",
    "oregon": "us-west-2",
    "n. california": "us-west-1",
    "tokyo": "ap-northeast-1",
    "seoul": "ap-northeast-2",
    "singapore": "ap-southeast-1",
    "sydney": "ap-southeast-2",
    "mumbai": "ap-south-1",
    "sao paulo": "sa-east-1",
    "são paulo": "sa-east-1",
    "canada": "ca-central-1",
    "montreal": "ca-central-1",
}
_REGION_NAME_RE = re.compile(r"\b(?:in|to|region)\s+(" + "|".join(map(re.escape, REGION_NAMES)) + r")\b", re.I)
_TAG_VALUE = r"(?:[\w.:/@+-]+|\"[^\"]{1,100}\"|'[^']{1,100}')"
TAG_RE = re.compile(
    r"\b(?:tag(?:ged|s)?|label(?:led|ed|s)?)\s*(?:it\s+|them\s+)?(?:with\s+)?(?:the\s+)?(?:tags?\s+)?:?\s*"
    rf"((?:[A-Za-z][\w.:/-]*\s*[=:]\s*{_TAG_VALUE}(?:\s*(?:,|and|&)\s*)?)+)",
    re.I,
)
TAG_PAIR_RE = re.compile(rf"([A-Za-z][\w.:/-]*)\s*[=:]\s*({_TAG_VALUE})")

_UNIT_SECONDS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "d": 86400,
    "day": 86400,
    "week": 604800,
    "month": 2592000,
    "year": 31536000,
    "yr": 31536000,
}


def number(word: str) -> int | None:
    """'3' -> 3, 'three' -> 3, anything else -> None."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    if re.fullmatch(r"\d+\.\d+", word):
        return int(float(word))
    return NUMBER_WORDS.get(word)


def unit_of(word: str) -> str:
    """Normalise a unit word: 'Minutes' -> 'minute', 'hrs' -> 'hr', 'secs' -> 'sec'."""
    word = word.lower()
    if word in _UNIT_SECONDS:
        return word
    return word[:-1] if word.endswith("s") and word[:-1] in _UNIT_SECONDS else word


# a quoted token that is what to match, not a name: 'lines containing "timeout"', 'events matching `ERROR`'
_MATCHED_TEXT = re.compile(r"\b(?:contain(?:s|ing)?|match(?:es|ing)?|with\s+the\s+(?:word|text))\s+$", re.I)


def named(text: str) -> str | None:
    """The name a request gives: 'named X', 'called X', or a quoted token (not a text to match)."""
    match = NAMED_RE.search(text) or next(
        (q for q in QUOTED_RE.finditer(text) if not _MATCHED_TEXT.search(text[max(0, q.start() - 30) : q.start()])),
        None,
    )
    return match.group(1).rstrip(".,/") if match else None


def sizes_gb(text: str) -> list[float]:
    """Every size in the text, in GB ('512 MB' -> 0.5)."""
    out: list[float] = []
    for value, unit in SIZE_RE.findall(text):
        factor = {"t": 1024.0, "g": 1.0, "m": 1 / 1024}[unit[0].lower()]
        out.append(float(value) * factor)
    return out


def size_near(text: str, words: str) -> float | None:
    """A size in GB written next to one of ``words`` ('256 MB of memory', 'memory of 1 GB', '50 GB storage')."""
    size = r"(\d+(?:\.\d+)?)\s*(tb|tib|gb|gib|g|mb|mib|m|terabytes?|gigabytes?|megabytes?)\b"
    patterns = (
        rf"\b{size}\s+(?:of\s+)?(?:(?!{_JOINS})[a-z0-9]+\s+){{0,2}}?(?:{words})\b",
        rf"\b(?:{words})\b\s*(?:size\s+)?(?:of|=|:|to|at)?\s*{size}",
    )
    for pattern in patterns:
        match = re.search(pattern, text, re.I)
        if match:
            factor = {"t": 1024.0, "g": 1.0, "m": 1 / 1024}[match.group(2)[0].lower()]
            return float(match.group(1)) * factor
    return None


def _seconds(match: re.Match[str]) -> int | None:
    amount, unit = (match.group("n"), match.group("u")) if match.group("n") else (match.group("w"), match.group("wu"))
    n, u = number(amount), unit_of(unit)
    return n * _UNIT_SECONDS[u] if n is not None and u in _UNIT_SECONDS else None


def durations_seconds(text: str) -> list[tuple[int, str]]:
    """Every duration in the text as (seconds, unit word)."""
    out: list[tuple[int, str]] = []
    for match in DURATION_RE.finditer(text):
        seconds = _seconds(match)
        if seconds is not None:
            out.append((seconds, unit_of(match.group("u") or match.group("wu"))))
    return out


# words that end one phrase and start the next: '60 seconds and a retention of 7 days' is not a 60 s retention
_JOINS = r"(?:and|or|but|plus|then|with|also)\b"


def duration_near(text: str, words: str) -> int | None:
    """Seconds of a duration written next to one of ``words`` ('30 second timeout', 'retention of 14 days')."""
    patterns = (
        rf"\b{DUR}\s+(?:of\s+)?(?:(?!{_JOINS})[a-z]+\s+){{0,2}}?(?:{words})\b",
        rf"\b(?:{words})\b[^.,;]{{0,30}}?\b(?:of|=|:|to|for|at|after|is)?\s*{DUR}",
    )
    for pattern in patterns:
        match = re.search(pattern, text, re.I)
        if match:
            return _seconds(match)
    return None


def days(seconds: int) -> int:
    return max(1, seconds // 86400)


def cidrs(text: str) -> list[str]:
    return CIDR_RE.findall(text)


def tags(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for match in TAG_RE.finditer(text):
        for key, value in TAG_PAIR_RE.findall(match.group(1)):
            out[key] = value.strip("\"'")
    return out


def region(text: str) -> str | None:
    """The Region the request asks to deploy to (not the Regions it replicates to: 'replicated in eu-west-1')."""
    for match in REGION_RE.finditer(text):
        if not re.search(r"\breplica\w*\b", text[max(0, match.start() - 40) : match.start()], re.I):
            return match.group(1).lower()
    if REGION_RE.search(text):
        return None
    named_region = _REGION_NAME_RE.search(text)
    return REGION_NAMES[named_region.group(1).lower()] if named_region else None


def count_before(text: str, nouns: str) -> int | None:
    """The count written before one of ``nouns`` ('3 c6g.large instances', 'two web servers')."""
    pattern = re.compile(rf"(?<![\d.])\b({_COUNT})\s+(?:[\w.-]+\s+){{0,3}}?(?:{nouns})\b", re.I)  # not '16.4'
    match = pattern.search(text)
    return number(match.group(1)) if match else None


def count_of(text: str) -> int | None:
    """The first count word or digit in ``text`` (not 'a'/'an'): 'two web servers' -> 2."""
    match = re.search(
        rf"(?<![\d.])\b({_COUNT})(?:\s?x\b|\b)(?![./:%-]\d)(?!\s*-?\s*(?:gb|mb|tb|gib|%|percent|seconds?|secs?|"
        r"minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|ms)\b)",
        text,
        re.I,
    )
    return number(match.group(1)) if match else None


def az_count(text: str) -> int | None:
    """'across 3 AZs', 'in two availability zones' -> the number of availability zones."""
    match = re.search(rf"\b({_COUNT})\s+(?:different\s+)?(?:azs?|availability[- ]zones?|zones)\b", text, re.I)
    return number(match.group(1)) if match else None


def kebab(value: str) -> str:
    out = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return out[:63].strip("-") or "resource"


_CLAUSE_SPLIT = re.compile(r"\s*(?:[,;]|\band then\b|\band\b|\bthen\b|\.(?=\s|$))\s*", re.I)


def clauses(text: str) -> list[str]:
    """The request cut at commas, semicolons, full stops and 'and'/'then', for patterns that must not span."""
    return [c for c in _CLAUSE_SPLIT.split(text) if c]


_KMS_KEY_RE = re.compile(
    r"(?<![\w/:-])(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key|alias)/[A-Za-z0-9/_-]*[A-Za-z0-9]|"
    r"alias/(?!aws/)[A-Za-z0-9/_-]*[A-Za-z0-9])"
)


def kms_key(text: str) -> str | None:
    """A customer managed key the text names: its ARN, an alias ARN or 'alias/name' (AWS managed aliases are the
    default anyway and are not returned)."""
    found = _KMS_KEY_RE.search(text)
    return found.group(1) if found else None


def flag(text: str, positive: str, negative: str | None = None) -> bool | None:
    """True when ``positive`` is said, False when negated ('no X', 'without X', 'X disabled'), else None."""
    neg = negative or (
        rf"\b(?:without|no|not|disable[sd]?|turn\s+off|don'?t\s+\w+|do\s+not\s+\w+)\s+(?:\w+\s+){{0,2}}?(?:{positive})"
        rf"|(?:{positive})\s+(?:disabled|off|turned\s+off|not\s+(?:needed|required))"
    )
    if re.search(neg, text, re.I):
        return False
    if re.search(rf"\b(?:{positive})\b", text, re.I):
        return True
    return None
