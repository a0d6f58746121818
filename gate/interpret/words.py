"""Domain readers: instance and DB classes, engines and versions, runtimes, schedules, thresholds.

Like :mod:`gate.interpret.extract`, each returns ``None`` when the text does not say it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.interpret import extract

INSTANCE_TYPE_RE = re.compile(
    r"(?<![\w.])((?!db\.)[a-z][a-z0-9]*\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|metal|\d*xlarge))\b", re.I
)
DB_CLASS_RE = re.compile(r"\b(db\.[a-z][a-z0-9]*\d[a-z0-9-]*\.(?:micro|small|medium|large|\d*xlarge))\b", re.I)

ENGINES: dict[str, str] = {
    "aurora postgres": "aurora-postgresql",
    "aurora postgresql": "aurora-postgresql",
    "aurora mysql": "aurora-mysql",
    "postgresql": "postgres",
    "postgres": "postgres",
    "psql": "postgres",
    "pg": "postgres",
    "mysql": "mysql",
    "mariadb": "mariadb",
    "maria": "mariadb",
    "sql server": "sqlserver-ex",
    "sqlserver": "sqlserver-ex",
    "mssql": "sqlserver-ex",
    "oracle": "oracle-se2",
}
_ENGINE_RE = re.compile(
    r"\b("
    + "|".join(sorted(map(re.escape, ENGINES), key=len, reverse=True))
    + r")\b(?:\s*(?:version|v)?\s*(\d+(?:\.\d+){0,2}))?",
    re.I,
)
# 'a postgres database on version 16.4': the version a few words after the engine
_ENGINE_LATER_VERSION_RE = re.compile(r"^(?:\s+[\w-]+){0,3}?\s+(?:engine\s+)?version\s+(\d+(?:\.\d+){0,2})\b", re.I)
# The default major version per engine when the request names none (recorded as an assumption).
DEFAULT_ENGINE_VERSION = {
    "postgres": "16",
    "mysql": "8.0",
    "mariadb": "10.11",
    "aurora-postgresql": "16",
    "aurora-mysql": "8.0",
    "sqlserver-ex": "16.00",
    "oracle-se2": "19",
}

_RUNTIME_FAMILIES = {
    "python": ("python", "3.12"),
    "py": ("python", "3.12"),
    "node": ("nodejs", "20"),
    "nodejs": ("nodejs", "20"),
    "node.js": ("nodejs", "20"),
    "javascript": ("nodejs", "20"),
    "typescript": ("nodejs", "20"),
    "java": ("java", "21"),
    "ruby": ("ruby", "3.3"),
    "dotnet": ("dotnet", "8"),
    ".net": ("dotnet", "8"),
    "c#": ("dotnet", "8"),
    "go": ("provided", "al2023"),
    "golang": ("provided", "al2023"),
    "rust": ("provided", "al2023"),
    "provided": ("provided", "al2023"),
}
_RUNTIME_RE = re.compile(
    r"(?<![\w.])(python|py|nodejs|node\.js|node|javascript|typescript|java|ruby|dotnet|\.net|c#|golang|go|rust|"
    r"provided(?=\.al2023\b|\s+runtime|\b))"
    r"(?:\s*(?:version\s*|v)?(\d+(?:\.\d+)?)(?:\.x)?)?(?![\w])",
    re.I,
)


def instance_type(text: str) -> str | None:
    match = INSTANCE_TYPE_RE.search(text)
    return match.group(1).lower() if match else None


def db_class(text: str) -> str | None:
    match = DB_CLASS_RE.search(text)
    return match.group(1).lower() if match else None


def engine(text: str) -> tuple[str, str | None] | None:
    """('postgres', '16') for 'Postgres 16'; ('mysql', None) for 'a MySQL database'."""
    match = _ENGINE_RE.search(text)
    if not match:
        return None
    version = match.group(2)
    if version is None and (later := _ENGINE_LATER_VERSION_RE.match(text[match.end() :])):
        version = later.group(1)
    return ENGINES[match.group(1).lower()], version


def runtime(text: str) -> tuple[str, bool] | None:
    """The Lambda runtime id and whether the version was given: 'python3.12' -> ('python3.12', True)."""
    match = _RUNTIME_RE.search(text)
    if not match:
        return None
    family, default = _RUNTIME_FAMILIES[match.group(1).lower()]
    version = match.group(2)
    if family == "provided":
        return "provided.al2023", True
    if family == "nodejs":
        major = (version or default).split(".")[0]
        return f"nodejs{major}.x", version is not None
    if family == "python" and version and "." not in version:
        version = f"3.{version}" if version != "3" else None
    if family == "java" and version and version.startswith("1."):
        version = version[2:]
    return f"{family}{version or default}", version is not None


@dataclass(frozen=True)
class Schedule:
    expression: str  # an EventBridge schedule expression: rate(...) or cron(...)
    text: str


_EVERY_RE = re.compile(
    r"\bevery\s+(?:(\d+|[a-z]+)\s+)?(minute|hour|day|week)s?\b|\b(hourly|daily|nightly|weekly|every\s+night|every\s+"
    r"morning|every\s+weekday|monthly)\b|\bonce\s+(?:a|an|per|every)\s+(hour|day|night|week|month)\b",
    re.I,
)
_ONCE = {"hour": "hourly", "day": "daily", "night": "nightly", "week": "weekly", "month": "monthly"}
_AT_RE = re.compile(r"\bat\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*(?:utc)?\b|\bat\s+(midnight|noon)\b", re.I)
_CRON_RE = re.compile(r"\b(cron\([^)]{5,80}\)|rate\(\d+\s+(?:minute|hour|day)s?\))", re.I)


def schedule(text: str) -> Schedule | None:
    """'every 5 minutes' -> rate(5 minutes); 'daily at 2am' / 'nightly' -> cron(...)."""
    literal = _CRON_RE.search(text)
    if literal:
        return Schedule(literal.group(1), literal.group(0))
    match = _EVERY_RE.search(text)
    if not match:
        return None
    at = _AT_RE.search(text)
    hour, minute = 0, 0
    if at:
        if at.group(4):
            hour = 0 if at.group(4).lower() == "midnight" else 12
        else:
            hour, minute = int(at.group(1)) % 24, int(at.group(2) or 0)
            if at.group(3) and at.group(3).lower() == "pm" and hour < 12:
                hour += 12
            if at.group(3) and at.group(3).lower() == "am" and hour == 12:
                hour = 0
    if match.group(3) or match.group(4):
        word = (match.group(3) or _ONCE[match.group(4).lower()]).lower()
        if word == "hourly":
            return Schedule("rate(1 hour)", match.group(0))
        if word in ("daily", "nightly", "every night"):
            return Schedule(f"cron({minute} {hour if at else (2 if word != 'daily' else 0)} * * ? *)", match.group(0))
        if word == "every morning":
            return Schedule(f"cron({minute} {hour if at else 7} * * ? *)", match.group(0))
        if word == "every weekday":
            return Schedule(f"cron({minute} {hour} ? * MON-FRI *)", match.group(0))
        if word == "weekly":
            return Schedule(f"cron({minute} {hour} ? * MON *)", match.group(0))
        return Schedule(f"cron({minute} {hour} 1 * ? *)", match.group(0))
    n = extract.number(match.group(1)) if match.group(1) else 1
    unit = match.group(2).lower()
    if n is None:
        return None
    if unit == "week":
        return Schedule(f"cron({minute} {hour} ? * MON *)", match.group(0))
    if unit == "day" and at:
        return Schedule(f"cron({minute} {hour} * * ? *)", match.group(0))
    return Schedule(f"rate({n} {unit}{'s' if n != 1 else ''})", match.group(0))


@dataclass(frozen=True)
class Threshold:
    operator: str  # CloudWatch ComparisonOperator
    value: float
    percent: bool
    seconds: int | None  # how long the condition must hold


_OPS = (
    (
        r"(?:above|over|exceeds?|exceeding|more than|greater than|higher than|older than|longer than|slower than|>\s*|"
        r"goes above|rises above|tops|passes|crosses|goes over)",
        "GreaterThanThreshold",
    ),
    (r"(?:at least|>=\s*|greater than or equal to|reaches|hits)", "GreaterThanOrEqualToThreshold"),
    (r"(?:below|under|less than|lower than|<\s*|drops below|falls below|fewer than)", "LessThanThreshold"),
    (r"(?:at most|<=\s*|less than or equal to)", "LessThanOrEqualToThreshold"),
)


def threshold(text: str) -> Threshold | None:
    """'above 80 percent for 10 minutes' -> (GreaterThanThreshold, 80, percent, 600)."""
    for words, operator in sorted(_OPS, key=lambda o: -len(o[0])):
        match = re.search(rf"(?<![\w]){words}\s*(\d+(?:\.\d+)?)\s*(%|percent|per cent|pct)?", text, re.I)
        if match is None:
            continue
        tail = text[match.end() :]
        held = re.match(
            r"\s*(?:%|percent)?\s*(?:\w+\s+){0,3}?(?:for|over|during|in|within)\s+(?:(?:more\s+than|at\s+least)\s+)?"
            r"(?:the\s+(?:last|past)\s+)?(\d+|[a-z]+)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?)\b",
            tail,
            re.I,
        )
        seconds = None
        if held:
            n = extract.number(held.group(1))
            unit = extract.unit_of(held.group(2))
            seconds = (
                n * {"second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600}[unit] if n else None
            )
        return Threshold(operator, float(match.group(1)), bool(match.group(2)), seconds)
    return None


# Current-generation general-purpose sizes (vCPUs, GiB of memory), cheapest first for each need: burstable t3/t4g
# up to 8 vCPU / 32 GiB, then m6i/m7g.  Enough to turn '16 GB RAM and 4 vCPUs' into a type; the choice is an assumption.
_SIZES = (("nano", 2, 0.5), ("micro", 2, 1), ("small", 2, 2), ("medium", 2, 4), ("large", 2, 8), ("xlarge", 4, 16),
          ("2xlarge", 8, 32))  # fmt: skip
_M_SIZES = (("large", 2, 8), ("xlarge", 4, 16), ("2xlarge", 8, 32), ("4xlarge", 16, 64), ("8xlarge", 32, 128),
            ("12xlarge", 48, 192), ("16xlarge", 64, 256), ("24xlarge", 96, 384), ("32xlarge", 128, 512))  # fmt: skip
_MEMORY_WORDS = r"ram|memory|mem"
_SIZE = r"(\d+(?:\.\d+)?)\s*(tb|tib|gb|gib|g|mb|mib|m|terabytes?|gigabytes?|megabytes?)\b"
_MEMORY_PHRASE = re.compile(
    rf"\b{_SIZE}\s+(?:of\s+)?(?:{_MEMORY_WORDS})\b|\b(?:{_MEMORY_WORDS})\b\s*(?:of|=|:|size)?\s*{_SIZE}", re.I
)
_VCPU_RE = re.compile(
    rf"\b({extract._COUNT})\s*(?:v-?cpus?|vcores?|virtual\s+cpus?|cpus?|cpu\s+cores?|cores?|processors?)\b|"
    rf"\b(?:v-?cpus?|cpus?|cores?)\s*(?:of|=|:)?\s*(\d+)\b",
    re.I,
)


def memory_gb(text: str) -> float | None:
    """'16 GB RAM', 'memory of 8 GiB' -> GB of memory (not disk)."""
    return extract.size_near(text, _MEMORY_WORDS)


def without_memory(text: str) -> str:
    """The text with its memory sizes taken out, so '16 GB RAM' is not read as a disk or storage size."""
    return _MEMORY_PHRASE.sub(" ", text)


def vcpus(text: str) -> int | None:
    match = _VCPU_RE.search(text)
    return extract.number(match.group(1) or match.group(2)) if match else None


def sized_type(memory: float | None, cpus: int | None, arm: bool = False, db: bool = False) -> str | None:
    """The smallest general-purpose type with at least ``memory`` GiB and ``cpus`` vCPUs ('t3.xlarge' for 16 / 4)."""
    if memory is None and cpus is None:
        return None
    small, large = ("t4g", "m7g") if arm or db else ("t3", "m6i")
    candidates = [(f"{small}.{s}", c, m) for s, c, m in _SIZES if not (db and s == "nano")]
    candidates += [(f"{large}.{s}", c, m) for s, c, m in _M_SIZES if c > 8 or m > 32]
    for name, have_cpus, have_memory in candidates:
        if have_memory >= (memory or 0) and have_cpus >= (cpus or 0):
            return f"db.{name}" if db else name
    return None


_COUNT_WORDS = r"\d+|" + "|".join(sorted(extract.NUMBER_WORDS, key=len, reverse=True))
_CONSECUTIVE = re.compile(
    rf"\b({_COUNT_WORDS})\s+consecutive\s+(?:(\d+)[- ]?(second|sec|minute|min|hour)s?\s+)?"
    r"(?:periods?|datapoints?|intervals?|checks?|evaluations?)\b",
    re.I,
)


def consecutive_periods(text: str) -> tuple[int, int | None] | None:
    """'3 consecutive 5-minute periods' -> (3, 300); 'two consecutive periods' -> (2, None)."""
    found = _CONSECUTIVE.search(text)
    if found is None:
        return None
    count = extract.number(found.group(1).lower())
    if count is None:
        return None
    if found.group(2) is None:
        return int(count), None
    unit = {"second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600}[found.group(3).lower()]
    return int(count), int(found.group(2)) * unit
