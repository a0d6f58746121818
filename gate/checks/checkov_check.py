"""checkov, in-process (its runners' Python API), for CloudFormation and Terraform.

Open-source checkov reports no severity (that comes from its hosted platform), so the gate ships its own
severity map for the checks it knows (``policies/checkov-severity.yaml``); any other check is MEDIUM.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from gate import logs, yaml_safe
from gate.checks import checkov_terraform
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
    raw = yaml_safe.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        return {check_id: Severity.parse(level) for level, ids in raw.items() for check_id in ids}
    except (ValueError, TypeError, AttributeError) as exc:
        raise GateError(f"bad severity map: {exc}", source=str(path), fix="map severity names to lists of ids") from exc


class CheckovCheck:
    id = "checkov"
    description = "Security and compliance scan (checkov)"

    def prepare(self, given: CheckInput) -> Prepared:
        """What checkov is given of each CloudFormation template (read with cfn-lint's decoder). The main
        process makes it, having read the templates already, so the worker never imports cfn-lint (issue 19)."""
        targets, unread = _targets(given.bundle.by_format("cloudformation"), given)
        return Prepared(tuple(targets), tuple(unread))

    def run(self, given: CheckInput, prepared: Prepared | None = None) -> CheckReport:
        findings: list[Finding] = []
        notes: list[str] = []
        cfn, tf = given.bundle.by_format("cloudformation"), given.bundle.by_format("terraform")
        plans = given.bundle.by_format("terraform-plan")
        if not cfn and not tf and not plans:
            return CheckReport(check=self.id, status="not-applicable", detail="no CloudFormation or Terraform")
        with logs.quiet():
            if cfn:
                ready = prepared if prepared is not None else self.prepare(given)
                targets = list(ready.targets)
                findings.extend(ready.unread)
                if targets:
                    findings.extend(self._scan_isolated(targets, given))
            if tf:
                found, notes = checkov_terraform.scan(given, _finding_factory(given, "terraform"))
                findings.extend(found)
            if plans:  # terraform show -json output: checkov's terraform_plan framework
                from gate.checks import checkov_plan

                make = _finding_factory(given, "terraform")
                findings.extend(checkov_plan.scan(plans, given, make))
        return CheckReport(check=self.id, status="ran", findings=tuple(findings), detail="; ".join(notes) or None)

    def _scan_isolated(self, targets: list[Target], given: CheckInput) -> list[Finding]:
        """One run for all the templates; when checkov fails on the run, each file on its own, so one file
        it cannot read is one finding on that file and every other file keeps its findings."""
        try:
            return self._scan(targets, given)
        except Exception as exc:  # checkov raises plain TypeErrors/KeyErrors on templates it cannot model
            if len(targets) == 1:
                return [not_evaluated(self.id, targets[0].bundle_path, f"{type(exc).__name__}: {exc}")]
        out: list[Finding] = []
        for target in targets:
            out.extend(self._scan_isolated([target], given))
        return out

    def _scan(self, targets: list[Target], given: CheckInput) -> list[Finding]:
        from checkov.cloudformation.runner import Runner as CfnRunner
        from checkov.runner_filter import RunnerFilter

        skip = list(given.config.checks.checkov_skip)
        rfilter = RunnerFilter(framework=["cloudformation"], skip_checks=skip or None, show_progress_bar=False)
        by_path = {str(t.scanned.resolve()): t for t in targets}
        runner = CfnRunner()
        runner.pbar.turn_off_progress_bar()  # its tqdm bar would draw over the gate's own progress on a terminal
        result = runner.run(root_folder=None, files=list(by_path), runner_filter=rfilter)
        reports = result if isinstance(result, list) else [result]
        make = _finding_factory(given, "cloudformation")
        out: list[Finding] = []
        for report in reports:
            for failed in report.parsing_errors:
                target = by_path.get(str(Path(failed).resolve()))
                out.append(
                    not_evaluated(self.id, target.bundle_path if target else failed, "checkov could not parse it")
                )
            for rec, waived in [(r, None) for r in report.failed_checks] + [
                (r, checkov_terraform.skip_reason(r)) for r in report.skipped_checks
            ]:
                scanned = rec.file_abs_path or rec.file_path
                target = by_path.get(str(Path(scanned).resolve()))
                line = rec.file_line_range[0] if rec.file_line_range else None
                if target is not None and target.lines is not None:
                    line = target.lines.get(_logical(rec.resource))
                where = target.bundle_path if target else given.bundle_path_of(scanned)
                out.append(make(rec, where, waived, line, None))
        return out


@dataclass(frozen=True)
class Target:
    """A file as checkov is given it: the file itself, or the gate's readable view of a CloudFormation
    template (language extensions expanded, Rain modules left out) with the original lines of its resources."""

    bundle_path: str
    scanned: Path
    lines: dict[str, int | None] | None = None


@dataclass(frozen=True)
class Prepared:
    """The CloudFormation part of a checkov run, made before it: the files to scan, and those unread."""

    targets: tuple[Target, ...] = ()
    unread: tuple[Finding, ...] = ()


def _targets(files: tuple[IaCFile, ...], given: CheckInput) -> tuple[list[Target], list[Finding]]:
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


def _finding_factory(given: CheckInput, fmt: str) -> checkov_terraform.FindingOf:
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
            docs_url=rec.guideline or POLICY_INDEX[fmt],
            waived=waived,
        )

    return make


def _logical(resource: str) -> str:
    # CloudFormation: 'AWS::S3::Bucket.Name'; Terraform: 'aws_s3_bucket.name'
    return resource.rsplit(".", 1)[-1] if resource.startswith("AWS::") else resource
