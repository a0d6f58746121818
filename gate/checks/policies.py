"""Our own policies (``policies/*.yaml``, plus organisation folders named in ``.gate.yml``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gate.checks.base import CheckInput
from gate.checks.policy_rules import PolicyRule, evaluate, load_rules
from gate.errors import GateError
from gate.models import CheckReport, Finding, Severity
from gate.paths import builtin_policy_dir
from gate.synth import cfn_yaml


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else None


class PolicyCheck:
    id = "policies"
    description = "devops-gate policies (policies/ and organisation rules)"

    def rules(self, given: CheckInput) -> list[PolicyRule]:
        rules = load_rules(builtin_policy_dir())
        for folder in given.config.policy_dirs:
            path = Path(folder)
            if not path.is_dir():
                raise GateError(
                    f"policy folder {folder!r} does not exist",
                    source=".gate.yml policy_dirs",
                    fix="create it or remove it from policy_dirs",
                )
            rules.extend(load_rules(path))
        return rules

    def run(self, given: CheckInput) -> CheckReport:
        files = given.bundle.by_format("cloudformation")
        if not files:
            return CheckReport(check=self.id, status="not-applicable", detail="policies read CloudFormation only")
        rules = self.rules(given)
        findings: list[Finding] = []
        for file in files:
            template = cfn_yaml.load(file.content, file.path)
            resources = template.get("Resources") or {}
            for logical, body in resources.items():
                if not isinstance(body, dict):
                    continue
                for rule in rules:
                    if body.get("Type") not in rule.resource_types:
                        continue
                    outcome = evaluate(rule.require, body)
                    if outcome == "pass":
                        continue
                    unknown = outcome == "unknown"
                    findings.append(
                        Finding(
                            check_id=rule.id,
                            tool=self.id,
                            severity=Severity.INFO if unknown else rule.severity,
                            title=("could not verify statically: " if unknown else "") + rule.title,
                            resource=str(logical),
                            file=file.path,
                            line=_line(body),
                            remediation=rule.remediation,
                            docs_url=rule.docs,
                            compliance=rule.compliance,
                        )
                    )
        return CheckReport(check=self.id, status="ran", findings=tuple(findings), detail=f"{len(rules)} rules")
