"""gate-plan.json on disk: the one reader every command and the merge side use, and the file's sha256 (the
anchor a reviewer records: it covers the verdict and the data-loss allowances, not only the IaC)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from gate.errors import GateError
from gate.models import PLAN_FORMAT_VERSION, GatePlan


def load_plan(path: str | Path, flag: str = "--plan") -> GatePlan:
    """The plan at ``path``, validated; a GateError naming the file, the first problem and the fix (``flag``: the
    option that named the file, for the fix)."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 text at byte {exc.start}"
        raise GateError(
            f"cannot read the plan ({reason})", source=source, fix=f"pass {flag} with the gate-plan.json of the PR"
        ) from exc
    try:
        plan = GatePlan.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise GateError(
            f"is not a valid gate-plan.json ({where}: {first['msg']})",
            source=source,
            fix="pass the gate-plan.json written by 'devops-gate plan', unchanged",
        ) from exc
    if plan.format_version != PLAN_FORMAT_VERSION:
        raise GateError(
            f"plan format {plan.format_version} is not {PLAN_FORMAT_VERSION}", source=source, fix="plan again"
        )
    return plan


def plan_file_sha256(path: str | Path) -> str:
    """The sha256 of gate-plan.json as written: covers the verdict and data-loss allowances, not only the IaC."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise GateError(f"cannot read the plan ({exc.strerror})", source=str(path)) from exc


def load_previous(path: str | Path) -> GatePlan:
    """The plan a refinement (``plan --previous``) starts from: a valid gate-plan.json of a change request, with
    every sha256 it records matching what it holds (a plan edited after it was written is refused)."""
    from gate.iac import bundle_sha256, sha256
    from gate.synth import cfn_yaml
    from gate.synth.delta import stored_spec

    source = str(path)
    plan = load_plan(path, flag="--previous")
    again = "plan the request again without --previous; do not edit gate-plan.json"
    if plan.request is None or plan.spec is None or plan.iac.origin != "synthesised":
        raise GateError(
            "is a plan of hand-written IaC ('devops-gate check'), not of a change request",
            source=source,
            fix="refine only a gate-plan.json written by 'devops-gate plan --request ...'",
        )
    for f in plan.iac.files:
        if not f.redacted and sha256(f.content) != f.sha256:
            raise GateError(f"the content of {f.path} does not match its recorded sha256", source=source, fix=again)
    if bundle_sha256(plan.iac) != plan.bundle_sha256:
        raise GateError("the files do not match the plan's bundle sha256", source=source, fix=again)
    if plan.template_sha256 is not None and not any(f.sha256 == plan.template_sha256 for f in plan.iac.files):
        raise GateError("no file has the plan's template sha256", source=source, fix=again)
    for f in plan.iac.by_format("cloudformation"):  # the template stores the spec it was made from
        stored = None if f.redacted else stored_spec(cfn_yaml.load(f.content, f.path))
        if stored is not None and stored.resources != plan.spec.resources:
            raise GateError(f"the spec does not match the one stored in {f.path}", source=source, fix=again)
    return plan
