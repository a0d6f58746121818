"""Bucket settings read from a request, each bound to its attribute whatever the verb and wherever it stands:
Object Lock ('object lock in compliance mode (7 year default retention)'), CORS ('CORS should allow PUT and GET
from https://app.example.com with a max age of 3000 seconds'), EventBridge ('EventBridge notifications switched
on'), and where access logs go ('Logs go to the existing bucket corp-logs with prefix app/')."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import extract
from gate.interpret.base import Ctx

_LOCK = re.compile(r"\bobject[- ]lock(?:ing)?\b|\bworm\b", re.I)
_MODE = re.compile(r"\b(compliance|governance)\s+mode\b|\bmode\s+(compliance|governance)\b", re.I)
_PERIOD = r"(\d+|[a-z]+)[\s-]*(years?|days?)"
_RETENTION = re.compile(
    rf"\b{_PERIOD}\s+(?:of\s+)?(?:default\s+)?(?:retention|lock)\b|\b(?:default\s+)?retention(?:\s+period)?\s+"
    rf"(?:of\s+|is\s+|=\s*|:\s*|for\s+)?{_PERIOD}\b|\b(?:locked|lock)\s+(?:\w+\s+){{0,2}}?for\s+{_PERIOD}\b",
    re.I,
)
_CORS = re.compile(r"\bcors\b|\bcross[- ]origin\b", re.I)
_ORIGIN = re.compile(
    r"\bhttps?://[A-Za-z0-9.*-]+(?::\d+)?(?=[/\s,;)]|$)|\b(?:any|all)\s+origins?\b|\borigins?\s+\*", re.I
)
_METHOD = re.compile(r"\b(GET|PUT|POST|DELETE|HEAD)\b", re.I)
_HEADERS = re.compile(
    r"\b(?:allowed\s+)?headers?\s+(?P<list>(?:[`'\"]?[A-Za-z0-9*-]+[`'\"]?(?:\s*(?:,|and)\s*)?)+)|"
    r"\b(?:any|all)\s+headers?\b",
    re.I,
)
_MAX_AGE = re.compile(
    r"\bmax[- ]?age\s+(?:of\s+|is\s+|=\s*|:\s*)?(\d+)\s*(seconds?|secs?|s|minutes?|mins?|hours?|h)?\b", re.I
)
_EVENTBRIDGE = re.compile(r"\beventbridge\b|\bamazon\s+eventbridge\b", re.I)
_LOGS_GO = re.compile(
    r"\b(?:access\s+)?logs?\s+(?:should\s+)?(?:go(?:es)?|are\s+(?:sent|written|delivered|stored)|land|ship)\s+"
    r"(?:to|in|into)\s+(?:the\s+|our\s+)?(?:existing\s+|central\s+)?(?:log(?:ging)?\s+)?(?:s3\s+)?(?:bucket\s+)?"
    r"[`'\"]?(?P<name>[a-z0-9][a-z0-9.-]+[a-z0-9])",
    re.I,
)
_LOG_PREFIX = re.compile(r"\b(?:log\s+|target\s+)?prefix\s+(?:of\s+|is\s+|=\s*|:\s*)?[`'\"]?([A-Za-z0-9!_.*'()/-]+/)",
                         re.I)  # fmt: skip


def object_lock(ctx: Ctx, name: str, text: str) -> dict[str, Any] | None:
    if not _LOCK.search(text):
        return None
    out: dict[str, Any] = {}
    mode = _MODE.search(text)
    period = _RETENTION.search(text)
    if period:
        groups = [g for g in period.groups() if g]
        count = extract.number(groups[0].lower()) if not groups[0].isdigit() else int(groups[0])
        if count:
            out["years" if groups[1].lower().startswith("year") else "days"] = int(count)
    if mode:
        out["mode"] = (mode.group(1) or mode.group(2)).upper()
    elif period:
        ctx.assume(name, "object_lock", "GOVERNANCE mode", "the request names no mode: governance lets "
                   "privileged users shorten a lock; say 'compliance mode' if nobody may")  # fmt: skip
    if not period:
        ctx.assume(name, "object_lock", "enabled without a default retention", "the request names no retention "
                   "period: objects are locked only when a retention is set on them")  # fmt: skip
    return out


def without_lock(text: str) -> str:
    """``text`` with an Object Lock retention blanked: '7 year default retention' locks objects, never deletes them."""
    if not _LOCK.search(text):
        return text
    return _RETENTION.sub(lambda m: " " * len(m.group(0)), text)


def cors(ctx: Ctx, name: str, text: str) -> list[dict[str, Any]]:
    clause = _CORS.search(text)
    if clause is None:
        return []
    tail = text[clause.start() :]
    origins = ["*" if not m.group(0).lower().startswith("http") else m.group(0) for m in _ORIGIN.finditer(tail)]
    methods = list(dict.fromkeys(m.upper() for m in _METHOD.findall(tail)))
    if not origins or not methods:
        ctx.assume(name, "not-applied", "CORS rules (no origin or method read)", "say which origins may call "
                   "with which methods, e.g. 'CORS allows GET and PUT from https://app.example.com'")  # fmt: skip
        return []
    rule: dict[str, Any] = {"allowed_origins": list(dict.fromkeys(origins)), "allowed_methods": methods}
    headers = _HEADERS.search(tail)
    if headers:
        listed = headers.group("list")
        rule["allowed_headers"] = ["*"] if listed is None else [
            h.strip("`'\"") for h in re.split(r"\s*(?:,|\band\b)\s*", listed) if h.strip("`'\"")][:20]  # fmt: skip
    age = _MAX_AGE.search(tail)
    if age:
        unit = (age.group(2) or "s").lower()
        scale = 3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1
        rule["max_age_s"] = int(age.group(1)) * scale
    return [rule]


def eventbridge(text: str) -> bool:
    return bool(_EVENTBRIDGE.search(text)) and not re.search(
        r"\b(?:no|without|disable\w*|off)\s+(?:\w+\s+)?eventbridge\b|\beventbridge\s+(?:\w+\s+)?(?:off|disabled)\b",
        text,
        re.I,
    )


def log_target(text: str) -> str | None:
    """'Logs go to the existing bucket corp-s3-access-logs': the bucket receiving the access logs."""
    found = _LOGS_GO.search(text)
    return found.group("name").lower() if found else None


def log_prefix(text: str) -> str | None:
    found = _LOG_PREFIX.search(text)
    return found.group(1) if found else None
