"""checkov, in-process (its runners' Python API), for CloudFormation and Terraform.

Open-source checkov reports no severity (that comes from its hosted platform), so the gate ships its own
severity map for the checks it knows (``policies/checkov-severity.yaml``); any other check is MEDIUM.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gate.checks.base import CheckInput
from gate.errors import GateError
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
        ran = False
        for fmt in ("cloudformation", "terraform"):
            files = given.bundle.by_format(fmt)
            if not files:
                continue
            ran = True
            findings.extend(self._scan(fmt, [given.path_of(f.path) for f in files], given))
        if not ran:
            return CheckReport(check=self.id, status="not-applicable", detail="no CloudFormation or Terraform")
        return CheckReport(check=self.id, status="ran", findings=tuple(findings))

    def _scan(self, fmt: str, paths: list[Path], given: CheckInput) -> list[Finding]:
        from checkov.runner_filter import RunnerFilter

        runner: Any
        if fmt == "cloudformation":
            from checkov.cloudformation.runner import Runner as CfnRunner

            runner = CfnRunner()
        else:
            from checkov.terraform.runner import Runner as TfRunner

            runner = TfRunner()
        runner.pbar.turn_off_progress_bar()  # its tqdm bar would draw over the gate's own progress on a terminal
        skip = list(given.config.checks.checkov_skip)
        rfilter = RunnerFilter(framework=[fmt], skip_checks=skip or None)
        result = runner.run(root_folder=None, files=[str(p) for p in paths], runner_filter=rfilter)
        reports = result if isinstance(result, list) else [result]
        severities = severity_map()
        out: list[Finding] = []
        for report in reports:
            if report.parsing_errors:
                raise GateError(f"checkov could not parse {', '.join(report.parsing_errors)}", fix="fix the syntax")
            for rec, waived in [(r, None) for r in report.failed_checks] + [
                (r, _skip_reason(r)) for r in report.skipped_checks
            ]:
                out.append(
                    Finding(
                        check_id=rec.check_id,
                        tool=self.id,
                        severity=severities.get(rec.check_id, DEFAULT_SEVERITY),
                        title=rec.check_name,
                        resource=_logical(rec.resource),
                        file=_relative(rec.file_abs_path or rec.file_path, given.workdir),
                        line=rec.file_line_range[0] if rec.file_line_range else None,
                        docs_url=rec.guideline or None,
                        waived=waived,
                    )
                )
        return out


def _skip_reason(rec: Any) -> str:
    """Why checkov skipped a check: the template's own skip comment, or the config's checkov_skip."""
    comment = (rec.check_result or {}).get("suppress_comment")
    return f"skipped in the template: {comment}" if comment else "skipped by checks.checkov_skip in .gate.yml"


def _logical(resource: str) -> str:
    # CloudFormation: 'AWS::S3::Bucket.Name'; Terraform: 'aws_s3_bucket.name'
    return resource.rsplit(".", 1)[-1] if resource.startswith("AWS::") else resource


def _relative(path: str, workdir: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(workdir.resolve()))
    except ValueError:
        return path.lstrip("/")
