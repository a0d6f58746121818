"""cfn-lint, in-process (``cfnlint.api.lint``). E-rules mean the template would fail to deploy."""

from __future__ import annotations

from pathlib import Path

from gate.checks.base import CheckInput
from gate.models import CheckReport, Finding, Severity

_SEVERITY = {"E": Severity.HIGH, "W": Severity.LOW, "I": Severity.INFO}


class CfnLintCheck:
    id = "cfn-lint"
    description = "CloudFormation template validation (cfn-lint)"

    def run(self, given: CheckInput) -> CheckReport:
        files = given.bundle.by_format("cloudformation")
        if not files:
            return CheckReport(check=self.id, status="not-applicable", detail="no CloudFormation template")
        from cfnlint.api import ManualArgs, lint_by_config

        # one run for every template (the CLI's way): rules load once, not once per file
        by_path = {str(given.path_of(f.path).resolve()): f.path for f in files}
        config = ManualArgs(
            templates=list(by_path), regions=[given.region], ignore_checks=list(given.config.checks.cfn_lint_ignore)
        )
        findings: list[Finding] = []
        for match in lint_by_config(config):
            rule = match.rule
            findings.append(
                Finding(
                    check_id=rule.id,
                    tool=self.id,
                    severity=_SEVERITY.get(rule.id[:1], Severity.MEDIUM),
                    title=match.message,
                    resource=_resource_of(match.path),
                    file=by_path.get(str(Path(match.filename).resolve()), match.filename) if match.filename else None,
                    line=match.linenumber,
                    docs_url=rule.source_url or None,
                )
            )
        return CheckReport(check=self.id, status="ran", findings=tuple(findings))


def _resource_of(path: object) -> str | None:
    parts = getattr(path, "path", path)
    if isinstance(parts, list | tuple) and len(parts) >= 2 and parts[0] == "Resources":
        return str(parts[1])
    return None
