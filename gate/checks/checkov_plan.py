"""checkov on a Terraform plan's JSON, in-process: its ``terraform_plan`` framework (what ``checkov -f
plan.json`` runs). Findings carry the plan's resource address (``module.db.aws_db_instance.this``); a plan
checkov cannot read is one finding on that file, the other files keep theirs."""

from __future__ import annotations

from gate.checks.base import CheckInput, not_evaluated
from gate.checks.checkov_terraform import FindingOf, skip_reason
from gate.models import Finding, IaCFile


def scan(plans: tuple[IaCFile, ...], given: CheckInput, finding: FindingOf) -> list[Finding]:
    out: list[Finding] = []
    for plan in plans:
        try:
            out.extend(_scan(plan, given, finding))
        except Exception as exc:  # checkov raises plain TypeErrors/KeyErrors on input it cannot model
            out.append(not_evaluated("checkov", plan.path, f"{type(exc).__name__}: {exc}"))
    return out


def _scan(plan: IaCFile, given: CheckInput, finding: FindingOf) -> list[Finding]:
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.plan_runner import Runner

    skip = list(given.config.checks.checkov_skip)
    rfilter = RunnerFilter(framework=["terraform_plan"], skip_checks=skip or None, show_progress_bar=False)
    runner = Runner()
    runner.pbar.turn_off_progress_bar()
    result = runner.run(root_folder=None, files=[str(given.path_of(plan.path))], runner_filter=rfilter)
    reports = result if isinstance(result, list) else [result]
    out: list[Finding] = []
    for report in reports:
        for _failed in report.parsing_errors:
            out.append(not_evaluated("checkov", plan.path, "checkov could not parse the plan JSON"))
        records = [(r, None) for r in report.failed_checks] + [(r, skip_reason(r)) for r in report.skipped_checks]
        for rec, waived in records:
            line = rec.file_line_range[0] if rec.file_line_range else None
            out.append(finding(rec, plan.path, waived, line, None))
    return out
