"""The seam between the merge side's spine (:mod:`gate.deploy.spine`) and the IaC tool that changes the account.

An :class:`IacBackend` does two things for a reviewed plan: hand back the one deployable document it reviewed,
after checking every hash (:meth:`~IacBackend.reviewed`), and apply it to one stack in one region, with the
lock, the data-loss guard, the bake and the rollback (:meth:`~IacBackend.apply`). Everything around that
(the plan file's anchor, approvals, the environments and regions to deploy to, announcing the outcome) is the
spine's and is the same for every backend.

``BACKENDS`` is the explicit registry: CloudFormation (change sets, :mod:`gate.deploy.apply`) and Terraform
(the reviewed planfile of a root planned by ``check --tf-root``, :mod:`gate.deploy.terraform_apply`). Another
IaC tool plugs in as its own module under ``gate/deploy/`` with a class that has these two methods, and one
line in ``BACKENDS``.
"""

from __future__ import annotations

from typing import Protocol

from gate.deploy.apply import apply_one
from gate.deploy.bake import Bake
from gate.deploy.job import ApplyJob, Reviewed, ReviewedPlanfile, ReviewedTemplate
from gate.deploy.verify import reviewed_template
from gate.errors import GateError
from gate.models import ApplyOutcome, GatePlan


class IacBackend(Protocol):
    name: str

    def reviewed(self, plan: GatePlan, plan_path: str, template_path: str | None, approved: bool) -> Reviewed:
        """The reviewed deployable, hash-checked against the plan; GateError when anything changed since
        review, or when the verdict does not allow it (``approved``: a needs-approval plan was approved)."""
        ...

    def apply(self, job: ApplyJob) -> ApplyOutcome:
        """Apply ``job.reviewed`` to ``job.deployment`` (one stack, one region) and say what happened."""
        ...


class CloudFormation:
    """Change sets on CloudFormation: the reviewed change set when it is still there, else one re-created from
    the reviewed template (gate/deploy/apply.py)."""

    name = "cloudformation"

    def reviewed(self, plan: GatePlan, plan_path: str, template_path: str | None, approved: bool) -> Reviewed:
        return ReviewedTemplate(reviewed_template(plan, plan_path, template_path, approved=approved))

    def apply(self, job: ApplyJob) -> ApplyOutcome:
        return apply_one(job)


class TerraformRoot:
    """``terraform apply`` of exactly the reviewed planfile of a Terraform root (``check --tf-root``): its sha256,
    the root's files and the state's serial are checked when it is applied, so a moved state is a ``stale``
    outcome rather than an error. The state backend's own lock (S3 + DynamoDB) serialises applies; it bakes on
    alarms with the same :class:`gate.deploy.bake.Bake` as CloudFormation, and an alarm re-applies the base
    commit's configuration (or destroys a root new in the PR)."""

    name = "terraform"

    def reviewed(self, plan: GatePlan, plan_path: str, template_path: str | None, approved: bool) -> Reviewed:
        if plan.terraform is None:
            raise GateError(
                "the plan holds Terraform files but no reviewed planfile, so there is nothing exact to apply",
                source=plan_path,
                fix="plan the root with 'devops-gate check --tf-root DIR' on the PR and apply that plan",
            )
        if template_path:
            raise GateError(
                "--template names a CloudFormation template; a Terraform plan applies its reviewed planfile",
                source=plan_path,
                fix="leave out --template",
            )
        return ReviewedPlanfile(plan_path)  # the planfile the plan names, verified again right before apply

    def apply(self, job: ApplyJob) -> ApplyOutcome:
        from gate.config import TerraformSettings
        from gate.deploy import terraform_apply

        settings = job.terraform or TerraformSettings()
        tf = terraform_apply.terraform_for(settings)
        approved = job.approval is not None
        bake = Bake.prepare(job.deployment.target, job.deploy, job.say)
        return terraform_apply.apply_terraform(
            job.plan, job.planfile.plan_path, tf, job.audit, job.actor, job.say, approved, bake, settings
        )


BACKENDS: dict[str, IacBackend] = {"cloudformation": CloudFormation(), "terraform": TerraformRoot()}


def backend_for(plan: GatePlan, plan_path: str) -> IacBackend:
    """The backend for the plan's IaC: Terraform for a plan of a Terraform root (or of Terraform files only,
    which it refuses with the fix), else CloudFormation (which refuses a plan without exactly one reviewed
    template with its own reason)."""
    formats = {f.format for f in plan.iac.files}
    terraform = plan.terraform is not None or bool(formats and formats <= {"terraform", "terraform-plan"})
    return BACKENDS["terraform" if terraform else "cloudformation"]
