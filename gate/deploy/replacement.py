"""Will a change replace the resource?  Ask the resource provider schemas that cfn-lint ships.

moto returns no ``Replacement`` in its change sets, and real AWS only knows it per change set.  A resource is
replaced when a ``createOnlyProperties`` value differs between the deployed template and the new one
(``cfnlint/data/schemas/providers/<region>.json`` maps each type to a schema file in
``cfnlint/data/schemas/resources/``).  Intrinsics we cannot resolve make the answer ``Conditional``.
AWS's own answer, when the endpoint gives one, always wins (``replacement_source`` "aws").
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from gate.models import ResourceChange

Replacement = Literal["True", "False", "Conditional", "Unknown"]
_MISSING = object()
_FALLBACK_REGION = "us-east-1"


def _schemas_dir() -> Path:
    import cfnlint

    return Path(cfnlint.__file__).parent / "data" / "schemas"


@lru_cache(maxsize=8)
def _provider_map(region: str) -> dict[str, str]:
    path = _schemas_dir() / "providers" / f"{region}.json"
    if not path.is_file():
        path = _schemas_dir() / "providers" / f"{_FALLBACK_REGION}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


# Properties the CloudFormation docs mark "Update requires: Replacement" that the provider schemas leave out of
# createOnlyProperties (the handlers replace through the legacy path). Data, not code: add a line.
DOCUMENTED_REPLACEMENT: dict[str, tuple[str, ...]] = {
    "AWS::DynamoDB::Table": ("/properties/KeySchema", "/properties/LocalSecondaryIndexes"),
    "AWS::EC2::Volume": (
        "/properties/AvailabilityZone",
        "/properties/Encrypted",
        "/properties/KmsKeyId",
        "/properties/SnapshotId",
        "/properties/OutpostArn",
    ),
}


@lru_cache(maxsize=256)
def create_only_properties(resource_type: str, region: str = _FALLBACK_REGION) -> tuple[str, ...] | None:
    """JSON pointers (``/properties/BucketName``) that force replacement; None when the type is unknown."""
    schema_hash = _provider_map(region).get(resource_type)
    if schema_hash is None:
        return None
    path = _schemas_dir() / "resources" / f"{schema_hash}.json"
    if not path.is_file():
        return None
    schema = json.loads(path.read_text(encoding="utf-8"))
    listed = tuple(str(p) for p in schema.get("createOnlyProperties", ()))
    extra = tuple(p for p in DOCUMENTED_REPLACEMENT.get(resource_type, ()) if p not in listed)
    return listed + extra


def _lookup(properties: dict[str, Any], pointer: str) -> object:
    parts = pointer.split("/")[2:]  # "", "properties", then the path
    node: object = properties
    for part in parts:
        if part == "*":  # list items: compare the whole list at this level
            return node
        if not isinstance(node, dict) or part not in node:
            return _MISSING
        node = node[part]
    return node


def _has_intrinsic(value: object) -> bool:
    if isinstance(value, dict):
        if any(k == "Ref" or k.startswith("Fn::") for k in value):
            return True
        return any(_has_intrinsic(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_intrinsic(v) for v in value)
    return False


def replacement_for(old: dict[str, Any], new: dict[str, Any], region: str) -> tuple[Replacement, tuple[str, ...]]:
    """Compare one resource's old and new template bodies; return the answer and the properties that decide it."""
    old_type, new_type = old.get("Type"), new.get("Type")
    if old_type != new_type:
        return "True", ("Type",)
    create_only = create_only_properties(str(new_type), region)
    if create_only is None:
        return "Unknown", ()
    old_props = old.get("Properties") or {}
    new_props = new.get("Properties") or {}
    changed: list[str] = []
    unresolved = False
    for pointer in create_only:
        before, after = _lookup(old_props, pointer), _lookup(new_props, pointer)
        if before == after:
            continue
        changed.append(pointer.removeprefix("/properties/"))
        if _has_intrinsic(before) or _has_intrinsic(after):
            unresolved = True
    if not changed:
        return "False", ()
    return ("Conditional" if unresolved else "True"), tuple(changed)


def annotate(
    changes: list[ResourceChange], old_template: dict[str, Any] | None, new_template: dict[str, Any], region: str
) -> list[ResourceChange]:
    """Fill in replacement for Modify changes that AWS left without an answer, from the schemas."""
    old_resources = (old_template or {}).get("Resources") or {}
    new_resources = new_template.get("Resources") or {}
    out: list[ResourceChange] = []
    for change in changes:
        if change.action != "Modify" or change.replacement_source == "aws":
            out.append(change)
            continue
        old = old_resources.get(change.logical_id)
        new = new_resources.get(change.logical_id)
        if not isinstance(old, dict) or not isinstance(new, dict):
            out.append(change)
            continue
        answer, props = replacement_for(old, new, region)
        details = change.details + tuple(f"createOnly:{p}" for p in props if f"createOnly:{p}" not in change.details)
        out.append(
            change.model_copy(update={"replacement": answer, "replacement_source": "schema", "details": details})
        )
    return out
