"""gate-plan.json on disk: the one reader every command and the merge side use, and the file's sha256 (the
anchor a reviewer records: it covers the verdict and the data-loss allowances, not only the IaC)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from gate.errors import GateError
from gate.models import PLAN_FORMAT_VERSION, GatePlan


def load_plan(path: str | Path) -> GatePlan:
    """The plan at ``path``, validated; a GateError naming the file, the first problem and the fix."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 text at byte {exc.start}"
        raise GateError(
            f"cannot read the plan ({reason})", source=source, fix="pass --plan with the gate-plan.json of the PR"
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
