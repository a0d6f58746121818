"""A Terraform plan as JSON (``terraform show -json PLANFILE``): what it changes, and the values it plans.

Detected by its ``format_version`` and ``resource_changes``. Each managed resource change becomes a
:class:`ResourceChange` the way a CloudFormation change set line is one: ``create`` -> Add, ``update`` ->
Modify, ``delete`` -> Remove, ``delete``+``create`` (either order) -> Modify with replacement "True", the
attributes that force it (``change.replace_paths``) and Terraform's ``action_reason`` in ``details``. The
summary counts as ``terraform plan`` (and Atlantis) do: a replacement is one to add and one to destroy.

:func:`resource_values` gives every planned resource (module resources included, under their full address)
with its planned values (``before`` for a deleted one), in the block shape the Terraform readers of the
checks and the cost use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal

from gate.errors import GateError
from gate.models import IaCFile, ResourceChange

FIX = "pass the output of 'terraform show -json PLANFILE' (Terraform 0.12 or later)"
_REASONS = {
    "replace_because_cannot_update": "an attribute cannot be updated in place",
    "replace_because_tainted": "the resource is tainted",
    "replace_by_request": "replacement was requested (-replace)",
    "replace_by_triggers": "replace_triggered_by fired",
    "delete_because_no_resource_config": "its configuration was removed",
    "delete_because_no_module": "its module was removed",
    "delete_because_count_index": "count no longer includes it",
    "delete_because_each_key": "for_each no longer includes it",
    "delete_because_wrong_repetition": "count/for_each changed",
    "delete_because_no_move_target": "the moved target does not exist",
}


def is_plan(data: Any) -> bool:
    return isinstance(data, dict) and "format_version" in data and "resource_changes" in data


def is_plan_text(text: str) -> bool:
    """Cheap test before parsing: a plan JSON names its keys near the top (``terraform show`` sorts them)."""
    head = text.lstrip()[:1]
    return head == "{" and '"format_version"' in text and '"resource_changes"' in text


def load(content: str, source: str) -> dict[str, Any]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        raise GateError(f"is not valid JSON ({exc})", source=source, fix=FIX) from exc
    if not is_plan(data):
        raise GateError("is not a Terraform plan JSON (no format_version/resource_changes)", source=source, fix=FIX)
    _validate(data, source)
    return dict(data)


def _validate(data: dict[str, Any], source: str) -> None:
    """The parts the gate reads have the shape Terraform writes, or the plan is refused with the place."""
    changes = data.get("resource_changes")
    if not isinstance(changes, list):
        raise GateError("resource_changes is not a list", source=source, fix=FIX)
    for n, rc in enumerate(changes):
        change = rc.get("change") if isinstance(rc, dict) else None
        if not isinstance(rc, dict) or not isinstance(rc.get("address"), str) or not isinstance(change, dict):
            raise GateError(f"resource_changes[{n}] has no address or change", source=source, fix=FIX)
        if not isinstance(change.get("actions"), list) or not all(isinstance(a, str) for a in change["actions"]):
            raise GateError(f"resource_changes[{n}].change.actions is not a list of actions", source=source, fix=FIX)
    _validate_module(
        ((data.get("planned_values") or {}).get("root_module")) or {}, source, "planned_values.root_module"
    )


def _validate_module(module: Any, source: str, where: str) -> None:
    if not isinstance(module, dict):
        raise GateError(f"{where} is not an object", source=source, fix=FIX)
    resources = module.get("resources") or []
    children = module.get("child_modules") or []
    if not isinstance(resources, list) or not isinstance(children, list):
        raise GateError(f"{where}.resources/child_modules are not lists", source=source, fix=FIX)
    for n, r in enumerate(resources):
        if (
            not isinstance(r, dict)
            or not isinstance(r.get("address"), str)
            or not isinstance(r.get("values", {}), dict)
        ):
            raise GateError(f"{where}.resources[{n}] has no address or values", source=source, fix=FIX)
    for n, child in enumerate(children):
        _validate_module(child, source, f"{where}.child_modules[{n}]")


@dataclass(frozen=True)
class PlannedChange:
    address: str
    type: str
    kind: Literal["create", "update", "delete", "replace"]
    replace_paths: tuple[str, ...]
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _path(parts: list[Any]) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind(actions: list[str]) -> Literal["create", "update", "delete", "replace"] | None:
    kinds = set(actions)
    if kinds == {"create", "delete"}:
        return "replace"
    if kinds == {"create"}:
        return "create"
    if kinds == {"delete"}:
        return "delete"
    if kinds == {"update"}:
        return "update"
    return None  # no-op, read


def planned_changes(data: dict[str, Any]) -> list[PlannedChange]:
    out: list[PlannedChange] = []
    for rc in data.get("resource_changes") or []:
        if rc.get("mode", "managed") != "managed":
            continue
        change = rc.get("change") or {}
        kind = _kind(list(change.get("actions") or []))
        if kind is None:
            continue
        paths = tuple(_path(p) for p in change.get("replace_paths") or [] if isinstance(p, list))
        before, after = change.get("before"), change.get("after")
        out.append(
            PlannedChange(
                address=str(rc["address"]),
                type=str(rc.get("type") or "?"),
                kind=kind,
                replace_paths=paths,
                reason=rc.get("action_reason"),
                before=before if isinstance(before, dict) else None,
                after=after if isinstance(after, dict) else None,
            )
        )
    return out


def resource_changes(data: dict[str, Any]) -> list[ResourceChange]:
    out: list[ResourceChange] = []
    for pc in planned_changes(data):
        details: list[str] = []
        if pc.replace_paths:
            details.append("forces replacement: " + ", ".join(pc.replace_paths))
        if pc.reason:
            details.append(_REASONS.get(pc.reason, pc.reason))
        action: Literal["Add", "Modify", "Remove"] = (
            "Add" if pc.kind == "create" else "Remove" if pc.kind == "delete" else "Modify"
        )
        out.append(
            ResourceChange(
                logical_id=pc.address,
                type=pc.type,
                action=action,
                replacement="True" if pc.kind == "replace" else "False",
                replacement_source="none" if pc.kind != "replace" else "aws",
                details=tuple(details),
            )
        )
    return out


def summary(changes: tuple[ResourceChange, ...] | list[ResourceChange]) -> str:
    """'1 to add, 0 to change, 1 to destroy' as terraform plan counts (a replacement adds and destroys)."""
    add = change = destroy = 0
    for c in changes:
        if c.action == "Add":
            add += 1
        elif c.action == "Remove":
            destroy += 1
        elif c.replacement == "True":
            add += 1
            destroy += 1
        else:
            change += 1
    return f"{add} to add, {change} to change, {destroy} to destroy"


def _module_resources(module: dict[str, Any]) -> list[dict[str, Any]]:
    found = [r for r in module.get("resources") or [] if isinstance(r, dict)]
    for child in module.get("child_modules") or []:
        found.extend(_module_resources(child))
    return found


def resource_values(data: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(address, type, values) of every managed resource the plan leaves (planned values), then of every one
    it deletes (their values before), so the checks see what will exist and the guard what goes."""
    root = ((data.get("planned_values") or {}).get("root_module")) or {}
    return [
        (str(r["address"]), str(r.get("type")), dict(r.get("values") or {}))
        for r in _module_resources(root)
        if r.get("mode", "managed") == "managed"
    ]


def before_values(data: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(address, type, values) of every managed resource as it is before the plan (the cost's 'before')."""
    out = []
    for rc in data.get("resource_changes") or []:
        before = (rc.get("change") or {}).get("before")
        if rc.get("mode", "managed") == "managed" and isinstance(before, dict):
            out.append((str(rc["address"]), str(rc.get("type")), before))
    return out


def _configured_buckets(module: dict[str, Any], prefix: str, out: dict[str, str]) -> None:
    """address -> the bucket resource an S3 part's ``bucket`` expression refers to, from the configuration
    (a part of a bucket created by the same plan has no planned ``bucket`` value yet)."""
    for resource in module.get("resources") or []:
        refs = ((resource.get("expressions") or {}).get("bucket") or {}).get("references") or []
        target = next((str(r) for r in refs if str(r).startswith("aws_s3_bucket.") and str(r).count(".") == 1), None)
        if target:
            out[prefix + str(resource.get("address"))] = prefix + target
    for name, call in (module.get("module_calls") or {}).items():
        _configured_buckets(call.get("module") or {}, f"{prefix}module.{name}.", out)


def as_blocks(data: dict[str, Any], values: list[tuple[str, str, dict[str, Any]]] | None = None) -> dict[str, Any]:
    """The planned values in the shape :func:`gate.terraform.parse.parse` gives (``resource: [{type: {name:
    body}}]``), each body carrying its plan address as ``__address__``. An S3 part (``aws_s3_bucket_versioning``
    ...) names its bucket by value (or by a reference, when the bucket is new): it becomes the reference to the
    planned bucket, as in source, so the readers fold it into the bucket. ``values``: these instead of the
    planned ones (:func:`before_values` for the state before the plan)."""
    values = resource_values(data) if values is None else values
    buckets = {
        str(body.get("bucket")): name_of(address, rtype)
        for address, rtype, body in values
        if rtype == "aws_s3_bucket" and body.get("bucket")
    }
    configured: dict[str, str] = {}
    _configured_buckets(((data.get("configuration") or {}).get("root_module")) or {}, "", configured)
    groups: dict[str, dict[str, Any]] = {}
    for address, rtype, body in values:
        shaped = dict(body, __address__=address)
        bucket = body.get("bucket")
        target = configured.get(re.sub(r"\[[^\]]*\]", "", address))
        if rtype.startswith("aws_s3_bucket_") and isinstance(bucket, str) and bucket in buckets:
            shaped["bucket"] = _bucket_ref(buckets[bucket])
        elif rtype.startswith("aws_s3_bucket_") and target:
            shaped["bucket"] = _bucket_ref(name_of(target, "aws_s3_bucket"))
        groups.setdefault(rtype, {})[name_of(address, rtype)] = shaped
    return {"resource": [{rtype: bodies} for rtype, bodies in groups.items()]}


def _bucket_ref(name: str) -> str:
    return "${aws_s3_bucket." + name + ".id}"


def name_of(address: str, rtype: str) -> str:
    """A block name for ``address`` (``module.db.aws_db_instance.this`` -> ``module_db_this``)."""
    prefix, _, rest = address.partition(f"{rtype}.")
    return re.sub(r"[^\w-]", "_", prefix + rest)


def plan_of(file: IaCFile) -> dict[str, Any]:
    return load(file.content, file.path)


_INDEX = re.compile(r"\[[^\]]*\]")
_RESOURCE = re.compile(r"^(?:module\.[\w-]+\.)*[a-z][\w-]*\.[\w-]+")


def _references(node: Any, found: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "references" and isinstance(value, list):
                found.extend(str(v) for v in value)
            else:
                _references(value, found)
    elif isinstance(node, list):
        for item in node:
            _references(item, found)


def _config_refs(module: dict[str, Any], prefix: str, out: dict[str, list[str]]) -> None:
    for resource in module.get("resources") or []:
        if resource.get("mode", "managed") != "managed":
            continue
        found: list[str] = []
        _references(resource.get("expressions") or {}, found)
        found.extend(str(d) for d in resource.get("depends_on") or [])
        targets = []
        for ref in found:
            if ref.startswith(("var.", "local.", "data.", "each.", "count.", "path.", "self.")):
                continue
            match = _RESOURCE.match(_INDEX.sub("", ref) if ref.startswith("module.") else ref)
            if match:
                targets.append(prefix + match.group(0))
        out[prefix + str(resource.get("address"))] = list(dict.fromkeys(targets))
    for name, call in (module.get("module_calls") or {}).items():
        _config_refs(call.get("module") or {}, f"{prefix}module.{name}.", out)


def depends_on(data: dict[str, Any], addresses: list[str]) -> dict[str, tuple[str, ...]]:
    """address -> the addresses (of ``addresses``) it refers to in the plan's ``configuration``: every
    ``references`` list of its ``expressions`` (nested blocks included) and its ``depends_on``; inside a module
    they are relative to it. Instances (``aws_subnet.app[0]``) share their configuration's references."""
    refs: dict[str, list[str]] = {}
    _config_refs(((data.get("configuration") or {}).get("root_module")) or {}, "", refs)
    instances: dict[str, list[str]] = {}
    for address in addresses:
        instances.setdefault(_INDEX.sub("", address), []).append(address)
    return {
        address: tuple(
            dict.fromkeys(i for target in refs.get(_INDEX.sub("", address), []) for i in instances.get(target, []))
        )
        for address in addresses
    }
