"""Terraform resources -> the CloudFormation-shaped view the policy rules evaluate, so one rule serves both.

Only the resource types the rules cover are normalised (``CFN_TYPE``, gathered from each service's
``tf_model.MAPPING`` in :data:`gate.services.CATALOG`); others are left out, and the policy check says how many
it did not read.  Split-out resources (S3's ``aws_s3_bucket_versioning`` and the like, ``PARTS``) are folded
into the resource they name.  A Terraform expression we cannot resolve (``var.x``, ``aws_kms_key.k.arn``)
becomes ``{"Ref": "<expression>"}``: present for ``exists``, *unknown* for every comparison.

Parsed with ``hcl2.api.loads`` (the bc-python-hcl2 module checkov installs), which wraps every attribute
value in a one-item list and every block in a list of mappings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gate.services import CATALOG
from gate.services.kit import TfMapper, TfPart
from gate.services.tf_kit import attr, blocks, value
from gate.terraform import parse as tf_parse

__all__ = ["CFN_TYPE", "PARTS", "TfResource", "attr", "blocks", "parse", "provider_regions", "resources", "value"]


@dataclass(frozen=True)
class TfResource:
    address: str  # aws_s3_bucket.assets
    tf_type: str
    body: dict[str, Any]  # {"Type": "AWS::...", "Properties": {...}}
    line: int | None


def _tags(block: dict[str, Any]) -> list[dict[str, Any]] | dict[str, Any] | None:
    tags = attr(block, "tags")
    if isinstance(tags, dict) and "Ref" not in tags:
        return [{"Key": k, "Value": v} for k, v in tags.items()]
    return tags if tags is not None else None


CFN_TYPE: dict[str, tuple[str, TfMapper]] = {
    tf_type: mapping for service in CATALOG.values() for tf_type, mapping in service.terraform.types.items()
}
PARTS: dict[str, TfPart] = {
    tf_type: part for service in CATALOG.values() for tf_type, part in service.terraform.parts.items()
}


def parse(content: str, path: str) -> dict[str, Any]:
    """``.tf`` or ``.tf.json`` (see :mod:`gate.terraform.parse`)."""
    return tf_parse.parse(content, path)


def resources(content: str, path: str) -> tuple[list[TfResource], list[str]]:
    """The covered resources in CloudFormation shape, and the addresses of the ones not covered."""
    parsed = parse(content, path)
    out: dict[str, TfResource] = {}
    named: dict[str, str] = {}  # type.name -> address (they differ for a plan's module resources)
    skipped: list[str] = []
    parts: list[tuple[str, dict[str, Any]]] = []
    for group in parsed.get("resource", []):
        for tf_type, instances in group.items():
            for name, block in instances.items():
                address = str(block.get("__address__") or f"{tf_type}.{name}")  # a plan's module resources
                if tf_type in PARTS:
                    parts.append((tf_type, block))
                    continue
                mapping = CFN_TYPE.get(tf_type)
                props = mapping[1](block) if mapping else None
                if mapping is None or props is None:
                    skipped.append(address)
                    continue
                tags = _tags(block)
                if tags is not None:
                    props["Tags"] = tags
                line = block.get("__start_line__")
                body = {"Type": mapping[0], "Properties": props}
                out[address] = TfResource(address, tf_type, body, int(line) if line else None)
                named[f"{tf_type}.{name}"] = address
    for kind, block in parts:
        part = PARTS[kind]
        owner = part.owner_of(block)
        target = out.get(named.get(f"{part.owner_type}.{owner}", "")) if owner else None
        if target is None:
            skipped.append(f"{kind} ({part.owner_noun} not found in this file)")
            continue
        part.fold(block, target.body["Properties"])
    return list(out.values()), skipped


def provider_regions(content: str, path: str) -> list[Any]:
    """Regions set in ``provider "aws"`` blocks (for the organisation's allowed-regions rule)."""
    parsed = parse(content, path)
    return [
        attr(block, "region") for group in parsed.get("provider", []) for name, block in group.items() if name == "aws"
    ]
