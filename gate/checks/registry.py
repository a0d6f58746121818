"""The explicit list of checks, and the runner that never loses one: a check that crashes is reported as an
error (which blocks the gate), never skipped silently.

checkov, the slowest to import, runs in a worker (``gate.checks.scan_worker``: a forked process where it can,
prewarmed by the command) while the other checks run here; the reports keep the order of ``checks.enabled``."""

from __future__ import annotations

import time

from gate import logs
from gate.checks import scan_worker
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
from gate.timings import NO_TIMINGS, Timings

CHECKOV = CheckovCheck()
CHECKS: dict[str, Check] = {
    c.id: c for c in (CfnLintCheck(), CHECKOV, PolicyCheck(), SecretsCheck(), LeastPrivilegeCheck())
}


def scanned_formats(given: CheckInput) -> tuple[str, ...]:
    return tuple(f for f in ("cloudformation", "terraform", "terraform-plan") if given.bundle.by_format(f))


def prewarm(formats: tuple[str, ...], enabled: tuple[str, ...]) -> None:
    """Start importing checkov for these formats now, in its worker, when the checkov check is enabled."""
    if scan_worker.CHECK_ID in enabled:
        scan_worker.prewarm(formats, CHECKOV.run, CHECKOV.prepare)


def run_checks(given: CheckInput, progress: Progress = NO_PROGRESS, timings: Timings = NO_TIMINGS) -> list[CheckReport]:
    unknown = [c for c in given.config.checks.enabled if c not in CHECKS]
    if unknown:
        raise GateError(f"unknown check {unknown[0]!r} in checks.enabled", fix=f"use some of: {', '.join(CHECKS)}")
    formats = scanned_formats(given)
    worker = None
    if scan_worker.CHECK_ID in given.config.checks.enabled and formats:
        worker = scan_worker.take(formats, CHECKOV.run, CHECKOV.prepare)
        worker.submit(given)
    else:
        scan_worker.discard()
    reports: dict[str, CheckReport] = {}
    for check_id in given.config.checks.enabled:
        if worker is not None and check_id == scan_worker.CHECK_ID:
            continue
        started = time.perf_counter()
        with progress.step(f"check {check_id}"):
            report = scan_worker.guarded(CHECKS[check_id].run, given, check_id)
        seconds = time.perf_counter() - started
        timings.add(f"checks.{check_id}", seconds)
        reports[check_id] = report.model_copy(update={"seconds": round(seconds, 3)})
    if worker is not None:
        waited = time.perf_counter()
        with progress.step(f"check {scan_worker.CHECK_ID} ({worker.where})"):
            outcome = worker.result()
        timings.add("checks.checkov.wait", time.perf_counter() - waited)
        for name, seconds in outcome.timings.items():
            timings.add(name, seconds)
        if outcome.peak_mb is not None:
            timings.memory("checkov-worker", outcome.peak_mb)
        logs.extend(outcome.lines)
        scan = outcome.timings.get("checks.checkov.scan")
        reports[scan_worker.CHECK_ID] = outcome.report.model_copy(update={"seconds": scan})
    return unify([reports[c] for c in given.config.checks.enabled])
