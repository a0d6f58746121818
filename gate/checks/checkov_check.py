"""checkov, in-process (its runners' Python API), for CloudFormation and Terraform.

Open-source checkov reports no severity (that comes from its hosted platform), so the gate ships its own
severity map for the checks it knows (``policies/checkov-severity.yaml``); any other check is MEDIUM.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gate import logs
from gate.checks import checkov_terraform
from gate.checks.base import CheckInput
from gate.errors import GateError
from gate.iac import bundle_path
from gate.models import CheckReport, Finding, Severity
from gate.paths import builtin_policy_dir

DEFAULT_SEVERITY = Severity.MEDIUM


@lru_cache(maxsize=1)
def severity_map() -> dict[str, Severity]:
    path = builtin_policy_dir() / "checkov-severity.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        return {check_id: Severity.parse(level) for level, ids in raw.items() for check_id in ids}
    except (ValueError, TypeError, AttributeError) as exc:
        raise GateError(f"bad severity map: {exc}", source=str(path), fix="map severity names to lists of ids") from exc


class CheckovCheck:
    id = "checkov"
    description = "Security and compliance scan (checkov)"

    def run(self, given: CheckInput) -> CheckReport:
        findings: list[Finding] = []
        notes: list[str] = []
        cfn, tf = given.bundle.by_format("cloudformation"), given.bundle.by_format("terraform")
        if not cfn and not tf:
            return CheckReport(check=self.id, status="not-applicable", detail="no CloudFormation or Terraform")
        with logs.quiet():
            if cfn:
                findings.extend(self._scan_cfn([given.path_of(f.path) for f in cfn], given))
            if tf:
                found, notes = checkov_terraform.scan(given, _finding_factory(given))
                findings.extend(found)
        return CheckReport(check=self.id, status="ran", findings=tuple(findings), detail="; ".join(notes) or None)

    def _scan_cfn(self, paths: list[Path], given: CheckInput) -> list[Finding]:
        from checkov.cloudformation.runner import Runner as CfnRunner
        from checkov.runner_filter import RunnerFilter

        skip = list(given.config.checks.checkov_skip)
        rfilter = RunnerFilter(framework=["cloudformation"], skip_checks=skip or None, show_progress_bar=False)
        result = CfnRunner().run(root_folder=None, files=[str(p) for p in paths], runner_filter=rfilter)
        reports = result if isinstance(result, list) else [result]
        make = _finding_factory(given)
        out: list[Finding] = []
        for report in reports:
            if report.parsing_errors:
                raise GateError(f"checkov could not parse {', '.join(report.parsing_errors)}", fix="fix the syntax")
            for rec, waived in [(r, None) for r in report.failed_checks] + [
                (r, checkov_terraform.skip_reason(r)) for r in report.skipped_checks
            ]:
                where = _relative(rec.file_abs_path or rec.file_path, given.workdir)
                line = rec.file_line_range[0] if rec.file_line_range else None
                out.append(make(rec, where, waived, line, None))
        return out


def _finding_factory(given: CheckInput) -> checkov_terraform.FindingOf:
    severities = severity_map()

    def make(rec: Any, file: str, waived: str | None, line: int | None, defined_in: str | None) -> Finding:
        return Finding(
            check_id=rec.check_id,
            tool=CheckovCheck.id,
            severity=severities.get(rec.check_id, DEFAULT_SEVERITY),
            title=rec.check_name,
            resource=_logical(rec.resource),
            file=file,
            line=line,
            defined_in=defined_in,
            docs_url=rec.guideline or None,
            waived=waived,
        )

    return make


def _logical(resource: str) -> str:
    # CloudFormation: 'AWS::S3::Bucket.Name'; Terraform: 'aws_s3_bucket.name'
    return resource.rsplit(".", 1)[-1] if resource.startswith("AWS::") else resource


def _relative(path: str, workdir: Path) -> str:
    return bundle_path(workdir, path)
