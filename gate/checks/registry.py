"""The explicit list of checks, and the runner that never loses one: a check that crashes is reported as an
error (which blocks the gate), never skipped silently."""

from __future__ import annotations

import time

from gate.checks.base import Check, CheckInput
from gate.checks.cfn_lint import CfnLintCheck
from gate.checks.checkov_check import CheckovCheck
from gate.checks.least_privilege import LeastPrivilegeCheck
from gate.checks.policies import PolicyCheck
from gate.checks.risks import unify
from gate.checks.secrets import SecretsCheck
from gate.errors import GateError
from gate.models import CheckReport
from gate.progress import NO_PROGRESS, Progress

CHECKS: dict[str, Check] = {
    c.id: c for c in (CfnLintCheck(), CheckovCheck(), PolicyCheck(), SecretsCheck(), LeastPrivilegeCheck())
}


def run_checks(given: CheckInput, progress: Progress = NO_PROGRESS) -> list[CheckReport]:
    reports: list[CheckReport] = []
    for check_id in given.config.checks.enabled:
        check = CHECKS.get(check_id)
        if check is None:
            raise GateError(
                f"unknown check {check_id!r} in checks.enabled",
                fix=f"use some of: {', '.join(CHECKS)}",
            )
        started = time.perf_counter()
        with progress.step(f"check {check_id}"):
            try:
                report = check.run(given)
            except GateError as exc:
                report = CheckReport(check=check_id, status="error", detail=exc.render())
            except Exception as exc:  # a crashing check must block, with its reason, not vanish
                report = CheckReport(check=check_id, status="error", detail=f"{type(exc).__name__}: {exc}")
        reports.append(report.model_copy(update={"seconds": round(time.perf_counter() - started, 3)}))
    return unify(reports)
