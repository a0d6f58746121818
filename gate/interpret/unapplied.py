"""What the request asks for that the spec does not carry: never dropped in silence.

Two general checks run after every resource is built:

- a vocabulary of features (:mod:`gate.interpret.features`) people ask for that the gate cannot build yet
  ("object lock", "publicly accessible", "a dead-letter queue" on a function, "encrypted with KMS" on a log group
  without a key ARN).  A feature found in a resource's text is reported as an assumption with field
  ``not-applied``, unless
  the built resource shows it was applied; a request whose main verb asks for such a feature is refused instead.
- an account of durations: "for 5 years", "retention of 30 days", "once a day" in a resource's text that no field
  of the built resource carries (not read, or clamped to a limit) is reported the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from gate.errors import GateError
from gate.interpret import extract, words
from gate.interpret.base import Notes, Resource
from gate.interpret.features import FEATURES, Feature

_NEGATED = re.compile(
    r"\b(?:not|no|never|without|block\w*|disabl\w*|deny|denies|prevent\w*|don'?t|doesn'?t|nor|"
    r"avoid\w*)\s+(?:\w+\s+){0,2}$",
    re.I,
)
_COMPILED = tuple((f, re.compile(rf"\b(?:{f.pattern})", re.I)) for f in FEATURES)


@dataclass(frozen=True)
class Placed:
    """One built resource and the text its recogniser read."""

    kind: str
    name: str
    resource: Resource
    text: str  # the text its recogniser read (its own name masked)
    siblings: tuple[Resource, ...] = ()  # made from the same text ('log groups /a (30 days) and /b (7 days)')


def _features(request: str) -> Iterator[tuple[Feature, re.Match[str]]]:
    for feature, pattern in _COMPILED:
        for match in pattern.finditer(request):
            if not _NEGATED.search(request[max(0, match.start() - 40) : match.start()]):
                yield feature, match


_CORE = re.compile(
    r"^\s*(?:please\s+)?(?:(?:can|could|would)\s+you\s+)?(?:(?:i|we)\s+(?:need|want)\s+(?:to\s+)?)?"
    r"(?:enable|add|turn\s+on|set\s+up|setup|configure|create|attach|apply|put|use|give|make|allow)\s+"
    r"(?:an?\s+|the\s+|some\s+)?$",
    re.I,
)


def refuse_core(request: str) -> None:
    """A sentence whose main verb asks for a feature the gate cannot build is refused, naming the feature."""
    for feature, match in _features(request):
        if feature.kinds or feature.applied is not None:
            continue  # fine on other kinds ('add a dead-letter queue' to a queue), or applied when given (a key ARN)
        breaks = [m.end() for m in re.finditer(r"[.;!?]\s", request[: match.start()])]
        if _CORE.match(request[breaks[-1] if breaks else 0 : match.start()]):
            raise GateError(
                f"the request asks for {feature.label} ({match.group(0)!r}), which the gate cannot build yet"
                + feature.hint.replace("; ", ": ", 1),
                fix="leave it out and add it by hand in a separate reviewed change; ask the gate for the resources it "
                "builds, e.g. 'Create an S3 bucket named audit-logs with versioning' or 'Create a DynamoDB table named "
                "orders with partition key order_id'",
            )


def note(placed: list[Placed], notes: Notes) -> None:
    """Record every feature or duration in a resource's text that the built spec does not carry."""
    said: set[tuple[str, str]] = set()
    for p in placed:
        covered: list[tuple[int, int]] = []
        taken: list[tuple[int, int]] = []
        found = sorted(_features(p.text), key=lambda f: (f[1].start(), -len(f[1].group(0))))
        for feature, match in found:
            if feature.kinds and p.kind not in feature.kinds:
                continue
            if feature.applied is not None and feature.applied(p.resource):
                taken.append((match.start(), match.end()))  # built: nor is a shorter feature inside it reported
                continue
            if any(start <= match.start() < end for start, end in taken):
                continue  # 'storage autoscaling' is one feature, not also 'auto scaling'
            taken.append((match.start(), match.end()))
            end = _clause_end(p.text, match.end())
            covered.append((match.start(), end))
            if (p.name, feature.label) in said:
                continue
            said.add((p.name, feature.label))
            phrase = p.text[match.start() : min(end, match.start() + 80)].strip().replace("NAMEREF", p.name)
            notes.assume(
                p.name,
                "not-applied",
                f"{feature.label} ({phrase!r})",
                f"the gate cannot build {feature.label} yet{feature.hint}; the rest is built without it: add it by "
                "hand in a reviewed change, or remove it from the request",
            )
        explained = " ".join(f"{a.value} {a.reason}" for a in notes.assumptions if a.resource == p.name or
                             any(q in p.text for q in re.findall(r"'([^']{10,120})'", a.reason)))  # fmt: skip
        for phrase in _unused_durations(p, covered, explained):
            if (p.name, phrase) not in said:
                said.add((p.name, phrase))
                notes.assume(
                    p.name,
                    "not-applied",
                    phrase,
                    f"no setting of this {p.kind.replace('_', ' ')} the gate builds takes this duration (or it is "
                    "beyond the allowed range); check the values above, or say which setting it is for",
                )


def _clause_end(request: str, at: int) -> int:
    found = re.search(r"[,.;]|\b(?:and|with|that|which)\b", request[at:])
    return at + found.start() if found else len(request)


def _numbers(value: object) -> Iterator[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, str):
        yield from (float(n) for n in re.findall(r"\d+(?:\.\d+)?", value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)


def _carried(seconds: int, raw: float, resource: Resource) -> bool:
    values = set(_numbers({k: v for k, v in resource.items() if k not in ("name", "tags")}))
    period, evaluations = resource.get("period_s"), resource.get("evaluation_periods")
    if isinstance(period, int) and isinstance(evaluations, int):
        values.add(float(period * evaluations))
    days = seconds / 86400
    wanted = {raw, float(seconds), seconds / 60, seconds / 3600, days, seconds * 1000.0}
    if wanted & values:
        return True
    return days >= 1 and any(days <= v <= days * 1.1 + 2 for v in values)  # rounded up to an allowed value


_DURATION = re.compile(rf"\b{extract.DUR}", re.I)


def _unused_durations(p: Placed, covered: list[tuple[int, int]], explained: str) -> list[str]:
    out: list[str] = []
    schedule = words.schedule(p.text)
    scheduled = schedule.text if schedule and p.resource.get("triggers") else ""
    for match in _DURATION.finditer(p.text):
        if match.group(0) in scheduled:
            continue  # 'once a day' became the schedule
        if any(start <= match.start() < end for start, end in covered):
            continue  # part of a feature already reported ('object lock for 5 years')
        n = extract.number(match.group("n") or match.group("w"))
        seconds = extract.durations_seconds(match.group(0))
        if not n or not seconds or any(_carried(seconds[0][0], float(n), r) for r in (p.resource, *p.siblings)):
            continue
        if re.search(rf"(?<![\d.]){n}(?![\d.])", explained):
            continue  # another assumption already says what became of it ('no 45-day retention; next longer')
        out.append(match.group(0))
    return out
