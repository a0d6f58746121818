"""SARIF 2.1.0 for code scanning (``github/codeql-action/upload-sarif``)."""

from __future__ import annotations

from typing import Any

from gate import __version__
from gate.models import Finding, GatePlan, Severity
from gate.redact import redact_data

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.INFO: "note"}  # fmt: skip
# GitHub maps security-severity to critical (>= 9.0), high (7.0-8.9), medium (4.0-6.9), low (< 4.0).
_SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                      Severity.LOW: "3.0", Severity.INFO: "1.0"}  # fmt: skip


def _rule(finding: Finding) -> dict[str, Any]:
    rule: dict[str, Any] = {
        "id": finding.check_id,
        "name": finding.check_id.replace("-", "_"),
        "shortDescription": {"text": finding.title[:1000]},
        "defaultConfiguration": {"level": _LEVEL[finding.severity]},
        "properties": {
            "security-severity": _SECURITY_SEVERITY[finding.severity],
            "tags": ["security", "iac", finding.tool, *finding.compliance],
        },
    }
    if finding.docs_url:
        rule["helpUri"] = finding.docs_url
    if finding.remediation:
        rule["help"] = {"text": finding.remediation}
    return rule


def _result(finding: Finding) -> dict[str, Any]:
    message = finding.title + (f" (resource {finding.resource})" if finding.resource else "")
    result: dict[str, Any] = {
        "ruleId": finding.check_id,
        "level": _LEVEL[finding.severity],
        "message": {"text": message},
        "properties": {"tool": finding.tool, "severity": finding.severity.name},
    }
    if finding.same_risk:
        result["properties"]["sameRisk"] = list(finding.same_risk)
        result["message"]["text"] += f"; also reported as {', '.join(finding.same_risk)}"
    if finding.file:
        physical: dict[str, Any] = {"artifactLocation": {"uri": finding.file}}
        if finding.line:
            physical["region"] = {"startLine": max(1, finding.line)}
        result["locations"] = [{"physicalLocation": physical}]
    if finding.waived:
        result["suppressions"] = [{"kind": "external", "justification": finding.waived}]
    return result


def render_sarif(plan: GatePlan) -> dict[str, Any]:
    """The SARIF log, with every secret redacted (see gate/redact.py)."""
    rules: dict[str, dict[str, Any]] = {}
    for finding in plan.findings:
        rules.setdefault(finding.check_id, _rule(finding))
    sarif: dict[str, Any] = redact_data(_log(plan, rules))
    return sarif


def _log(plan: GatePlan, rules: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "devops-gate",
                        "version": __version__,
                        "informationUri": "https://github.com/devops-gate/devops-gate",
                        "rules": list(rules.values()),
                    }
                },
                "results": [_result(f) for f in plan.findings],
                "properties": {"verdict": plan.verdict.decision},
            }
        ],
    }
