"""What the spine hands a backend: the reviewed artefact (typed per IaC tool) and one stack-and-region job.

:meth:`gate.deploy.backend.IacBackend.reviewed` returns a :data:`Reviewed`: a CloudFormation template's text,
hash-checked against the plan (:class:`ReviewedTemplate`), or a Terraform root's reviewed planfile, named by the
plan and checked again when it is applied (:class:`ReviewedPlanfile`). A backend reads only its own kind, so one
field never means two things.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gate.audit import AuditLog
from gate.config import DeploySettings, TerraformSettings
from gate.deploy.environments import Deployment
from gate.models import GatePlan


@dataclass(frozen=True)
class ReviewedTemplate:
    """The reviewed CloudFormation template, hash-checked (gate.deploy.verify)."""

    text: str


@dataclass(frozen=True)
class ReviewedPlanfile:
    """The reviewed planfile of a Terraform root; the plan at ``plan_path`` names it with its sha256, the root's
    files and the state serial, which ``terraform_apply`` checks again right before it applies."""

    plan_path: str


Reviewed = ReviewedTemplate | ReviewedPlanfile


@dataclass(frozen=True)
class ApplyJob:
    plan: GatePlan
    reviewed: Reviewed
    deployment: Deployment
    deploy: DeploySettings
    audit: AuditLog
    actor: str
    commit: str | None
    say: Callable[[str], None]
    plan_file_sha256: str | None = None  # the gate-plan.json applied (covers verdict and allowances)
    anchored: bool = False  # True when the reviewer's --expect-sha256 matched that file
    approval: dict[str, Any] | None = None  # who approved a plan that needed it, and how (in apply-started)
    reapply_rolled_back: bool = False  # apply a plan this stack already rolled back (explicit, audited)
    plan_path: str = ""  # the gate-plan.json applied
    terraform: TerraformSettings | None = None  # how to run terraform (the Terraform backend only)

    @property
    def template(self) -> str:
        """The reviewed CloudFormation template; only the CloudFormation backend asks for it."""
        if not isinstance(self.reviewed, ReviewedTemplate):
            raise TypeError(f"{type(self.reviewed).__name__} holds no CloudFormation template")
        return self.reviewed.text

    @property
    def planfile(self) -> ReviewedPlanfile:
        """The reviewed Terraform planfile; only the Terraform backend asks for it."""
        if not isinstance(self.reviewed, ReviewedPlanfile):
            raise TypeError(f"{type(self.reviewed).__name__} is not a Terraform planfile")
        return self.reviewed
