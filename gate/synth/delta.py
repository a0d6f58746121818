"""A plan as a delta on the deployed stack: the template to deploy is the deployed one with only what the
request changes replaced.

The gate stores the spec it deployed in the template's ``Metadata`` (``devops-gate: {spec: ...}``) and marks
each resource it built with ``Metadata: {gate:spec: <name>}``. Merging the freshly synthesised template
(``new``) into the deployed one (``base``):

- a resource of a spec entry the request did not change keeps its deployed definition exactly (a newer
  gate version synthesising it differently never turns into an unreviewed Modify);
- a resource the gate did not make (hand-made, another tool; no ``gate:spec``) is kept as it is and shown as
  "unchanged, not managed by the spec";
- resources of added or changed spec entries come from ``new``; those of removed entries go.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from gate.errors import GateError
from gate.spec import ChangeSpec, ResourceSpec

META_KEY = "devops-gate"
RESOURCE_KEY = "gate:spec"
_KEPT_SECTIONS = ("Parameters", "Mappings", "Conditions", "Outputs")


def plain(node: Any) -> Any:
    """Parsed template nodes (cfn-lint's dict/str subclasses with line marks) as plain JSON values."""
    return json.loads(json.dumps(node))


def spec_name(body: Any) -> str | None:
    meta = body.get("Metadata") if isinstance(body, dict) else None
    value = meta.get(RESOURCE_KEY) if isinstance(meta, dict) else None
    return str(value) if value else None


def _owner(body: Any, held: set[str]) -> str | None:
    """The spec entry a deployed resource belongs to; None when the stored spec does not hold it (hand-made,
    another tool, or a gate-made stack deployed before the gate stored its spec)."""
    name = spec_name(body)
    return name if name in held else None


def ownership(template: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(spec names the stack holds, logical ids of resources not managed by the spec)."""
    resources = template.get("Resources") or {}
    spec = stored_spec(template)
    held = {r.name for r in spec.resources} if spec else set()
    managed = dict.fromkeys(n for n in (_owner(b, held) for b in resources.values()) if n)
    unmanaged = tuple(str(k) for k, b in resources.items() if _owner(b, held) is None)
    return tuple(managed), unmanaged


def stored_spec(template: dict[str, Any] | None) -> ChangeSpec | None:
    """The spec the gate deployed with this template, or None (not deployed by the gate, or stored by a gate
    too old to store it)."""
    meta = (template or {}).get("Metadata")
    stored = meta.get(META_KEY) if isinstance(meta, dict) else None
    raw = stored.get("spec") if isinstance(stored, dict) else None
    if raw is None:
        return None
    try:
        if isinstance(raw, str):  # stored as JSON text when nulls matter (see with_stored_spec)
            return ChangeSpec.model_validate_json(raw)
        return ChangeSpec.model_validate(plain(raw))
    except ValidationError as exc:
        raise GateError(
            f"the spec stored in the deployed template's Metadata.{META_KEY} is not valid: {exc.errors()[0]['msg']}",
            fix=f"remove Metadata.{META_KEY} from the stack's template (its resources are then kept as "
            "'not managed by the spec'), or re-deploy it with the gate",
        ) from exc


def with_stored_spec(template: dict[str, Any], spec: ChangeSpec) -> dict[str, Any]:
    """``template`` with ``spec`` stored in its Metadata (so the next plan starts from it)."""
    meta = dict(template.get("Metadata") or {})
    kept = {"assumptions", "options_considered"}
    stored: Any = spec.model_dump(mode="json", exclude_none=True, exclude=kept)
    if ChangeSpec.model_validate(stored) != spec.model_copy(update={k: [] for k in kept}):
        # a null that means 'none' where the field's default is something (no dead-letter queue, no multipart
        # abort rule) would read back as the default; templates take no nulls, so the spec is stored as JSON text
        stored = spec.model_dump_json(exclude=kept)
    meta[META_KEY] = {"spec": stored}
    # last: the resources stay where a reader (and a finding's line number) expects them
    return {**{k: v for k, v in template.items() if k != "Metadata"}, "Metadata": meta}


def _unchanged(base_spec: ChangeSpec | None, spec: ChangeSpec) -> set[str]:
    """Names of spec entries the request left exactly as deployed."""
    if base_spec is None:
        return set()
    before: dict[str, ResourceSpec] = {r.name: r for r in base_spec.resources}
    return {r.name for r in spec.resources if r.name in before and before[r.name] == r}


def merge(
    new: dict[str, Any], base: dict[str, Any] | None, base_spec: ChangeSpec | None, spec: ChangeSpec
) -> dict[str, Any]:
    """The template to deploy: ``new`` (synthesised from ``spec``) laid over the deployed ``base``."""
    if base is None:
        return new
    base = plain(base)
    base_resources: dict[str, Any] = base.get("Resources") or {}
    new_resources: dict[str, Any] = new.get("Resources") or {}
    unchanged = _unchanged(base_spec, spec)
    held = {r.name for r in base_spec.resources} if base_spec else set()
    resources: dict[str, Any] = {}
    for logical, body in base_resources.items():
        owner = _owner(body, held)
        if owner is None:
            if logical in new_resources:
                raise GateError(
                    f"the request's resource {logical!r} has the logical id of a resource in the deployed stack that "
                    "the spec does not manage",
                    fix="give the new resource another name, or change the existing one by hand-written IaC",
                )
            resources[logical] = body  # not managed by the spec: kept as deployed
        elif owner in unchanged and logical in new_resources:
            resources[logical] = body  # unchanged by the request: exactly as deployed
        elif logical in new_resources:
            resources[logical] = new_resources[logical]  # changed by the request
        # else: its spec entry was removed (or now builds other resources): it goes
    for logical, body in new_resources.items():
        resources.setdefault(logical, body)
    merged: dict[str, Any] = {k: v for k, v in new.items() if k != "Resources"}
    for section in _KEPT_SECTIONS:
        kept = {**(base.get(section) or {}), **(new.get(section) or {})}
        if kept:
            merged[section] = kept
    for key, value in base.items():  # Transform, other Metadata, ... of a hand-made stack stay
        if key not in merged and key != "Resources":
            merged[key] = value
    if isinstance(base.get("Metadata"), dict) and isinstance(new.get("Metadata"), dict):
        merged["Metadata"] = {**base["Metadata"], **new["Metadata"]}
    merged["Resources"] = resources
    return _pruned(merged)


_ORDER = (
    "AWSTemplateFormatVersion",
    "Transform",
    "Description",
    *_KEPT_SECTIONS[:3],
    "Resources",
    "Outputs",
    "Metadata",
)


def _ordered(template: dict[str, Any]) -> dict[str, Any]:
    keys = [k for k in _ORDER if k in template] + [k for k in template if k not in _ORDER]
    return {k: template[k] for k in keys}


def _pruned(template: dict[str, Any]) -> dict[str, Any]:
    """Drop outputs that name a resource that is gone, and parameters nothing refers to any more."""
    from gate.iac import referenced_names

    resources = template["Resources"]
    params = template.get("Parameters") or {}
    known = set(resources) | set(params) | _PSEUDO
    outputs = {k: v for k, v in (template.get("Outputs") or {}).items() if referenced_names(v) <= known}
    used: set[str] = set()
    for section in ("Resources", "Conditions"):
        used |= referenced_names(template.get(section) or {})
    used |= referenced_names(outputs)
    out = {k: v for k, v in template.items() if k not in ("Outputs", "Parameters")}
    kept_params = {k: v for k, v in params.items() if k in used}
    if kept_params:
        out["Parameters"] = kept_params
    if outputs:
        out["Outputs"] = outputs
    return _ordered(out)


_PSEUDO = {
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
}
