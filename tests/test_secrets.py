"""Secrets are detected in inputs, templates and outputs, and never echoed (comment, SARIF, logs, audit log)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest

from gate.audit import FileAuditLog
from gate.checks.secrets import KINDS, scan_file
from gate.cli import main
from gate.iac import make_file
from gate.redact import PATTERNS, find_secrets, redact, redact_data
from tests.conftest import FIXTURES

# Built at run time so no scanner mistakes this test file for a leak; AKIAIOSFODNN7EXAMPLE is AWS's documented example.
AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYEXAMPLEKEY"
GITHUB = "ghp_" + "R8x2kq9ZpLw3Vn7Ty5Ub1Mc4Od6Ef0Gh2Ij8"
GITHUB_PAT = "github_pat_" + "11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789AB"
SLACK = "xoxb-" + "1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUv"
PASSWORD = "Tr0ub4dor-and-3"
SLACK_HOOK = "https://hooks.slack.com/services/" + "T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX"
STRIPE = "sk_" + "live_" + "51HxYzAbCdEfGhIjKlMnOpQr"
STRIPE_RESTRICTED = "rk_" + "live_" + "51HxYzAbCdEfGhIjKlMnOpQs"
URL_PASSWORD = "Sup3r-S3cret"
AMP_PASSWORD = "p@ss&word!"


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
        (f"Endpoint: {SLACK_HOOK}", "slack-webhook", SLACK_HOOK),
        (f'"url": "{SLACK_HOOK}"', "slack-webhook", SLACK_HOOK),
        (
            f"DATABASE_URL: postgres://app:{URL_PASSWORD}@db.internal:5432/app",
            "connection-string-password",
            URL_PASSWORD,
        ),
        (f"amqp://worker:{URL_PASSWORD}@mq/vhost", "connection-string-password", URL_PASSWORD),
        (f"redis://:{URL_PASSWORD}@cache:6379/0", "connection-string-password", URL_PASSWORD),
        (f"SecretString: {PASSWORD}", "secret-string", PASSWORD),
        (f'SecretString: \'{{"username": "app", "key": "{PASSWORD}"}}\'', "secret-string", PASSWORD),
        (f'"SecretString": "{PASSWORD}"', "secret-string", PASSWORD),
        (f'secret_string = "{PASSWORD}"', "secret-string", PASSWORD),
        (f"DB_PASS: {PASSWORD}", "password", PASSWORD),
        (f"export DB_PASS={PASSWORD}; ./run", "password", PASSWORD),
        (f"MYSQL_ROOT_PASSWORD={PASSWORD}", "password", PASSWORD),
        (f"APP_SECRET: {PASSWORD}", "password", PASSWORD),
        (f'"DEPLOY_TOKEN": "{PASSWORD}"', "password", PASSWORD),
        (f"client_secret => '{PASSWORD}'", "password", PASSWORD),
        (f"- Name: DB_PASSWORD\n  Value: {PASSWORD}", "password", PASSWORD),
        (f'{{"Name": "API_TOKEN", "Value": "{PASSWORD}"}}', "password", PASSWORD),
        (f'password: "{AMP_PASSWORD}"', "password", AMP_PASSWORD),
        ('password: "&;,first-chars"', "password", "&;,first-chars"),
        (f"password: {AMP_PASSWORD}", "password", AMP_PASSWORD),
        (f'"password": "ab\\"{PASSWORD}"', "password", PASSWORD),  # an escaped quote inside a JSON string
        (f"STRIPE_KEY={STRIPE}", "stripe-key", STRIPE),
        (f"key: {STRIPE_RESTRICTED}", "stripe-key", STRIPE_RESTRICTED),
        (f"https://x-access-token:{GITHUB}@github.com/acme/infra", "github-token", GITHUB),
        (f"GH_TOKEN={GITHUB_PAT}", "github-token", GITHUB_PAT),
        (f"the password is {AMP_PASSWORD}", "password", AMP_PASSWORD),
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
        # checkov / cfn-lint / our own titles and prose: a word after "is" is not a password
        "Ensure that Secrets Manager secret is encrypted using KMS CMK",
        "Ensure Secrets Manager secret is rotated within 90 days",
        "the password is stored in Secrets Manager",
        # references to secret stores, not literals
        'SecretString: !Sub \'{"password": "${DbPassword}"}\'',
        'SecretString:\n  Fn::Sub: \'{"password": "${DbPassword}"}\'',
        'GenerateSecretString:\n  SecretStringTemplate: \'{"username": "app"}\'',
        "secret_string = random_password.db.result",
        "DB_PASS: !Ref DbPassword",
        "- Name: DB_PASSWORD\n  Value: !Ref DbPassword",
        "password:\n  Ref: DbPassword",
        "SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db",
        "postgres://app:${DB_PASSWORD}@db.internal:5432/app",
        "https://example.com:8443/path?q=1 and s3://bucket/key and git@github.com:acme/infra.git",
        "token = event.get('token')",
        "bypass: governance-mode",
        "https://hooks.slack.com/ is where webhooks live",
        "sk_live_ is Stripe's prefix",
    ],
)
def test_references_and_ordinary_text_are_left_alone(text: str) -> None:
    assert find_secrets(text) == []
    assert redact(text) == text


def test_every_kind_is_a_gate_secret_finding() -> None:
    kinds = {kind for kind, _, _ in PATTERNS}
    assert kinds == set(KINDS), "each secret kind the redactor knows is reported by the secrets check"
    assert all(k.check_id.startswith("GATE-SECRET-") for k in KINDS.values())
    assert len({k.check_id for k in KINDS.values()}) == len(KINDS)
    assert all(redact(k.title) == k.title for k in KINDS.values()), "a finding's own title is never redacted"


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
    suggested = json.dumps(plan["suggestions"])  # the fix removes the password: its diff must not show it
    assert "MasterUserPassword" in suggested and PASSWORD not in suggested


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


MANY_SECRETS = f"""AWSTemplateFormatVersion: "2010-09-09"
Description: a hand-written stack with one of every secret kind (test fixture)
Resources:
  AppSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      SecretString: '{{"username": "app", "key": "{URL_PASSWORD}x"}}'
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/worker
      Code:
        ZipFile: "def handler(event, context): return 1"
      Environment:
        Variables:
          SLACK_HOOK: {SLACK_HOOK}
          DATABASE_URL: postgres://app:{URL_PASSWORD}@db.internal:5432/app
          DB_PASS: {PASSWORD}
          ADMIN_PASSWORD: "{AMP_PASSWORD}"
          STRIPE_KEY: {STRIPE}
          STRIPE_RESTRICTED: {STRIPE_RESTRICTED}
          GH_TOKEN: {GITHUB}
          GH_PAT: {GITHUB_PAT}
"""
EXPECTED_IDS = {f"GATE-SECRET-{n:03d}" for n in (3, 5, 7, 8, 9, 10)}
LEAKS = (SLACK_HOOK, URL_PASSWORD, PASSWORD, AMP_PASSWORD, STRIPE, STRIPE_RESTRICTED, GITHUB, GITHUB_PAT)


def test_each_secret_kind_is_a_finding_on_its_line() -> None:
    findings = scan_file(make_file("many.yaml", "cloudformation", MANY_SECRETS))
    assert {f.check_id for f in findings} == EXPECTED_IDS
    lines = MANY_SECRETS.splitlines()
    assert {lines[(f.line or 0) - 1].split(":")[0].strip() for f in findings} == {
        "SecretString",
        "SLACK_HOOK",
        "DATABASE_URL",
        "DB_PASS",
        "ADMIN_PASSWORD",
        "STRIPE_KEY",
        "STRIPE_RESTRICTED",
        "GH_TOKEN",
        "GH_PAT",
    }
    for f in findings:
        assert not any(secret in f.title for secret in LEAKS)


def test_check_on_every_secret_kind_echoes_none_of_them(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "many.yaml").write_text(MANY_SECRETS)
    assert main(["check", "many.yaml", "--out", "o"]) == 1
    printed = capsys.readouterr()
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    secrets = next(c for c in plan["checks"] if c["check"] == "secrets")
    assert {f["check_id"] for f in secrets["findings"]} == EXPECTED_IDS
    for name in ("comment.md", "results.sarif"):
        text = (workdir / "o" / name).read_text()
        assert [s for s in LEAKS if s in text] == [], name
    assert [s for s in LEAKS if s in printed.out + printed.err] == []
    # everything in gate-plan.json but the reviewed files' own content (see the next test)
    derived = json.dumps({k: v for k, v in plan.items() if k != "iac"})
    assert [s for s in LEAKS if s in derived] == []


def test_gate_plan_json_does_not_store_the_secrets_and_apply_refuses_it(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "many.yaml").write_text(MANY_SECRETS)
    assert main(["check", "many.yaml", "--out", "o"]) == 1
    text = (workdir / "o" / "gate-plan.json").read_text()
    assert [s for s in LEAKS if s in text] == []
    stored = json.loads(text)["iac"]["files"][0]
    assert stored["redacted"] is True
    assert stored["sha256"] == hashlib.sha256(MANY_SECRETS.encode()).hexdigest(), "the reviewed file's hash stays"

    plan = json.loads(text)  # even if someone waived the findings and edited the verdict: never applied
    plan["verdict"] = {"decision": "pass", "reasons": ["edited"]}
    (workdir / "o" / "gate-plan.json").write_text(json.dumps(plan))
    capsys.readouterr()
    assert main(["apply", "--plan", "o/gate-plan.json", "--unanchored"]) == 2
    err = capsys.readouterr().err
    assert "many.yaml holds a secret" in err and "Secrets Manager or SSM" in err


@pytest.mark.parametrize(
    "text",
    [
        "x-y.z_" * 30000,  # long words: no key prefix may be retried at every position (quadratic)
        "password=" * 20000,
        "Name: " + "a" * 100000,
        "a://b:" * 20000,
        "password is " * 20000,
    ],
    ids=["words", "keys", "name", "urls", "prose"],
)
def test_redaction_stays_linear_on_hostile_text(text: str) -> None:
    started = time.perf_counter()
    redact(text)
    assert time.perf_counter() - started < 2.0
