"""Refinement: '/gate plan also enable versioning on that bucket' changes the previous spec instead of starting over.

The text is read by the same recognisers as a new request.  A setting counts as asked for when reading the
refinement gives a different value than reading an empty request would (so defaults never overwrite what
the previous spec says), or when a yes/no setting is named outright ("enable versioning").  New resources
("also add an SQS queue named jobs") are appended; "remove the alarm" drops one from the proposal.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import TypeAdapter, ValidationError

from gate.errors import GateError, NoChange
from gate.interpret import coverage, extract, fresh
from gate.interpret.base import Ctx, Notes
from gate.interpret.mentions import Mention, Segment, find_mentions, noun_table, segments
from gate.interpret.offline import build_spec, normalise
from gate.interpret.services import RECOGNISERS
from gate.spec import ChangeSpec, Reading, ResourceSpec

_RESOURCE = TypeAdapter[Any](ResourceSpec)
# yes/no settings a refinement may name outright: kind -> field -> words
FLAGS: dict[str, dict[str, str]] = {
    "s3_bucket": {"versioning": r"versioning|versioned", "block_public_access": r"block(?:ing)?\s+public\s+access"},
    "rds_instance": {
        "multi_az": r"multi[- ]az|highly\s+available|high\s+availability",
        "deletion_protection": r"deletion\s+protection",
        "storage_encrypted": r"encryption|encrypted",
    },
    "dynamodb_table": {
        "point_in_time_recovery": r"point[- ]in[- ]time\s+recovery|pitr",
        "deletion_protection": r"deletion\s+protection",
    },
    "vpc": {"flow_logs": r"flow\s+logs?"},
    "ec2_instance": {"public_ip": r"public\s+ip"},
    "sqs_queue": {"fifo": r"fifo"},
}
_HINTS: dict[str, str] = {
    "ec2_instance": r"\b[a-z]\d[a-z0-9]*\.(?:nano|micro|small|medium|\d*x?large)\b|\binstances?\b|\bservers?\b|\bami\b",
    "rds_instance": r"\bdb\.|\bdatabase|\bread\s+replica|\bmulti[- ]az|\bbackups?\b|\bpostgres|\bmysql|\bengine",
    "s3_bucket": r"\bversioning|\bbucket|\blifecycle|\bglacier|\bexpire|\bkms\b|\baccess\s+logs?",
    "lambda_function": r"\bmemory\b|\bruntime\b|\bpython|\bnode|\blambda|\bfunction|\bevery\s+\d*\s*\w+",
    "sqs_queue": r"\bvisibility|\bqueue|\bdead[- ]letter|\bdlq\b|\bfifo",
    "dynamodb_table": r"\bpartition|\bsort\s+key|\bttl\b|\bstreams?\b|\bcapacity|\btable",
    "vpc": r"\bsubnets?\b|\bnat\b|\bvpc\b|\bcidr|\bendpoints?",
    "cloudwatch_alarm": r"\balarm|\bthreshold|\babove\b|\bbelow\b|\bpercent",
    "log_group": r"\bretention|\blog\s+group",
    "sns_topic": r"\btopic|\bsubscri|@",
    "security_group": r"\bport\b|\bingress|\bsecurity\s+group|\ballow\b",
    "ebs_volume": r"\bvolume|\biops\b",
    "iam_role": r"\brole\b|\bpermission|\baccess\b",
}
_REMOVE = re.compile(
    r"^\s*(?:please\s+)?(?:remove|drop|delete|don'?t\s+create|skip|leave\s+out)\s+(?:the\s+|that\s+)?(.+?)\.?$", re.I
)
_MORE = re.compile(r"\b(?:add\s+)?(\d+|" + "|".join(extract.NUMBER_WORDS) + r")\s+more\b", re.I)


def refine(previous: ChangeSpec, text: str) -> ChangeSpec:
    """The previous spec changed as ``text`` asks; GateError when the text changes nothing the gate understands.

    The notes of the result are recomputed: the previous ones that still hold (:mod:`gate.interpret.fresh`), what
    reading the refinement assumed, and every word of the refinement the gate could not place (not-understood)."""
    request = normalise(text)
    if not request:
        raise GateError("the refinement is empty", fix="say what to change, e.g. 'make it t3.large instead'")
    resources = [r.model_dump(mode="json") for r in previous.resources]
    notes = Notes()
    removed = _removal(request, resources)
    if removed:
        kept = [r for r in resources if r["name"] != removed]
        if not kept:
            raise GateError("the refinement would remove every resource", fix="ask for something to create instead")
        return _finish(previous, kept, notes, request, [])
    names = {r["name"] for r in resources}
    mentions = find_mentions(request)
    new_segments = [s for s in segments(request, mentions) if not _is_existing(s, resources)]
    changed = False
    given: list[Reading] = []
    if new_segments:
        added = build_spec(request, new_segments, None, taken=set(names), known=_by_kind(resources))
        resources.extend(r.model_dump(mode="json") for r in added.resources)
        # coverage is recomputed over the whole refinement below, against the whole refined spec
        notes.assumptions.extend(a for a in added.assumptions if a.field not in ("region", "not-understood"))
        given.extend(added.readings)
        changed = True
    target = _target(request, resources, mentions, exclude={r.name for r in (added.resources if new_segments else [])})
    if target is not None:
        updated = _apply(target, request, resources, notes)
        if updated != target:
            resources[resources.index(target)] = updated
            given.extend(_refining_words(request, str(updated["name"]), updated.get("count")))
            changed = True
    if not changed:
        unread = coverage.account(request, previous, mentions, [], {})[1]
        if unread:  # not an answer: words the gate cannot place changed nothing, and that must be said
            raise GateError(
                f"the refinement {request[:120]!r} changes nothing: the gate could not place "
                + ", ".join(a.value for a in unread[:5]),
                fix="name the setting and its new value, e.g. 'make it t3.large instead', 'also enable versioning on "
                "that bucket' or 'add a read replica to the database'",
            )
        raise NoChange(
            f"the refinement {request[:120]!r} changes nothing the gate understands in the current plan",
            fix="name the setting and its new value, e.g. 'make it t3.large instead', 'also enable versioning on "
            "that bucket' or 'add a read replica to the database'",
        )
    return _finish(previous, resources, notes, request, given)


_REFINING = re.compile(r"\b(?:instead|rather|any\s?more|now|too|as\s+well|again|than\s+before)\b", re.I)


def _refining_words(request: str, target: str, count: object) -> list[Reading]:
    """'make it t3.large instead', 'add 2 more': the words that say this changes the plan, read as such."""
    said = "changes the current plan"
    out = [Reading(start=m.start(), end=m.end(), text=m.group(0), resource=target, field="refinement", value=said)
           for m in _REFINING.finditer(request)]  # fmt: skip
    more = _MORE.search(request)
    if more and count is not None:
        out.append(Reading(start=more.start(1), end=more.end(), text=request[more.start(1) : more.end()],
                           resource=target, field="count", value=str(count)))  # fmt: skip
    return out


def _finish(
    previous: ChangeSpec, resources: list[dict[str, Any]], notes: Notes, request: str, given: list[Reading]
) -> ChangeSpec:
    before = {r.name: r.model_dump(mode="json") for r in previous.resources}
    after = {str(r["name"]): r for r in resources}
    try:
        validated = [_RESOURCE.validate_python(r) for r in resources]
        summary = f"{previous.summary} Then: {request}"
        summary = summary if len(summary) <= 500 else summary[:497] + "..."
        spec = ChangeSpec(
            summary=summary,
            resources=validated,
            assumptions=[*fresh.assumptions(previous.assumptions, before, after), *notes.assumptions],
            options_considered=previous.options_considered,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        raise GateError(
            f"the refined change is not valid: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}",
            fix="correct the value in the refinement",
        ) from exc
    read, unread = coverage.account(request, spec, find_mentions(request), [], {}, given=given)
    kept = fresh.readings(previous.readings, before, after)
    first_notes = sorted([*spec.assumptions, *unread], key=lambda a: _FIRST.get(a.field, 2))
    return spec.model_copy(update={"readings": [*kept, *read][:2000], "assumptions": first_notes})


_FIRST = {"not-applied": 0, "not-understood": 1}


def _by_kind(resources: list[dict[str, Any]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in resources:
        out.setdefault(r["kind"], []).append(r["name"])
    return out


def _is_existing(seg: Segment, resources: list[dict[str, Any]]) -> bool:
    """'make the instance bigger' names an existing resource; 'add a queue named jobs' a new one."""
    head = seg.text[: seg.mention.start - seg.start]
    if re.search(r"\b(?:the|that|this|it|its|those|these|our|existing)\s+(?:[\w.-]+\s+){0,2}$", head, re.I):
        return any(r["kind"] == seg.kind for r in resources)
    given = extract.named(seg.text)
    if given and any(r["name"] == extract.kebab(given) for r in resources):
        return True
    return not re.search(r"\b(?:add|create|new|also|another|plus|and)\b", seg.text, re.I) and any(
        r["kind"] == seg.kind for r in resources
    )


def _removal(request: str, resources: list[dict[str, Any]]) -> str | None:
    match = _REMOVE.match(request)
    if not match:
        return None
    what = match.group(1)
    for r in resources:
        if re.search(rf"(?<![\w-]){re.escape(r['name'])}(?![\w-])", what):
            return str(r["name"])
    for mention in find_mentions(what):
        same = [r for r in resources if r["kind"] == mention.kind]
        if len(same) == 1:
            return str(same[0]["name"])
    return None


def _target(
    request: str, resources: list[dict[str, Any]], mentions: list[Mention], exclude: set[str]
) -> dict[str, Any] | None:
    candidates = [r for r in resources if r["name"] not in exclude]
    for r in candidates:
        if re.search(rf"(?<![\w-]){re.escape(r['name'])}(?![\w-])", request):
            return r
    for mention in mentions:
        same = [r for r in candidates if r["kind"] == mention.kind]
        if same:
            return same[-1]
    for kind, hint in _HINTS.items():
        same = [r for r in candidates if r["kind"] == kind]
        if same and re.search(hint, request, re.I):
            return same[-1]
    counted = [r for r in candidates if "count" in r]
    if _MORE.search(request) and counted:
        return counted[-1]
    return candidates[-1] if len(candidates) == 1 else None


def _read(kind: str, text: str, resources: list[dict[str, Any]], name: str) -> tuple[dict[str, Any], Notes]:
    """What the recogniser of ``kind`` reads in ``text``, and what it assumed doing so."""
    mention = Mention(kind, 0, 0, "", False)
    seg = Segment(kind, mention, text, 0, len(text))
    notes = Notes()
    ctx = Ctx(text, seg, notes, _by_kind(resources), {r["name"] for r in resources})
    try:
        return RECOGNISERS[kind].build(ctx, name), notes
    except GateError:
        return {}, notes


def _apply(target: dict[str, Any], request: str, resources: list[dict[str, Any]], notes: Notes) -> dict[str, Any]:
    kind, name = target["kind"], target["name"]
    if kind not in RECOGNISERS:
        return target
    asked, asked_notes = _read(kind, request, resources, name)
    baseline, defaults = _read(kind, NOUNS_EXAMPLE.get(kind, ""), resources, name)
    updated = dict(target)
    for key, value in asked.items():
        if key in ("kind", "name") or (key in baseline and baseline[key] == value):
            continue
        if key == "code" and "code" in target:
            continue
        current = updated.get(key)
        if (
            isinstance(current, list)
            and isinstance(value, list)
            and re.search(r"\b(?:also|add|another)\b", request, re.I)
        ):
            updated[key] = current + [v for v in value if v not in current]
        else:
            updated[key] = value
    for key, words in FLAGS.get(kind, {}).items():
        said = extract.flag(request, words)
        if said is not None:
            updated[key] = said
    more = _MORE.search(request)
    if more and "count" in target:
        updated["count"] = int(target["count"]) + (extract.number(more.group(1)) or 0)
    tags = extract.tags(request)
    if tags:
        updated["tags"] = {**target.get("tags", {}), **tags}
    if updated != target:
        changed = sorted(k for k in updated if updated.get(k) != target.get(k))
        notes.assume(name, "refined", ", ".join(changed), f"changed by the refinement {request[:100]!r}")
        # what reading the refinement assumed about the fields it changed ('retry 4 times' read as 4 receives),
        # not the defaults a bare noun gets too
        notes.assumptions.extend(
            a for a in asked_notes.assumptions
            if a not in defaults.assumptions and a.resource == name and fresh.is_about(a.field, changed)
        )  # fmt: skip
    return updated


# what "reading an empty request" means per kind: the noun alone
NOUNS_EXAMPLE = {kind: f"a {kind.replace('_', ' ')}" for kind in noun_table() if not kind.startswith("_")}
