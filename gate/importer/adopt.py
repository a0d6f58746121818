"""Adoption: the imported template as a CloudFormation IMPORT change set (``ChangeSetType=IMPORT`` with
``ResourcesToImport``; every resource ``DeletionPolicy: Retain``), planned into gate-plan.json like any other
change set so ``devops-gate apply`` executes exactly the reviewed one, behind the data-loss guard and the
reviewed-hash anchor.

Measured: moto 5.2.5 accepts ``ChangeSetType=IMPORT`` but plans ``Add`` for every resource and, executed,
creates them (``BucketAlreadyExists``). A change set that does not import every resource is refused here.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.config import GateConfig
from gate.decide import decide
from gate.deploy import base, changeset, guard
from gate.errors import GateError
from gate.models import GatePlan, ResourceChange


def import_change_set(
    target: AwsTarget, stack: str, template_body: str, resources: list[dict[str, Any]], timeout: float = 300.0
) -> tuple[str, list[ResourceChange]]:
    """Create the IMPORT change set of a new stack ``stack``; return (its id, its changes: one Import each)."""
    cfn = target.client("cloudformation")
    name = "gate-import-" + dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
    try:
        changeset.check_updatable(cfn, stack)
        if changeset.stack_exists(cfn, stack):
            raise GateError(
                f"stack {stack} already exists: an import here adopts into a new stack",
                fix="pass --stack with a name no stack has yet",
            )
        created = cfn.create_change_set(
            StackName=stack,
            ChangeSetName=name,
            ChangeSetType="IMPORT",
            TemplateBody=template_body,
            ResourcesToImport=resources,
            Capabilities=changeset.CAPABILITIES,
            Description="devops-gate import",
        )
        change_set_id = str(created["Id"])
        described = changeset.wait_ready(cfn, change_set_id, timeout)
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"creating the IMPORT change set for stack {stack}", target) from exc
    changes = [changeset.to_change(c) for c in described]
    wanted = {str(r["LogicalResourceId"]) for r in resources}
    wrong = [f"{c.logical_id} ({c.action})" for c in changes if c.action != "Import"]
    missing = sorted(wanted - {c.logical_id for c in changes})
    if wrong or missing:
        raise GateError(
            f"{target.label} did not plan an import of every resource (not Import: {', '.join(wrong) or 'none'}; "
            f"missing: {', '.join(missing) or 'none'}); executing it would create them instead of adopting them",
            fix="adopt on an endpoint that implements IMPORT change sets (AWS; moto does not), or import without "
            "--stack to write the files and findings only",
        )
    return change_set_id, changes


def adopt(plan: GatePlan, target: AwsTarget, config: GateConfig, today: dt.date | None = None) -> GatePlan:
    """``plan`` (made without a change set) with the IMPORT change set, the data-loss guard on its changes, the
    stack's base (no stack yet) and the verdict decided again."""
    stack = plan.stack_name or config.stack_name
    template = next(f for f in plan.iac.files if f.format == "cloudformation")
    deployed = base.read(target, stack)
    resources = _resources(plan)
    change_set_id, changes = import_change_set(
        target, stack, template.content, resources, timeout=config.deploy.stack_timeout_minutes * 60
    )
    reports = [r for r in plan.checks if r.check != guard.CHECK_ID]
    reports.append(guard.data_loss_report(changes, plan.context.allow_data_loss))
    verdict = decide(reports, config, today or dt.datetime.now(dt.UTC).date(), cost=plan.cost)
    return plan.model_copy(
        update={
            "change_set_id": change_set_id,
            "change_set_type": "IMPORT",
            "changes": tuple(changes),
            "checks": tuple(reports),
            "verdict": verdict,
            "stack_name": stack,
            "base": base.record(deployed, stack, stack, None, target.region),
        }
    )


def _resources(plan: GatePlan) -> list[dict[str, Any]]:
    """``ResourcesToImport`` from the reviewed template itself: each resource's type and import identifier."""
    from gate.synth import cfn_yaml

    template = next(f for f in plan.iac.files if f.format == "cloudformation")
    parsed = cfn_yaml.load(template.content, template.path)
    out = []
    for logical, body in (parsed.get("Resources") or {}).items():
        identifier = (body.get("Metadata") or {}).get("gate:identifier")
        if not isinstance(identifier, dict):
            raise GateError(f"{template.path}: resource {logical} has no Metadata gate:identifier to import it by")
        out.append(
            {
                "ResourceType": str(body["Type"]),
                "LogicalResourceId": str(logical),
                "ResourceIdentifier": dict(identifier),
            }
        )
    return out
