"""The offline interpreter: deterministic, no network, no model download.

The request is cut into one segment per resource to create (:mod:`gate.interpret.mentions`); each segment
is read by the recogniser of its kind (:data:`gate.interpret.services.RECOGNISERS`), which sees the names
of every other resource so references resolve.  A business-level request that names no service is mapped
to an architecture first (:mod:`gate.interpret.business`).  What cannot be understood is refused
(:mod:`gate.interpret.refuse`); every default filled in is recorded as an assumption.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from pydantic import TypeAdapter, ValidationError

from gate.errors import GateError
from gate.interpret import (
    access,
    aside,
    business,
    coverage,
    danger,
    existing,
    extract,
    no_change,
    operations,
    refuse,
    unapplied,
    vpc_parts,
)
from gate.interpret.base import Ctx, Notes, Resource, for_name, given_name, purpose_name
from gate.interpret.mentions import Segment, find_mentions, segments, unsupported
from gate.interpret.plurals import expand_plurals
from gate.interpret.services import RECOGNISERS, WIRES
from gate.services.iam import managed
from gate.services.iam.interpret import PRINCIPALS
from gate.spec import Assumption, ChangeSpec, ResourceSpec

EXAMPLES = refuse.EXAMPLES
_RESOURCE = TypeAdapter[Any](ResourceSpec)
_ADJECTIVE_NAMES = re.compile(
    r"\b(web|api|app|bastion|worker|batch|build|analytics|reporting|billing|payments?|"
    r"orders?|users?|sessions?|inventory|search|auth|logging|metrics|backup|archive|"
    r"staging|prod|production|dev|test|frontend|backend|media|images?|uploads?|events?|"
    r"notifications?|alerts?|jobs?|tasks?)\s+$",
    re.I,
)
_MODIFIER_NOUN = re.compile(r"\b(?:servers?|instances?|hosts?|functions?|lambdas?|databases?|db|queues?)\s+$", re.I)


def normalise(text: str) -> str:
    """Markdown bullets and line breaks become sentence breaks; runs of whitespace one space."""
    lines = [re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).strip() for line in text.splitlines()]
    joined = ". ".join(line.rstrip(".") for line in lines if line)
    return " ".join(joined.split())


def interpret(text: str, region: str | None = None) -> ChangeSpec:
    """Turn a request into a ChangeSpec, or refuse with what was not understood (GateError)."""
    request = normalise(text)
    if not request:
        raise GateError("the change request is empty", fix="write what to create or change, e.g. " + repr(EXAMPLES[0]))
    answered_operation = operations.answer(request, _summary(request))
    if answered_operation is not None:
        return answered_operation
    refuse.check_destructive(request)
    danger.refuse_dangerous(request)
    existing.refuse_rule_on_existing(request)
    mentions = aside.context_only(request, managed.as_settings(request, find_mentions(request)))
    if not any(not m.reference and not m.kind.startswith("_") for m in mentions):
        answered = no_change.read(request, _summary(request))
        if answered is not None:
            return answered
    missing = unsupported(mentions)
    if missing:
        raise refuse.unsupported_services(missing)
    unapplied.refuse_core(request)
    segs = segments(request, mentions)
    segs = vpc_parts.on_existing(request, _headings_dropped(segs))
    refuse.check_existing_changes(request, mentions, segs)
    refuse.check_parts_only(mentions, segs)
    if not segs:  # nothing to build: a one-off operation on something that exists gets the command that does it
        answered = operations.answer(request, _summary(request), nothing_else=True)
        if answered is not None:
            return answered
    if not segs or business.is_business(request, segs):
        plan = business.plan(request)
        if plan is None:
            raise refuse.not_understood(request)
        spec = interpret(plan.request, region)
        resources = spec.resources
        if extract.named(request) is None:  # the architecture's names are ours: let AWS make bucket names unique
            resources = [r.model_copy(update={"bucket_name": None}) if r.kind == "s3_bucket" else r for r in resources]
        inner = [a for a in spec.assumptions if a.field != "not-understood"]  # about our words, not the request's
        notes = Notes(assumptions=[*plan.assumptions, *inner])
        first = resources[0]
        given = extract.named(request)
        text = request.replace(given, "NAMEREF") if given else request
        unapplied.note([unapplied.Placed(first.kind, first.name, first.model_dump(), text)], notes)
        spec = spec.model_copy(
            update={
                "resources": resources,
                "summary": _summary(request),
                "options_considered": plan.options,
                "assumptions": _ordered(notes),
            }
        )
        chosen = next((o.title for o in plan.options if o.chosen), plan.options[0].title if plan.options else "")
        readings, unread = coverage.account(request, spec, mentions, [], {}, need=chosen)
        return spec.model_copy(
            update={"readings": readings, "assumptions": _ordered(Notes([*spec.assumptions, *unread]))}
        )
    refuse.check_unparsed_sentences(request, [*mentions, *(s.mention for s in segs)])
    return build_spec(request, segs, region)


def _headings_dropped(segs: list[Segment]) -> list[Segment]:
    """'Web tier + DB for the tally app in vpc-...: - an app server ... - a Postgres db.t3.medium ...': a line that
    ends with a colon announces the list after it; a noun in it that the list names again is not one more resource."""
    return [
        seg
        for index, seg in enumerate(segs)
        if not (seg.text.endswith(":") and any(later.kind == seg.kind for later in segs[index + 1 :]))
    ]


def build_spec(
    request: str,
    segs: list[Segment],
    region: str | None,
    taken: set[str] | None = None,
    known: dict[str, list[str]] | None = None,
) -> ChangeSpec:
    """Name every segment's resource, then build each (``known``: resources of a previous spec, by kind)."""
    notes = Notes()
    _region(request, region, notes)
    taken = set(taken or ())
    names: dict[str, list[str]] = {k: list(v) for k, v in (known or {}).items()}
    planned: list[tuple[Segment, str, str | None]] = []
    merged: dict[int, str] = {}
    for seg in expand_plurals(_owned_grants(request, segs, merged), extract.count_of):
        given = seg.name or given_name(seg)
        wanted = (
            given
            or purpose_name(seg.text)
            or _adjective(request, seg)
            or for_name(seg.text)
            or RECOGNISERS[seg.kind].default_name
        )
        name = Ctx(request, seg, notes, names, taken).claim(wanted)
        if seg.mention.start in merged:
            owned = "role" if seg.kind == "lambda_function" else "group"
            why = next(v for (owner, _), v in _OWNED.items() if owner == seg.kind)
            notes.assume(name, owned, f"its own, for {merged[seg.mention.start]!r}", why)
        names.setdefault(seg.kind, []).append(name)
        planned.append((seg, name, given))
    built: list[Resource] = []
    placed: list[unapplied.Placed] = []
    global_tags = extract.tags(request)
    attached = _attached_access(request, segs)
    by_segment: dict[int, list[str]] = {}
    spans: list[existing.Owned] = []
    for seg, name, given in planned:
        ctx = Ctx(request, seg, notes, names, taken, segment_name=given, attached=attached.get(seg.mention.start, []))
        resource = RECOGNISERS[seg.kind].build(ctx, name)
        resource["tags"] = {**global_tags, **extract.tags(seg.text), **resource.get("tags", {})}
        _bind_key(seg.kind, ctx.text, resource)
        built.append(resource)
        spans.append(existing.Owned(seg.start, seg.end, resource))
        built.extend(ctx.extra)
        by_segment.setdefault(seg.mention.start, []).extend([name, *(str(r["name"]) for r in ctx.extra)])
        placed.append(unapplied.Placed(seg.kind, name, resource, ctx.text, tuple(ctx.extra)))
    existing.bind(request, spans, notes)
    for wire in WIRES:
        wire(built, notes)
    unapplied.note(placed, notes)
    resources = [_validate(_trimmed(r)) for r in built]
    try:
        spec = ChangeSpec(summary=_summary(request), resources=resources, assumptions=_ordered(notes))
    except ValidationError as exc:
        raise GateError(f"the request does not make a valid change: {exc.errors()[0]['msg']}",
                        fix="check the names and references in the request") from exc  # fmt: skip
    readings, unread = coverage.account(request, spec, find_mentions(request), [p[0] for p in planned], by_segment)
    return spec.model_copy(update={"readings": readings, "assumptions": _ordered(Notes([*spec.assumptions, *unread]))})


_OTHER_PRINCIPAL = re.compile(
    "|".join(rf"\b(?:{words})\b" for words, p in PRINCIPALS.items() if p != "lambda.amazonaws.com"), re.I
)
# a resource and the grant-holder written 'with' it, which the spec gives the resource itself
_OWNED = {
    ("lambda_function", "iam_role"): "a Lambda function always runs as its own least-privilege role: what that role "
    "may do is the function's, and the gate names the role",
    ("iam_user", "iam_policy"): "IAM users get permissions through groups only: what that policy allows goes in a "
    "group of the user's own",
}


_FOR_IT = re.compile(r"\s+for\s+(?:it|the\s+(?:function|lambda|user)|that\s+(?:function|lambda|user))\b", re.I)


def _owned_grants(request: str, segs: list[Segment], merged: dict[int, str]) -> list[Segment]:
    """'a lambda named sync with a role that can write to the table orders', 'an IAM user named ci with a policy
    that allows reading the bucket x': the role or policy is the resource's own, so its text joins the resource's
    and no second, unattached resource is made (``merged``: the resource's mention start -> what was joined)."""
    out: list[Segment] = []
    for seg in segs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and (prev.kind, seg.kind) in _OWNED
            and (
                re.search(r"\bwith\b", request[prev.mention.end : seg.mention.start], re.I)
                or _FOR_IT.match(request, seg.mention.end)  # 'and an execution role for it that can ...'
            )
            and not (seg.kind == "iam_role" and _OTHER_PRINCIPAL.search(seg.text[seg.mention.end - seg.start :]))
        ):
            text = request[prev.start : seg.end].strip(" ,;.")
            out[-1] = replace(prev, text=text, end=seg.end, references=[*prev.references, *seg.references],
                              parts=[*prev.parts, *seg.parts])  # fmt: skip
            merged[prev.mention.start] = seg.text[seg.mention.start - seg.start :][:80]
            continue
        out.append(seg)
    return out


# kinds whose key field takes an alias as well as an ARN (gate.spec.KmsKey)
_ALIAS_KEYS = (
    "s3_bucket",
    "ebs_volume",
    "sqs_queue",
    "sns_topic",
    "dynamodb_table",
    "rds_instance",
    "rds_read_replica",
)


def _bind_key(kind: str, text: str, resource: Resource) -> None:
    """'encrypted with alias/orders-key', 'KMS key arn:aws:kms:...': the key named in a resource's text is its key,
    whatever the verb and wherever it stands (a bucket then uses SSE-KMS)."""
    if kind not in _ALIAS_KEYS or resource.get("kms_key_arn"):
        return
    key = extract.kms_key(text)
    if key is None:
        return
    resource["kms_key_arn"] = key
    if kind == "s3_bucket":
        resource["encryption"] = "kms"


# free text a request may end with a full stop on purpose; every other string value is a name, id, path or setting
_PROSE = re.compile(r"description|display_name|message|subject|inline|policy|pattern|command|script", re.I)


def _trimmed(node: Any, key: str = "") -> Any:
    """A value read up to the sentence's end keeps no full stop or comma ('key pair billing-ops.' is
    'billing-ops'): a name, id or setting never ends in punctuation, whichever reader took it."""
    if isinstance(node, dict):
        return {k: node[k] if _PROSE.search(str(k)) else _trimmed(v, str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_trimmed(v, key) for v in node]
    if isinstance(node, str) and len(node) > 1 and node[-1] in ".,;:" and node[-2] not in ".,;:":
        return node.rstrip(".,;:")
    return node


def _ordered(notes: Notes) -> list[Assumption]:
    """What the request asked for and the spec does not carry comes first: the reviewer must see it."""
    return sorted(notes.assumptions, key=lambda a: {"not-applied": 0, "not-understood": 1}.get(a.field, 2))


def _attached_access(request: str, segs: list[Segment]) -> dict[int, list[str]]:
    """Access phrases outside any segment of their subject: 'a lambda named ingest that writes to a DynamoDB table
    named events-index' cuts before 'that', yet the writing is the lambda's.  Each phrase belongs to the nearest new
    resource before it (keyed by that resource's mention start)."""
    out: dict[int, list[str]] = {}
    for match in access.phrases(request):
        owner = next((s for s in reversed(segs) if s.mention.start < match.start()), None)
        if owner is not None and not owner.start <= match.start() < owner.end:
            out.setdefault(owner.mention.start, []).append(request[match.start() : match.end()])
    return out


def _adjective(request: str, seg: Segment) -> str | None:
    """'two web servers' -> 'web'; 'the billing database' -> 'billing'."""
    head = request[max(0, seg.mention.start - 30) : seg.mention.start]
    inner = re.match(r"(web|api|app|application|bastion)\s+", seg.mention.text, re.I)
    if inner:
        return inner.group(1).lower()
    head = _MODIFIER_NOUN.sub("", head)  # 'a web server security group' -> 'web-sg'
    found = _ADJECTIVE_NAMES.search(head)
    if found is None:
        return None
    return found.group(1).lower() + ("-sg" if seg.kind == "security_group" else "")


# 'peer vpc-a with vpc-b which lives in account 1234..., region us-west-2': the peer's region, not this change's
_PEER_REGION = re.compile(r"\b(?:peer\w*|lives?\s+in)\b[^.;]*?\bregion\s+[a-z]{2}(?:-[a-z]+)+-\d\b", re.I)


def _region(request: str, region: str | None, notes: Notes) -> None:
    asked = extract.region(_PEER_REGION.sub(" ", request))
    if asked and region and asked != region:
        raise GateError(
            f"the request asks for region {asked}, but this gate deploys to {region}",
            fix=f"set aws.region: {asked} in .gate.yml (or remove the region from the request)",
        )
    if asked is None and region:
        notes.assume(None, "region", region, "the request names no region; the configured aws.region is used")


def _validate(resource: Resource) -> ResourceSpec:
    try:
        return _RESOURCE.validate_python(resource)  # type: ignore[no-any-return]
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][1:]) or "value"
        kind = str(resource.get("kind", "resource")).replace("_", " ")
        raise GateError(
            f"the {kind} {resource.get('name')!r} in the request has an invalid {where}: {first['msg']}",
            fix="correct that value in the request",
        ) from exc


def _summary(request: str) -> str:
    return request if len(request) <= 500 else request[:497] + "..."
