"""CloudFormation change sets: what a template would do to a stack, without doing it."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.deploy import replacement
from gate.errors import GateError
from gate.models import ResourceChange
from gate.synth import cfn_yaml

_STACK_MISSING = ("does not exist",)
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]

# Stack states in which CloudFormation takes no change set, and what the operator has to do first.
_STUCK: dict[str, str] = {
    "ROLLBACK_COMPLETE": "its creation failed and was rolled back; CloudFormation can only delete it. "
    "Delete the stack (after saving anything it kept), then plan again",
    "ROLLBACK_FAILED": "its creation failed and so did the rollback. Delete the stack, then plan again",
    "DELETE_FAILED": "a delete failed. Finish the delete (retaining what cannot be deleted), then plan again",
    "UPDATE_ROLLBACK_FAILED": "an update failed and so did its rollback. Continue the rollback "
    "(ContinueUpdateRollback, skipping what cannot roll back), then plan again",
}


def check_updatable(cfn: Any, stack_name: str) -> None:
    """Refuse early, with the fix, when the stack is busy or in a state CloudFormation takes no change set in."""
    status = stack_status(cfn, stack_name)
    if status is None:
        return
    if status in _STUCK:
        raise GateError(f"stack {stack_name} is {status}: {_STUCK[status]}", fix=_STUCK[status].split(". ")[-1])
    if status.endswith("_IN_PROGRESS") and status != "REVIEW_IN_PROGRESS":
        raise GateError(
            f"stack {stack_name} is {status}: another operation is running on it",
            fix="wait for it to end (CloudFormation console or 'aws cloudformation wait'), then run the gate again",
        )


@dataclass(frozen=True)
class ChangeSet:
    id: str
    change_type: str  # CREATE or UPDATE
    changes: list[ResourceChange]
    stack_id: str | None = None  # poll by id: a name can stand for a deleted stack and a new one


def stack_status(cfn: Any, stack_name: str) -> str | None:
    """The stack's status, or None when there is no stack."""
    try:
        stacks = cfn.describe_stacks(StackName=stack_name)["Stacks"]
    except ClientError as exc:
        if any(text in str(exc) for text in _STACK_MISSING):
            return None
        raise
    return str(stacks[0]["StackStatus"]) if stacks else None


def stack_exists(cfn: Any, stack_name: str) -> bool:
    status = stack_status(cfn, stack_name)
    return status is not None and status not in ("REVIEW_IN_PROGRESS", "DELETE_COMPLETE")


def parse_template(body: object, source: str) -> dict[str, Any]:
    """GetTemplate answers a dict (JSON templates, parsed by botocore) or text (YAML)."""
    if isinstance(body, dict):
        parsed: dict[str, Any] = json.loads(json.dumps(body))
        return parsed
    return cfn_yaml.load(str(body), source)


def template_text(body: object) -> str:
    return json.dumps(body, indent=2) if isinstance(body, dict) else str(body)


def deployed_template(cfn: Any, stack_name: str) -> str | None:
    """The template the stack runs now (as text), or None when there is no stack."""
    if not stack_exists(cfn, stack_name):
        return None
    return template_text(cfn.get_template(StackName=stack_name, TemplateStage="Original")["TemplateBody"])


def parameter_list(values: Mapping[str, str]) -> list[dict[str, str]]:
    return [{"ParameterKey": k, "ParameterValue": v} for k, v in values.items()]


def deployed_parameters(cfn: Any, stack_name: str) -> dict[str, str]:
    """The parameter values the stack runs with now (empty when there is no stack or none)."""
    stacks = cfn.describe_stacks(StackName=stack_name)["Stacks"]
    raw = stacks[0].get("Parameters", []) if stacks else []
    return {str(p["ParameterKey"]): str(p.get("ParameterValue", "")) for p in raw}


def _check_parameters(template_body: str, given: Mapping[str, str]) -> None:
    """Every template parameter without a default needs a value, and every value a parameter (AWS answers a
    ValidationError for either; say it first, with the fix)."""
    declared = cfn_yaml.load(template_body, "the template").get("Parameters") or {}
    missing = [k for k, v in declared.items() if not (isinstance(v, dict) and "Default" in v) and k not in given]
    unknown = [k for k in given if k not in declared]
    if missing:
        raise GateError(
            f"the template's parameter(s) {', '.join(missing)} have no default and no value",
            source=".gate.yml parameters",
            fix="add them under parameters: in .gate.yml (name: value; never secrets: use dynamic references)",
        )
    if unknown:
        raise GateError(
            f"parameters: {', '.join(unknown)} not declared by the template",
            source=".gate.yml parameters",
            fix="remove them from parameters: in .gate.yml, or declare them in the template",
        )


def create(
    target: AwsTarget,
    stack_name: str,
    template_body: str,
    change_set_name: str,
    rollback_triggers: list[str] | None = None,
    timeout: float = 300.0,
    description: str = "devops-gate plan",
    parameters: Mapping[str, str] | None = None,
) -> ChangeSet:
    """Create a change set for ``template_body`` against ``stack_name``; return it with its changes, whose
    replacement is AWS's answer when given and the resource schemas' answer otherwise."""
    _check_parameters(template_body, parameters or {})
    cfn = target.client("cloudformation")
    try:
        check_updatable(cfn, stack_name)
        exists = stack_exists(cfn, stack_name)
        old = deployed_template(cfn, stack_name) if exists else None
        kwargs: dict[str, Any] = {
            "StackName": stack_name,
            "TemplateBody": template_body,
            "ChangeSetName": change_set_name,
            "ChangeSetType": "UPDATE" if exists else "CREATE",
            "Capabilities": CAPABILITIES,
            "Description": description,
        }
        if parameters:
            kwargs["Parameters"] = parameter_list(parameters)
        if rollback_triggers:
            kwargs["RollbackConfiguration"] = {
                "RollbackTriggers": [{"Arn": arn, "Type": "AWS::CloudWatch::Alarm"} for arn in rollback_triggers[:5]]
            }
        created = cfn.create_change_set(**kwargs)
        change_set_id = str(created["Id"])
        described = wait_ready(cfn, change_set_id, timeout)
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"creating a change set for stack {stack_name}", target) from exc
    changes = [to_change(c) for c in described]
    new_template = cfn_yaml.load(template_body, "the reviewed template")
    old_template = cfn_yaml.load(old, f"the deployed template of {stack_name}") if old else None
    changes = replacement.annotate(changes, old_template, new_template, target.region)
    return ChangeSet(
        id=change_set_id,
        change_type=str(kwargs["ChangeSetType"]),
        changes=changes,
        stack_id=str(created.get("StackId") or "") or None,
    )


def preview(
    target: AwsTarget,
    stack_name: str,
    template_body: str,
    change_set_name: str,
    timeout: float = 300.0,
    rollback_triggers: list[str] | None = None,
    parameters: Mapping[str, str] | None = None,
) -> tuple[str, list[ResourceChange]]:
    """Create a change set for ``template_body`` against ``stack_name`` and return (its id, its changes)."""
    made = create(target, stack_name, template_body, change_set_name, rollback_triggers, timeout, parameters=parameters)
    return made.id, made.changes


def wait_ready(cfn: Any, change_set_id: str, timeout: float) -> list[dict[str, Any]]:
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


def to_change(raw: dict[str, Any]) -> ResourceChange:
    rc = raw.get("ResourceChange", {})
    replacement_answer = rc.get("Replacement")
    known = replacement_answer in ("True", "False", "Conditional")
    return ResourceChange(
        logical_id=rc.get("LogicalResourceId", "?"),
        type=rc.get("ResourceType", "?"),
        action=rc.get("Action", "Dynamic"),
        replacement=replacement_answer if known else "Unknown",
        replacement_source="aws" if known else "none",
        details=tuple(
            f"{d.get('Target', {}).get('Attribute', '')}:{d.get('Target', {}).get('Name', '')}".strip(":")
            for d in rc.get("Details", [])
        ),
    )
