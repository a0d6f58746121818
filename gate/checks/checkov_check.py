"""checkov, in-process (its runners' Python API), for CloudFormation and Terraform.

Open-source checkov reports no severity (that comes from its hosted platform), so the gate ships its own
severity map for the checks it knows (``policies/checkov-severity.yaml``); any other check is MEDIUM.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gate.checks.base import CheckInput, not_evaluated
from gate.checks.cfn_template import checked_template
from gate.errors import GateError
from gate.iac import under
from gate.models import CheckReport, Finding, IaCFile, Severity
from gate.paths import builtin_policy_dir

DEFAULT_SEVERITY = Severity.MEDIUM
# checkov's own list of its checks per framework: the link when it has no guideline (offline, no mapping)
POLICY_INDEX = {
    "cloudformation": "https://www.checkov.io/5.Policy%20Index/cloudformation.html",
    "terraform": "https://www.checkov.io/5.Policy%20Index/terraform.html",
}


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
            targets, unread = _targets(fmt, files, given)
            findings.extend(unread)
            if targets:
                findings.extend(self._scan_isolated(fmt, targets, given))
        if not ran:
            return CheckReport(check=self.id, status="not-applicable", detail="no CloudFormation or Terraform")
        return CheckReport(check=self.id, status="ran", findings=tuple(findings))

    def _scan_isolated(self, fmt: str, targets: list[Target], given: CheckInput) -> list[Finding]:
        """One run for the whole framework; when checkov fails on the run, each file on its own, so one file
        it cannot read is one finding on that file and every other file keeps its findings."""
        try:
            return self._scan(fmt, targets, given)
        except Exception as exc:  # checkov raises plain TypeErrors/KeyErrors on templates it cannot model
            if len(targets) == 1:
                return [not_evaluated(self.id, targets[0].bundle_path, f"{type(exc).__name__}: {exc}")]
        out: list[Finding] = []
        for target in targets:
            out.extend(self._scan_isolated(fmt, [target], given))
        return out

    def _scan(self, fmt: str, targets: list[Target], given: CheckInput) -> list[Finding]:
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
        by_path = {str(t.scanned.resolve()): t for t in targets}
        result = runner.run(root_folder=None, files=list(by_path), runner_filter=rfilter)
        reports = result if isinstance(result, list) else [result]
        severities = severity_map()
        out: list[Finding] = []
        for report in reports:
            for failed in report.parsing_errors:
                target = by_path.get(str(Path(failed).resolve()))
                out.append(
                    not_evaluated(self.id, target.bundle_path if target else failed, "checkov could not parse it")
                )
            for rec, waived in [(r, None) for r in report.failed_checks] + [
                (r, _skip_reason(r)) for r in report.skipped_checks
            ]:
                scanned = rec.file_abs_path or rec.file_path
                target = by_path.get(str(Path(scanned).resolve()))
                resource = _logical(rec.resource)
                line = rec.file_line_range[0] if rec.file_line_range else None
                if target is not None and target.lines is not None:
                    line = target.lines.get(resource)
                out.append(
                    Finding(
                        check_id=rec.check_id,
                        tool=self.id,
                        severity=severities.get(rec.check_id, DEFAULT_SEVERITY),
                        title=rec.check_name,
                        resource=resource,
                        file=target.bundle_path if target else given.bundle_path_of(rec.file_abs_path or rec.file_path),
                        line=line,
                        docs_url=rec.guideline or POLICY_INDEX[fmt],
                        waived=waived,
                    )
                )
        return out


@dataclass(frozen=True)
class Target:
    """A file as checkov is given it: the file itself, or the gate's readable view of a CloudFormation
    template (language extensions expanded, Rain modules left out) with the original lines of its resources."""

    bundle_path: str
    scanned: Path
    lines: dict[str, int | None] | None = None


def _targets(fmt: str, files: tuple[IaCFile, ...], given: CheckInput) -> tuple[list[Target], list[Finding]]:
    if fmt != "cloudformation":
        return [Target(f.path, given.path_of(f.path)) for f in files], []
    targets: list[Target] = []
    unread: list[Finding] = []
    for f in files:
        try:
            checked = checked_template(f.content, f.path)
        except GateError as exc:
            unread.append(not_evaluated(CheckovCheck.id, f.path, exc.render()))
            continue
        if not checked.expanded and not checked.not_evaluated:
            targets.append(Target(f.path, given.path_of(f.path)))
            continue
        view = under(given.workdir / ".gate-readable", f"{f.path}.json")
        view.parent.mkdir(parents=True, exist_ok=True)
        view.write_text(checked.as_json(), encoding="utf-8")
        lines = {str(k): _line(v) for k, v in checked.resources.items()}
        targets.append(Target(f.path, view, lines))
    return targets, unread


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else None


def _skip_reason(rec: Any) -> str:
    """Why checkov skipped a check: the template's own skip comment, or the config's checkov_skip."""
    comment = (rec.check_result or {}).get("suppress_comment")
    return f"skipped in the template: {comment}" if comment else "skipped by checks.checkov_skip in .gate.yml"


def _logical(resource: str) -> str:
    # CloudFormation: 'AWS::S3::Bucket.Name'; Terraform: 'aws_s3_bucket.name'
    return resource.rsplit(".", 1)[-1] if resource.startswith("AWS::") else resource
