"""The seam between the merge side's spine (:mod:`gate.deploy.spine`) and the IaC tool that changes the account.

An :class:`IacBackend` does two things for a reviewed plan: hand back the one deployable document it reviewed,
after checking every hash (:meth:`~IacBackend.reviewed`), and apply it to one stack in one region, with the
lock, the data-loss guard, the bake and the rollback (:meth:`~IacBackend.apply`). Everything around that
(the plan file's anchor, approvals, the environments and regions to deploy to, announcing the outcome) is the
spine's and is the same for every backend.

``BACKENDS`` is the explicit registry, keyed by the IaC format of the plan's deployable files. CloudFormation
(change sets, :mod:`gate.deploy.apply`) is the one implementation today. A Terraform apply plugs in as its own
module under ``gate/deploy/`` with a class that has these two methods, and one line here::

    BACKENDS = {"cloudformation": CloudFormation(), "terraform": Terraform()}
"""

from __future__ import annotations

from typing import Protocol

from gate.deploy.apply import ApplyJob, apply_one
from gate.deploy.verify import reviewed_template
from gate.errors import GateError
from gate.models import ApplyOutcome, GatePlan


class IacBackend(Protocol):
    name: str

    def reviewed(self, plan: GatePlan, plan_path: str, template_path: str | None, approved: bool) -> str:
        """The reviewed deployable text, hash-checked against the plan; GateError when anything changed since
        review, or when the verdict does not allow it (``approved``: a needs-approval plan was approved)."""
        ...

    def apply(self, job: ApplyJob) -> ApplyOutcome:
        """Apply ``job.template`` to ``job.deployment`` (one stack, one region) and say what happened."""
        ...


class CloudFormation:
    """Change sets on CloudFormation: the reviewed change set when it is still there, else one re-created from
    the reviewed template (gate/deploy/apply.py)."""

    name = "cloudformation"

    def reviewed(self, plan: GatePlan, plan_path: str, template_path: str | None, approved: bool) -> str:
        return reviewed_template(plan, plan_path, template_path, approved=approved)

    def apply(self, job: ApplyJob) -> ApplyOutcome:
        return apply_one(job)


BACKENDS: dict[str, IacBackend] = {"cloudformation": CloudFormation()}


def backend_for(plan: GatePlan, plan_path: str) -> IacBackend:
    """The backend for the plan's IaC: Terraform for a plan of Terraform files only, else CloudFormation (which
    refuses a plan without exactly one reviewed template with its own reason)."""
    formats = {f.format for f in plan.iac.files}
    name = "terraform" if formats and formats <= {"terraform"} else "cloudformation"
    backend = BACKENDS.get(name)
    if backend is None:
        raise GateError(
            f"the plan deploys {name} files, and this gate has no {name} apply yet",
            source=plan_path,
            fix="apply the reviewed Terraform with your own pipeline (terraform apply of the reviewed plan)",
        )
    return backend
