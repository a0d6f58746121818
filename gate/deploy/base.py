"""The deployed stack as the base of a plan, and whether a plan is still valid against it.

``read`` reads what the stack runs now (template text, parameters, status). ``record`` turns that into the
:class:`StackBase` stored in gate-plan.json. At apply, :func:`freshness` compares the stack as it is then with
the plan: ``current`` (it is still the base), ``applied`` (it already runs exactly the reviewed template and
parameters: the plan was applied before, so nothing is done) or ``stale`` (anything else moved it: the plan
would overwrite that, so it is refused and the PR re-planned).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Literal

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.deploy import changeset
from gate.iac import sha256
from gate.models import GatePlan, StackBase
from gate.synth import delta

STALE_FIX = "re-plan the PR (push, or comment '/gate plan'), review the new plan, then merge or apply it"


@dataclass(frozen=True)
class Deployed:
    """What one stack runs now; ``template`` is None when there is no stack."""

    stack_name: str
    region: str
    template: str | None
    parameters: dict[str, str]
    status: str | None

    @property
    def parsed(self) -> dict[str, Any] | None:
        if self.template is None:
            return None
        return changeset.parse_template(self.template, f"the deployed template of {self.stack_name}")


def read(target: AwsTarget, stack_name: str) -> Deployed:
    cfn = target.client("cloudformation")
    try:
        status = changeset.stack_status(cfn, stack_name)
        template = changeset.deployed_template(cfn, stack_name)
        parameters = changeset.deployed_parameters(cfn, stack_name) if template is not None else {}
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"reading the deployed stack {stack_name}", target) from exc
    return Deployed(stack_name, target.region, template, parameters, status)


def parameters_sha256(values: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def record(deployed: Deployed | None, stack_name: str, logical: str, environment: str | None, region: str) -> StackBase:
    """The base stored in the plan; ``deployed`` None: planned without reading the stack (no endpoint)."""
    if deployed is None:
        return StackBase(
            stack_name=stack_name, logical_stack_name=logical, environment=environment, region=region, state="unknown"
        )
    if deployed.template is None:
        return StackBase(
            stack_name=stack_name,
            logical_stack_name=logical,
            environment=environment,
            region=region,
            state="no-stack",
            stack_status=deployed.status,
        )
    parsed = deployed.parsed or {}
    managed, unmanaged = delta.ownership(parsed)
    return StackBase(
        stack_name=stack_name,
        logical_stack_name=logical,
        environment=environment,
        region=region,
        state="deployed",
        template_sha256=sha256(deployed.template),
        parameters_sha256=parameters_sha256(deployed.parameters),
        stack_status=deployed.status,
        managed=managed,
        unmanaged=unmanaged,
    )


Freshness = Literal["current", "applied", "stale", "unknown"]


def freshness(plan: GatePlan, template: str, now: Deployed) -> tuple[Freshness, str]:
    """Is ``plan`` (deploying ``template``) still valid on the stack as it is ``now``? (verdict, why)."""
    reviewed_params = parameters_sha256(plan.parameters)
    ran = now.template is not None and sha256(now.template) == sha256(template)
    if ran and parameters_sha256(now.parameters) == reviewed_params:
        return "applied", f"stack {now.stack_name} already runs the reviewed template and parameters"
    base = plan.base
    if base is None or base.state == "unknown":
        if now.template is None:
            return "current", "there is no stack yet"
        return "unknown", (
            f"the plan was made without reading stack {now.stack_name} (no AWS endpoint at plan time), so it "
            "cannot tell what it would overwrite"
        )
    own = (now.stack_name, now.region) == (base.stack_name, base.region)  # else: another region or environment
    if now.template is None:
        if base.state == "no-stack" or not own:
            return "current", f"there is no stack {now.stack_name} in {now.region} to overwrite"
        return "stale", f"stack {now.stack_name} was deleted after the plan was made"
    if base.state == "no-stack":
        return "stale", f"stack {now.stack_name} was created after the plan was made (the plan expected no stack)"
    if sha256(now.template) != base.template_sha256:
        return "stale", (
            f"stack {now.stack_name} runs another template than the one the plan was made against "
            f"(planned on {str(base.template_sha256)[:12]}, now {sha256(now.template)[:12]}): another change "
            "was applied since"
        )
    if own and parameters_sha256(now.parameters) != base.parameters_sha256:
        return "stale", f"the parameters of stack {now.stack_name} changed after the plan was made"
    return "current", f"stack {now.stack_name} is still the base the plan was made against"
