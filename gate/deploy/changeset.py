"""CloudFormation change sets: what a template would do to a stack, without doing it."""

from __future__ import annotations

import time
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from gate.cloud.aws import AwsTarget, aws_error
from gate.errors import GateError
from gate.models import ResourceChange

_STACK_MISSING = ("does not exist",)


def stack_exists(cfn: Any, stack_name: str) -> bool:
    try:
        stacks = cfn.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        if any(text in str(exc) for text in _STACK_MISSING):
            return False
        raise
    return bool(stacks) and stacks[0]["StackStatus"] != "REVIEW_IN_PROGRESS"


def preview(
    target: AwsTarget, stack_name: str, template_body: str, change_set_name: str, timeout: float = 300.0
) -> tuple[str, list[ResourceChange]]:
    """Create a change set for ``template_body`` against ``stack_name`` and return (its id, its changes)."""
    cfn = target.client("cloudformation")
    try:
        change_type = "UPDATE" if stack_exists(cfn, stack_name) else "CREATE"
        created = cfn.create_change_set(
            StackName=stack_name,
            TemplateBody=template_body,
            ChangeSetName=change_set_name,
            ChangeSetType=change_type,
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
            Description="devops-gate plan",
        )
        change_set_id = created["Id"]
        described = _wait(cfn, change_set_id, timeout)
    except (ClientError, BotoCoreError) as exc:
        raise aws_error(exc, f"creating a change set for stack {stack_name}", target) from exc
    return change_set_id, [_change(c) for c in described]


def _wait(cfn: Any, change_set_id: str, timeout: float) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    delay = 0.2
    while True:
        desc = cfn.describe_change_set(ChangeSetName=change_set_id)
        status = desc.get("Status")
        if status == "CREATE_COMPLETE":
            changes = list(desc.get("Changes", []))
            token = desc.get("NextToken")
            while token:
                page = cfn.describe_change_set(ChangeSetName=change_set_id, NextToken=token)
                changes.extend(page.get("Changes", []))
                token = page.get("NextToken")
            return changes
        if status == "FAILED":
            reason = desc.get("StatusReason", "")
            if "didn't contain changes" in reason or "No updates" in reason:
                return []
            raise GateError(f"the change set failed: {reason}", fix="correct the template and plan again")
        if time.monotonic() > deadline:
            raise GateError(f"the change set was not ready after {timeout:.0f} s", fix="retry the plan")
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


def _change(raw: dict[str, Any]) -> ResourceChange:
    rc = raw.get("ResourceChange", {})
    replacement = rc.get("Replacement")
    return ResourceChange(
        logical_id=rc.get("LogicalResourceId", "?"),
        type=rc.get("ResourceType", "?"),
        action=rc.get("Action", "Dynamic"),
        replacement=replacement if replacement in ("True", "False", "Conditional") else "Unknown",
        replacement_source="aws" if replacement in ("True", "False", "Conditional") else "none",
        details=tuple(
            f"{d.get('Target', {}).get('Attribute', '')}:{d.get('Target', {}).get('Name', '')}".strip(":")
            for d in rc.get("Details", [])
        ),
    )
