"""Secrets in the change: AWS keys, GitHub/Slack/Stripe tokens, Slack webhook URLs, private keys, passwords (in
``*_PASSWORD``/``DB_PASS``/``*_SECRET``/``*_TOKEN`` keys, name/value environment pairs and connection strings) and
literal ``SecretString`` values in the IaC files (UserData, Lambda environment, outputs ... anywhere in the text),
literal database passwords, and secrets typed into the change request (one check id per kind: ``KINDS``).
Findings say *what* and *where*, never the value (see :mod:`gate.redact`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gate.checks import secret_context, terraform_model
from gate.checks.base import CheckInput, not_evaluated
from gate.checks.cfn_template import checked_template
from gate.errors import GateError
from gate.models import CheckReport, Finding, IaCFile, Severity
from gate.redact import find_secrets, redact

DOCS = "https://docs.aws.amazon.com/secretsmanager/latest/userguide/cfn-example_reference-secret.html"
FIX = (
    "Remove it from the code and rotate it now (it is in the Git history). Keep secrets in Secrets Manager or "
    "SSM SecureString and reference them ({{resolve:secretsmanager:name}}, ManageMasterUserPassword: true)."
)
COMPLIANCE = ("PCI-DSS-8.6.2", "HIPAA-164.312(a)(1)", "AWS-WA-SEC02")


@dataclass(frozen=True)
class SecretKind:
    check_id: str
    severity: Severity
    title: str


KINDS: dict[str, SecretKind] = {
    "aws-access-key-id": SecretKind("GATE-SECRET-001", Severity.CRITICAL, "AWS access key id in the code"),
    "aws-secret-access-key": SecretKind("GATE-SECRET-002", Severity.CRITICAL, "AWS secret access key in the code"),
    "github-token": SecretKind("GATE-SECRET-003", Severity.CRITICAL, "GitHub token in the code"),
    "slack-token": SecretKind("GATE-SECRET-004", Severity.HIGH, "Slack token in the code"),
    "password": SecretKind("GATE-SECRET-005", Severity.HIGH, "password or secret written as a literal"),
    "private-key": SecretKind("GATE-SECRET-006", Severity.CRITICAL, "private key in the code"),
    "slack-webhook": SecretKind("GATE-SECRET-007", Severity.HIGH, "Slack incoming webhook URL in the code"),
    "stripe-key": SecretKind("GATE-SECRET-008", Severity.CRITICAL, "Stripe secret or restricted API key in the code"),
    "connection-string-password": SecretKind(
        "GATE-SECRET-009", Severity.HIGH, "password inside a connection string URL (user and password before the host)"
    ),
    "secret-string": SecretKind("GATE-SECRET-010", Severity.HIGH, "Secrets Manager SecretString written as a literal"),
}
LITERAL_PASSWORD = SecretKind("GATE-SECRET-005", Severity.HIGH, "database master password written as a literal")
_PASSWORD_PROPS = {
    "AWS::RDS::DBInstance": "MasterUserPassword",
    "AWS::RDS::DBCluster": "MasterUserPassword",
    "AWS::Redshift::Cluster": "MasterUserPassword",
    "AWS::DocDB::DBCluster": "MasterUserPassword",
}


def _finding(kind: SecretKind, file: str | None, line: int | None, resource: str | None, where: str) -> Finding:
    return Finding(
        check_id=kind.check_id,
        tool="secrets",
        severity=kind.severity,
        title=f"{kind.title} ({where}; value not shown)",
        resource=resource,
        file=file,
        line=line,
        remediation=FIX,
        docs_url=DOCS,
        compliance=COMPLIANCE,
    )


def _literal(value: Any) -> bool:
    if isinstance(value, dict):
        return False  # an intrinsic (!Ref to a NoEcho parameter) or an unresolved Terraform reference
    text = str(value)
    return bool(text) and "{{resolve:" not in text


def scan_file(file: IaCFile) -> list[Finding]:
    """Literal database passwords (named by resource, so they can be fixed), then every other secret in the text."""
    findings: list[Finding] = []
    for logical, rtype, props, line in _password_properties(file):
        prop = _PASSWORD_PROPS[rtype]
        value = props.get(prop)
        if value is not None and _literal(value):
            findings.append(_finding(LITERAL_PASSWORD, file.path, line, logical, prop))
    findings.extend(_text_findings(file, {f.line for f in findings}))
    return findings


def _text_findings(file: IaCFile, taken: set[int | None]) -> list[Finding]:
    """Secrets anywhere in the text, each judged in its place (:mod:`gate.checks.secret_context`)."""
    code = secret_context.code_lines(file.content)
    return [
        _finding(KINDS[hit.kind], file.path, hit.line, None, hit.kind)
        for hit in find_secrets(file.content)
        if (hit.kind != "password" or hit.line not in taken)
        and not (
            hit.kind in secret_context.JUDGED_KINDS and secret_context.is_reference(file.content, hit, hit.line in code)
        )
    ]


def _password_properties(file: IaCFile) -> list[tuple[str, str, dict[str, Any], int | None]]:
    out: list[tuple[str, str, dict[str, Any], int | None]] = []
    if file.format == "cloudformation":
        for logical, body in checked_template(file.content, file.path).resources.items():
            if body.get("Type") in _PASSWORD_PROPS:
                props = body.get("Properties") or {}
                prop = _PASSWORD_PROPS[str(body["Type"])]
                mark = getattr(props.get(prop), "start_mark", None) or getattr(body, "start_mark", None)
                out.append((str(logical), str(body["Type"]), props, int(mark.line) + 1 if mark else None))
    else:
        found, _ = terraform_model.resources(file.content, file.path)
        lines = file.content.splitlines()
        for res in found:
            if res.body["Type"] in _PASSWORD_PROPS:
                start = (res.line or 1) - 1
                at = next(
                    (i + 1 for i in range(start, len(lines)) if re.match(r"\s*(master_)?password\s*=", lines[i])),
                    res.line,
                )
                out.append((res.address, res.body["Type"], res.body["Properties"], at))
    return out


def scan_request(text: str, origin: str) -> list[Finding]:
    """Secrets typed into the change request (PR body, comment, file): reported, and redacted from the plan."""
    return [
        _finding(KINDS[hit.kind], None, None, None, f"{hit.kind} in the change request from {origin}")
        for hit in find_secrets(text)
    ]


class SecretsCheck:
    id = "secrets"
    description = "AWS keys, tokens, private keys and passwords in the change (never echoed)"

    def run(self, given: CheckInput) -> CheckReport:
        if not given.bundle.files:
            return CheckReport(check=self.id, status="not-applicable", detail="no files")
        findings: list[Finding] = []
        for file in given.bundle.files:
            try:
                findings.extend(scan_file(file))
            except GateError as exc:  # one unreadable file: said once, and the text is still searched
                findings.append(not_evaluated(self.id, file.path, exc.render()))
                findings.extend(_text_findings(file, set()))
        return CheckReport(
            check=self.id, status="ran", findings=tuple(findings), detail=f"{len(given.bundle.files)} file(s) scanned"
        )


def add_request_findings(reports: list[CheckReport], text: str | None, origin: str) -> list[CheckReport]:
    """Append request secrets to the secrets report (or a report of their own when the check is not enabled)."""
    found = scan_request(text or "", redact(origin))
    if not found:
        return reports
    for index, report in enumerate(reports):
        if report.check == SecretsCheck.id:
            merged = report.model_copy(update={"findings": (*report.findings, *found), "status": "ran"})
            return [*reports[:index], merged, *reports[index + 1 :]]
    return [*reports, CheckReport(check=SecretsCheck.id, status="ran", findings=tuple(found), detail="request")]
