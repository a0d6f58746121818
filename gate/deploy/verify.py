"""Apply exactly what was reviewed, or refuse: load gate-plan.json, check its verdict and every hash."""

from __future__ import annotations

from pathlib import Path

from gate.errors import GateError
from gate.iac import bundle_sha256, sha256
from gate.models import GatePlan
from gate.plan_file import plan_file_sha256

__all__ = ["check_anchor", "plan_file_sha256", "reviewed_template"]


MIN_ANCHOR = 12  # hex digits of a sha256 a reviewer must give at least


def check_anchor(plan_path: str, expect_plan_sha256: str) -> str:
    """Refuse unless gate-plan.json is byte for byte the reviewed one (its sha256, or a prefix of it)."""
    want = expect_plan_sha256.strip().lower()
    if len(want) < MIN_ANCHOR or any(c not in "0123456789abcdef" for c in want):
        raise GateError(
            f"--expect-sha256 {expect_plan_sha256!r} is not a sha256 (or a prefix of at least {MIN_ANCHOR} hex digits)",
            fix="pass the 'plan sha256' that 'devops-gate plan' printed for the reviewed plan",
        )
    actual = plan_file_sha256(plan_path)
    if not actual.startswith(want):
        raise GateError(
            f"the plan's sha256 {actual[:12]} is not the reviewed {want[:12]}",
            source=plan_path,
            fix="apply the gate-plan.json that was reviewed, unchanged; or plan again and get it reviewed",
        )
    return actual


def reviewed_template(plan: GatePlan, plan_path: str, template_path: str | None = None, approved: bool = False) -> str:
    """The one CloudFormation template the plan reviewed, after checking that nothing changed since review.

    A 'needs-approval' plan is applied only when ``approved`` (the approval was confirmed for this plan)."""
    decision = plan.verdict.decision
    if decision == "needs-approval" and not approved:
        raise GateError(
            "the plan needs approval, and no approval of this plan was confirmed",
            source=plan_path,
            fix="set jira.require_approval_before_apply and approve the change ticket for this plan",
        )
    if decision not in ("pass", "needs-approval"):
        raise GateError(
            f"the plan's verdict is '{decision}', so it is not applied",
            source=plan_path,
            fix="resolve the verdict's reasons on the PR and plan again",
        )
    if plan.template_sha256 is None or plan.stack_name is None:
        raise GateError(
            "the plan has no single CloudFormation template to deploy",
            source=plan_path,
            fix="plan one CloudFormation template per stack",
        )
    for f in plan.iac.files:
        if f.redacted:
            raise GateError(
                f"{f.path} holds a secret, so the plan keeps it only redacted and it is never applied",
                source=plan_path,
                fix="move the secret to Secrets Manager or SSM (a dynamic reference), then plan again",
            )
        if sha256(f.content) != f.sha256:
            raise GateError(
                f"the content of {f.path} in the plan does not match its reviewed sha256",
                source=plan_path,
                fix="the plan was edited after review; apply only the gate-plan.json the gate wrote",
            )
    actual_bundle = bundle_sha256(plan.iac)
    if actual_bundle != plan.bundle_sha256:
        raise GateError(
            "the reviewed files do not match the plan's bundle sha256",
            source=plan_path,
            fix="the plan was edited after review; apply only the gate-plan.json the gate wrote",
        )
    deployable = [f for f in plan.iac.files if f.format == "cloudformation" and f.sha256 == plan.template_sha256]
    if len(deployable) != 1:
        raise GateError(
            "no reviewed file has the plan's template sha256", source=plan_path, fix="plan again; do not edit plans"
        )
    reviewed = deployable[0]
    candidates = [Path(template_path)] if template_path else [Path(plan_path).parent / reviewed.path]
    if template_path is None and plan.iac.origin == "hand-written":
        candidates.append(Path(reviewed.path))
    for candidate in candidates:
        if template_path is None and not candidate.is_file():
            continue
        try:
            on_disk = candidate.read_bytes()
        except OSError as exc:
            raise GateError(f"cannot read the template ({exc.strerror})", source=str(candidate)) from exc
        digest = sha256(on_disk.decode("utf-8", errors="replace"))
        if digest != plan.template_sha256:
            raise GateError(
                f"the template's sha256 {digest[:12]} is not the reviewed {plan.template_sha256[:12]}",
                source=str(candidate),
                fix="the template changed after review: plan again and get the new plan reviewed",
            )
    return reviewed.content
