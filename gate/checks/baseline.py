"""Only what the PR adds can block (``thresholds.new_findings_only``): a finding the same checks also report on
the base ref (same check id, same resource) is marked "already on the base branch" and does not count.

The base is the same paths at the PR's base ref (``--base-ref``, else ``origin/$GITHUB_BASE_REF``: the git base
the cost uses, :mod:`gate.cost.git_base`), run through the same checks with the same settings. A resource is
matched by its logical id / address; a finding on no resource (a secret in a file) by its file and line text.
Default (unset): on for hand-written IaC, off for synthesised templates and Terraform plans (a generated plan
is judged whole).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from gate.checks.base import CheckInput
from gate.config import GateConfig
from gate.cost.git_base import GitBase
from gate.models import CheckReport, Finding, IaCBundle
from gate.progress import NO_PROGRESS, Progress

ON_BASE = "already on the base branch"

Key = tuple[str, str, str]


def enabled(config: GateConfig, bundle: IaCBundle) -> bool:
    chosen = config.thresholds.new_findings_only
    if chosen is not None:
        return chosen
    return bundle.origin == "hand-written" and not bundle.by_format("terraform-plan")


def keys(finding: Finding) -> set[Key]:
    """(check id, resource, place) for each id of the finding: one risk folds several ids, any may match."""
    place = "" if finding.resource else f"{finding.file}:{finding.title}"
    return {(i, finding.resource or "", place) for i in (finding.check_id, *finding.same_risk)}


def base_reports(base: GitBase, config: GateConfig, region: str, progress: Progress = NO_PROGRESS) -> list[CheckReport]:
    """The checks on the base ref's files (nothing at the base: no finding there)."""
    from gate.checks.registry import run_checks
    from gate.iac import workdir_for, write_bundle

    if not base.files:
        return []
    bundle = IaCBundle(origin="hand-written", files=base.files)
    with tempfile.TemporaryDirectory(prefix="devops-gate-base-") as tmp:
        workdir = workdir_for(Path(tmp), bundle)
        write_bundle(bundle, workdir)
        with progress.step(f"checks at the base ({base.label})"):
            return run_checks(CheckInput(bundle=bundle, config=config, workdir=workdir, region=region))


def mark(reports: list[CheckReport], base: list[CheckReport], label: str) -> list[CheckReport]:
    """Head findings also found at the base, marked (not counted toward the verdict). A check that could not
    run at the base excuses nothing (it found nothing there)."""
    seen: set[Key] = set()
    for r in base:
        if r.status == "ran":
            for f in r.findings:
                seen |= keys(f)
    out: list[CheckReport] = []
    for report in reports:
        findings = tuple(
            f.model_copy(update={"waived": f"{ON_BASE} ({label})"}) if f.waived is None and keys(f) & seen else f
            for f in report.findings
        )
        out.append(report.model_copy(update={"findings": findings}))
    return out


def is_on_base(finding: Finding) -> bool:
    return bool(finding.waived and finding.waived.startswith(ON_BASE))
