"""checkov on Terraform, one project at a time, following modules as the checkov CLI does.

Each project (:mod:`gate.terraform.projects`) is scanned once with checkov's Terraform runner on its folder
(``root_folder``, as ``checkov -d`` does) in the scan view (:mod:`gate.terraform.view`: the bundle's Terraform,
``.tf.json`` written as ``.tf``, since checkov 3.2.459 reads no ``.tf.json`` in a folder), so local modules are
evaluated where they are called. Modules ``terraform init`` installed in ``.terraform/modules`` are given to
checkov's module loading by one loader of ours (:func:`_installed_loader`) that reads them where they are:
checkov itself reads them only when it downloads them. Other projects below a project's folder are excluded from
its scan (each is scanned on its own). A finding on a module resource keeps checkov's address
(``module.<name>.aws_x.y``) and points at the module call in the project (file and line), with the place inside
the module in ``defined_in``. A module call that cannot be read is a finding of its own.
"""

from __future__ import annotations

import os
import posixpath
import re
import sys
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from gate.checks.base import CheckInput
from gate.errors import GateError
from gate.models import Finding, ModuleCall, Severity, TerraformProject
from gate.terraform.modules import BundleTree
from gate.terraform.parse import parse
from gate.terraform.projects import projects_of
from gate.terraform.view import ScanView, write_view

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
    with tempfile.TemporaryDirectory(prefix="gate-tf-") as tmp:
        view = write_view(given.bundle, given.workdir, Path(tmp))
        for number, project in enumerate(projects, 1):
            if time.monotonic() - started > settings.time_budget_seconds:
                findings.append(_out_of_time(project, settings.time_budget_seconds))
                notes.append(f"{project.dir}: not evaluated (past terraform.time_budget_seconds)")
                continue
            begun = time.monotonic()
            found = _scan_project(given, view, project, projects, finding)
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
    given: CheckInput,
    view: ScanView,
    project: TerraformProject,
    projects: list[TerraformProject],
    finding: FindingOf,
) -> list[Finding]:
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.runner import Runner

    root = view.path_of(project.dir)
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
    loader = _installed_loader()
    loader.installed[str(root.resolve())] = _installed_sources(given, view, project)
    try:
        result = Runner().run(root_folder=str(root), runner_filter=rfilter)
    finally:
        loader.installed.pop(str(root.resolve()), None)
    reports = result if isinstance(result, list) else [result]
    calls = {c.address: c for c in project.modules}
    out: list[Finding] = []
    for report in reports:
        if report.parsing_errors:
            bad = ", ".join(view.origin(p, None)[0] for p in report.parsing_errors)
            raise GateError(f"checkov could not parse {bad}", fix="fix the syntax (terraform validate)")
        for rec, waived in [(r, None) for r in report.failed_checks] + [
            (r, skip_reason(r)) for r in report.skipped_checks
        ]:
            out.append(_attributed(view, rec, calls, waived, finding))
    return out


def _attributed(
    view: ScanView, rec: Any, calls: dict[str, ModuleCall], waived: str | None, finding: FindingOf
) -> Finding:
    line = rec.file_line_range[0] if rec.file_line_range else None
    if rec.file_abs_path:
        own, line = view.origin(rec.file_abs_path, line)
    else:
        own = rec.file_path.lstrip("/")
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


def _installed_sources(given: CheckInput, view: ScanView, project: TerraformProject) -> dict[tuple[str, str], str]:
    """(source, version as the call writes it, ``latest`` without one) -> the view folder of each module call of
    the project that ``terraform init`` installed: what checkov's module loading asks for, and where it is."""
    out: dict[tuple[str, str], str] = {}
    tree = BundleTree(given.bundle)
    for call in project.modules:
        if call.dir is None or "/.terraform/modules/" not in f"/{call.dir}/":
            continue
        out.setdefault((call.source, _version_of(tree, call)), str(view.path_of(call.dir).resolve()))
    return out


def _version_of(tree: BundleTree, call: ModuleCall) -> str:
    text = tree.text(call.file)
    label = call.address.rsplit(".", 1)[-1]
    for group in (parse(text, call.file).get("module", []) if text is not None else []) or []:
        body = group.get(label)
        if isinstance(body, dict):
            version = body.get("version")
            value = version[0] if isinstance(version, list) and version else version
            return str(value) if value else "latest"
    return "latest"


@lru_cache(maxsize=1)
def _installed_loader() -> Any:
    """A module loader for checkov's module registry, first in its list: a source that a scan's project has
    installed in ``.terraform/modules`` is read there (never downloaded), as terraform plan would read it.
    ``installed`` maps a scan's root folder to its :func:`_installed_sources`; outside a scan it is empty and
    the loader takes no source, so checkov's own loaders are unchanged."""
    from checkov.terraform.module_loading.content import ModuleContent
    from checkov.terraform.module_loading.loader import ModuleLoader
    from checkov.terraform.module_loading.module_params import ModuleParams
    from checkov.terraform.module_loading.registry import module_loader_registry

    class InstalledModules(ModuleLoader):
        def __init__(self) -> None:
            super().__init__()
            self.is_external = False  # nothing is fetched: it runs with download_external_modules off
            self.installed: dict[str, dict[tuple[str, str], str]] = {}

        def discover(self, module_params: ModuleParams) -> None:
            return None

        def _folder(self, module_params: ModuleParams) -> str | None:
            known = self.installed.get(os.path.realpath(module_params.root_dir or ""), {})
            version = module_params.version or "latest"
            return known.get((module_params.module_source, version))

        def _is_matching_loader(self, module_params: ModuleParams) -> bool:
            return self._folder(module_params) is not None

        def _find_module_path(self, module_params: ModuleParams) -> str:
            return self._folder(module_params) or ""

        def _load_module(self, module_params: ModuleParams) -> ModuleContent:
            return ModuleContent(self._folder(module_params))

    loader = InstalledModules()
    module_loader_registry.loaders.remove(loader)  # registered last by its constructor: it must come first
    module_loader_registry.loaders.insert(0, loader)
    return loader


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
