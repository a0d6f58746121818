"""Pieces every synthesiser uses: tags, and the checks we knowingly waive on generated code (one place)."""

from __future__ import annotations

from typing import Any

from gate.spec import ResourceSpec

MANAGED_BY = {"managed-by": "devops-gate"}

# Checks the secure defaults knowingly do not satisfy, with the reason. Synthesisers attach these to the
# generated resource as checkov skip metadata, so the reviewer sees each waiver and why in the template.
KNOWN_WAIVERS: dict[str, str] = {
    "CKV_AWS_18": "access logging needs a separate log bucket; ask for one with 'access logs to bucket X'",
}


def cfn_tags(res: ResourceSpec, extra: dict[str, str] | None = None) -> list[dict[str, str]]:
    merged = {**MANAGED_BY, "gate:name": res.name, **(extra or {}), **res.tags}
    return [{"Key": k, "Value": v} for k, v in merged.items()]


def checkov_skips(*check_ids: str) -> dict[str, Any]:
    """CloudFormation ``Metadata`` that tells checkov a check is knowingly waived, with the reason."""
    return {"checkov": {"skip": [{"id": cid, "comment": KNOWN_WAIVERS[cid]} for cid in check_ids]}}
