"""Apply exactly what was reviewed, or refuse: load gate-plan.json, check its verdict and every hash."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from gate.errors import GateError
from gate.iac import bundle_sha256, sha256
from gate.models import PLAN_FORMAT_VERSION, GatePlan


def load_plan(path: str) -> GatePlan:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise GateError(
            f"cannot read the plan ({exc.strerror})", source=path, fix="pass --plan with the gate-plan.json of the PR"
        ) from exc
    try:
        plan = GatePlan.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise GateError(
            f"is not a valid gate-plan.json ({where}: {first['msg']})",
            source=path,
            fix="pass the gate-plan.json written by 'devops-gate plan', unchanged",
        ) from exc
    if plan.format_version != PLAN_FORMAT_VERSION:
        raise GateError(
            f"plan format {plan.format_version} is not {PLAN_FORMAT_VERSION}", source=path, fix="plan again"
        )
    return plan


def reviewed_template(
    plan: GatePlan, plan_path: str, template_path: str | None = None, expect_bundle_sha256: str | None = None
) -> str:
    """The one CloudFormation template the plan reviewed, after checking that nothing changed since review."""
    if plan.verdict.decision != "pass":
        raise GateError(
            f"the plan's verdict is '{plan.verdict.decision}', so it is not applied",
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
    if expect_bundle_sha256 and not actual_bundle.startswith(expect_bundle_sha256.lower()):
        raise GateError(
            f"the plan's bundle sha256 {actual_bundle[:12]} is not the reviewed {expect_bundle_sha256[:12]}",
            source=plan_path,
            fix="apply the plan that was reviewed on the PR",
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
