"""checkov on Terraform, one project at a time, following modules as the checkov CLI does.

Each project (:mod:`gate.terraform.projects`) is scanned once with checkov's Terraform runner on its folder
in the work folder (``root_folder``, as ``checkov -d`` does), so local modules and those ``terraform init``
put in ``.terraform/modules`` are evaluated where they are called. Other projects below a project's folder
are excluded from its scan (each is scanned on its own). A finding on a module resource keeps checkov's
address (``module.<name>.aws_x.y``) and points at the module call in the project (file and line), with the
place inside the module in ``defined_in``. A module call that cannot be read is a finding of its own.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gate.checks.base import CheckInput
from gate.iac import bundle_path
from gate.models import Finding, ModuleCall, Severity, TerraformProject
from gate.terraform.projects import projects_of

NOT_EVALUATED_ID = "GATE-TF-001"
OUT_OF_TIME_ID = "GATE-TF-002"
FindingOf = Callable[[Any, str, str | None, int | None, str | None], Finding]


def scan(given: CheckInput, finding: FindingOf) -> tuple[list[Finding], list[str]]:
    """Findings of every project, and lines for the report's detail (what was not evaluated, and why)."""
    settings = given.config.terraform
    projects = projects_of(given.bundle, download=settings.download_external_modules)
    findings: list[Finding] = []
    notes = [f"{n.path}: not evaluated ({n.reason})" for n in given.bundle.not_evaluated]
    started = time.monotonic()
    for number, project in enumerate(projects, 1):
        if time.monotonic() - started > settings.time_budget_seconds:
            findings.append(_out_of_time(project, settings.time_budget_seconds))
            notes.append(f"{project.dir}: not evaluated (past terraform.time_budget_seconds)")
            continue
        begun = time.monotonic()
        found = _scan_project(given, project, projects, finding)
        findings.extend(found)
        findings.extend(_not_evaluated(project, c) for c in project.modules if c.not_evaluated)
        notes.extend(
            f"{c.address} ({c.file}:{c.line}): not evaluated ({c.not_evaluated})"
            for c in project.modules
            if c.not_evaluated
        )
        if len(projects) > 1:  # progress for a repository of many roots
            print(
                f"devops-gate: checkov {number}/{len(projects)} {project.dir}: "
                f"{sum(1 for f in found if f.waived is None)} failed ({time.monotonic() - begun:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
    return findings, notes


def _scan_project(
    given: CheckInput, project: TerraformProject, projects: list[TerraformProject], finding: FindingOf
) -> list[Finding]:
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.runner import Runner

    root = given.path_of(project.dir)
    _write_modules_json(given, project, root)
    inside = [
        posixpath.relpath(p.dir, project.dir)
        for p in projects
        if p.dir != project.dir and (project.dir == "." or p.dir.startswith(project.dir.rstrip("/") + "/"))
    ]
    rfilter = RunnerFilter(
        framework=["terraform"],
        skip_checks=list(given.config.checks.checkov_skip) or None,
        excluded_paths=[f"^{re.escape(d)}$" for d in inside] or None,
        download_external_modules=given.config.terraform.download_external_modules,
        show_progress_bar=False,
    )
    result = Runner().run(root_folder=str(root), runner_filter=rfilter)
    reports = result if isinstance(result, list) else [result]
    calls = {c.address: c for c in project.modules}
    out: list[Finding] = []
    for report in reports:
        if report.parsing_errors:
            from gate.errors import GateError

            bad = ", ".join(bundle_path(given.workdir, p) for p in report.parsing_errors)
            raise GateError(f"checkov could not parse {bad}", fix="fix the syntax (terraform validate)")
        for rec, waived in [(r, None) for r in report.failed_checks] + [
            (r, skip_reason(r)) for r in report.skipped_checks
        ]:
            out.append(_attributed(given, rec, calls, waived, finding))
    return out


def _attributed(
    given: CheckInput, rec: Any, calls: dict[str, ModuleCall], waived: str | None, finding: FindingOf
) -> Finding:
    own = bundle_path(given.workdir, rec.file_abs_path) if rec.file_abs_path else rec.file_path.lstrip("/")
    line = rec.file_line_range[0] if rec.file_line_range else None
    top = _top_module(rec.resource)
    call = calls.get(top) if top else None
    if call is None:
        return finding(rec, own, waived, line, None)
    return finding(rec, call.file, waived, call.line, f"{own}:{line}" if line else own)


def _top_module(address: str) -> str | None:
    parts = address.split(".")
    return f"module.{parts[1]}" if len(parts) > 2 and parts[0] == "module" else None


def skip_reason(rec: Any) -> str:
    """Why checkov skipped a check: the template's own skip comment, or the config's checkov_skip."""
    comment = (rec.check_result or {}).get("suppress_comment")
    return f"skipped in the template: {comment}" if comment else "skipped by checks.checkov_skip in .gate.yml"


def _write_modules_json(given: CheckInput, project: TerraformProject, root: Path) -> None:
    """checkov finds modules that ``terraform init`` installed through ``.terraform/modules/modules.json``;
    the work folder gets one naming where each installed module of the bundle was written."""
    installed = [c for c in project.modules if c.dir and "/.terraform/modules/" in f"/{c.dir}/"]
    if not installed:
        return
    target = root / ".terraform" / "modules" / "modules.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    entries = [{"Key": "", "Source": "", "Dir": "."}] + [
        {
            "Key": ".".join(part for part in c.address.split(".") if part != "module"),
            "Source": c.source,
            "Dir": os.path.relpath(given.path_of(c.dir or "."), root),
        }
        for c in project.modules
        if c.dir
    ]
    target.write_text(json.dumps({"Modules": entries}), encoding="utf-8")


def _not_evaluated(project: TerraformProject, call: ModuleCall) -> Finding:
    return Finding(
        check_id=NOT_EVALUATED_ID,
        tool="checkov",
        severity=Severity.MEDIUM,
        title=f"Terraform module not evaluated: {call.not_evaluated}",
        resource=call.address,
        file=call.file,
        line=call.line,
        remediation="make the module readable (terraform init, or a local source) so its resources are checked",
    )


def _out_of_time(project: TerraformProject, budget: float) -> Finding:
    return Finding(
        check_id=OUT_OF_TIME_ID,
        tool="checkov",
        severity=Severity.HIGH,
        title=f"Terraform project {project.dir} not evaluated: the scan passed its {budget:g} s budget",
        file=project.dir,
        remediation="raise terraform.time_budget_seconds in .gate.yml, or split the change",
    )
