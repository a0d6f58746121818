"""Pieces every synthesiser uses: tags, policy documents, and the checks we knowingly waive (one place)."""

from __future__ import annotations

from typing import Any

from gate.spec import ResourceSpec
from gate.synth.hcl import Comment, Value

MANAGED_BY = {"managed-by": "devops-gate"}

# Checks the secure defaults knowingly do not satisfy, with the reason. Synthesisers attach these to the
# generated resource as checkov skip metadata (CloudFormation) or `#checkov:skip=ID:reason` comments
# (Terraform), so the reviewer sees each waiver and why in the code, and the gate reports them as waived.
KNOWN_WAIVERS: dict[str, str] = {
    "CKV_AWS_18": "access logging needs a separate log bucket; ask for one with 'access logs to bucket X'",
    "CKV_AWS_16": "a read replica inherits encryption from its encrypted source (CloudFormation refuses "
    "StorageEncrypted on replicas)",
}


def tags(res: ResourceSpec, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**MANAGED_BY, "gate:name": res.name, **(extra or {}), **res.tags}


def cfn_tags(res: ResourceSpec, extra: dict[str, str] | None = None) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags(res, extra).items()]


def tf_tags(res: ResourceSpec, extra: dict[str, str] | None = None) -> dict[str, Value]:
    return dict(tags(res, extra))


def checkov_skips(*check_ids: str) -> dict[str, Any]:
    """CloudFormation ``Metadata`` that tells checkov a check is knowingly waived, with the reason."""
    return {"checkov": {"skip": [{"id": cid, "comment": KNOWN_WAIVERS[cid]} for cid in check_ids]}}


def tf_skips(*check_ids: str) -> list[Comment]:
    """Terraform ``#checkov:skip=ID:reason`` comments (put them first in the resource block)."""
    return [Comment(f"checkov:skip={cid}:{KNOWN_WAIVERS[cid]}") for cid in check_ids]


def assume_role_policy(*services: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": sorted(services) if len(services) > 1 else services[0]},
                "Action": "sts:AssumeRole",
            }
        ],
    }
