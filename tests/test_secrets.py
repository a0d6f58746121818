"""Secrets are detected in inputs, templates and outputs, and never echoed (comment, SARIF, logs, audit log)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.audit import FileAuditLog
from gate.checks.secrets import scan_file
from gate.cli import main
from gate.iac import make_file
from gate.redact import find_secrets, redact, redact_data
from tests.conftest import FIXTURES

# Built at run time so no scanner mistakes this test file for a leak; AKIAIOSFODNN7EXAMPLE is AWS's documented example.
AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
GITHUB = "ghp_" + "R8x2kq9ZpLw3Vn7Ty5Ub1Mc4Od6Ef0Gh2Ij8"
GITHUB_PAT = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789AB"
SLACK = "xoxb-" + "1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUv"
PASSWORD = "Tr0ub4dor-and-3"


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        (f"key {AWS_KEY} in text", "aws-access-key-id", AWS_KEY),
        (f"ASIA{'Y' * 16}", "aws-access-key-id", "ASIA" + "Y" * 16),
        (f"aws_secret_access_key = {AWS_SECRET}", "aws-secret-access-key", AWS_SECRET),
        (f'"SecretAccessKey": "{AWS_SECRET}"', "aws-secret-access-key", AWS_SECRET),
        (f"token: {GITHUB}", "github-token", GITHUB),
        (f"GITHUB_TOKEN={GITHUB_PAT}", "github-token", GITHUB_PAT),
        (f"SLACK={SLACK}", "slack-token", SLACK),
        (f"MasterUserPassword: {PASSWORD}", "password", PASSWORD),
        (f"echo 'db_password={PASSWORD}' >> /etc/app.env", "password", PASSWORD),
        (f"the admin password is {PASSWORD}", "password", PASSWORD),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----", "private-key", "MIIEow"),
    ],
)
def test_secrets_are_found_and_redacted(text: str, kind: str, secret: str) -> None:
    assert [h.kind for h in find_secrets(text)] == [kind]
    cleaned = redact(text)
    assert secret not in cleaned
    assert f"[REDACTED:{kind}]" in cleaned


@pytest.mark.parametrize(
    "text",
    [
        "MasterUserPassword: !Ref DbPassword",
        "MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'",
        "password = var.db_password",
        'password = "${random_password.db.result}"',
        "MetadataOptions: {HttpTokens: required}",
        "Create an S3 bucket named acme-invoices with versioning enabled",
        "reviewed files sha256 `911096cd82b3` arn:aws:iam::123456789012:role/AppRole",
        "AIDACKCEVSQ6C2EXAMPLE is a user id, not a key",
    ],
)
def test_references_and_ordinary_text_are_left_alone(text: str) -> None:
    assert find_secrets(text) == []
    assert redact(text) == text


def test_redact_data_walks_structures() -> None:
    data = {"facts": [{"note": f"key {AWS_KEY}"}], "n": 3, "ok": True}
    assert redact_data(data) == {"facts": [{"note": "key [REDACTED:aws-access-key-id]"}], "n": 3, "ok": True}


def test_scan_names_the_literal_database_password_by_resource() -> None:
    text = (FIXTURES / "iac" / "insecure-stack.yaml").read_text()
    findings = scan_file(make_file("insecure-stack.yaml", "cloudformation", text))
    by_id = {(f.check_id, f.resource, f.line) for f in findings}
    assert ("GATE-SECRET-005", "Database", 18) in by_id, "MasterUserPassword literal, attributed to its resource"
    assert ("GATE-SECRET-001", None, 61) in by_id, "access key id in the Lambda environment"
    assert len([f for f in findings if f.line == 18]) == 1, "one finding per secret, not two"
    for f in findings:
        assert PASSWORD not in f.title and AWS_KEY not in f.title


def test_user_data_and_outputs_are_scanned() -> None:
    template = f"""AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Box:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      UserData:
        Fn::Base64: |
          #!/bin/bash
          export GH_TOKEN={GITHUB}
Outputs:
  Hook:
    Value: https://hooks.example.com/{SLACK}
"""
    findings = scan_file(make_file("t.yaml", "cloudformation", template))
    assert {(f.check_id, f.line) for f in findings} == {("GATE-SECRET-003", 10), ("GATE-SECRET-004", 13)}


def test_terraform_literal_password_is_found_and_a_variable_is_not() -> None:
    literal = f'resource "aws_db_instance" "d" {{\n  password = "{PASSWORD}"\n}}\n'
    variable = 'resource "aws_db_instance" "d" {\n  password = var.db_password\n}\n'
    assert [f.check_id for f in scan_file(make_file("a.tf", "terraform", literal))] == ["GATE-SECRET-005"]
    assert scan_file(make_file("b.tf", "terraform", variable)) == []


def test_check_blocks_and_never_echoes_the_secrets(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(FIXTURES / "iac" / "insecure-stack.yaml"), "--out", "o"])
    assert code == 1
    printed = capsys.readouterr()
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    secrets = next(c for c in plan["checks"] if c["check"] == "secrets")
    assert {f["check_id"] for f in secrets["findings"]} == {"GATE-SECRET-001", "GATE-SECRET-005"}
    for name in ("comment.md", "results.sarif"):
        text = (workdir / "o" / name).read_text()
        assert PASSWORD not in text and AWS_KEY not in text, name
    assert PASSWORD not in printed.out + printed.err and AWS_KEY not in printed.out + printed.err


def test_a_secret_in_the_request_is_reported_and_not_stored(workdir: Path) -> None:
    request = f"Create an S3 bucket named acme-keys-test; use access key {AWS_KEY} to upload"
    assert main(["plan", "--request", request, "--out", "o"]) == 1
    stored = (workdir / "o" / "gate-plan.json").read_text()
    assert AWS_KEY not in stored
    plan = json.loads(stored)
    assert "[REDACTED:aws-access-key-id]" in plan["request"]["text"]
    ids = [f["check_id"] for c in plan["checks"] for f in c["findings"]]
    assert "GATE-SECRET-001" in ids
    assert AWS_KEY not in (workdir / "o" / "comment.md").read_text()


def test_audit_log_never_writes_a_secret(tmp_path: Path) -> None:
    log = FileAuditLog(tmp_path / "audit.jsonl")
    log.append("apply-started", detail=f"password={PASSWORD}", nested={"token": GITHUB})
    text = (tmp_path / "audit.jsonl").read_text()
    assert PASSWORD not in text and GITHUB not in text
    assert next(log.records())["kind"] == "apply-started"


def test_errors_on_the_console_are_redacted(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "broken.yaml").write_text(f"Resources:\n  A:\n    Type: AWS::S3::Bucket\n  token: {GITHUB}\n  [\n")
    assert main(["check", "broken.yaml", "--out", "o"]) == 2
    assert GITHUB not in capsys.readouterr().err
