"""Least privilege: wildcards flagged with a narrower statement proposed; narrow-role from CloudTrail records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gate.checks.base import CheckInput
from gate.checks.builtin_rules import builtin_rules
from gate.checks.least_privilege import LeastPrivilegeCheck, narrow_statement
from gate.checks.policy_rules import evaluate
from gate.cli import main
from gate.config import GateConfig
from gate.errors import GateError
from gate.iac import load_paths
from gate.remediate.narrow_role import action_of, load_records, proposed_policy, unused_grants, usage
from tests.conftest import FIXTURES

TEMPLATE = {"Uploads": "AWS::S3::Bucket", "Orders": "AWS::DynamoDB::Table", "AppRole": "AWS::IAM::Role"}
RECORDS = FIXTURES / "cloudtrail" / "app-role-records.json"


def _allow(action: Any, resource: Any = "*") -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource}


def test_service_wildcard_on_every_resource_becomes_listed_actions_on_the_templates_arns() -> None:
    proposal = narrow_statement(_allow("s3:*"), TEMPLATE)
    assert proposal.changed and not proposal.notes
    assert "s3:GetObject" in proposal.statement["Action"] and "s3:PutObject" in proposal.statement["Action"]
    assert not any("*" in a for a in proposal.statement["Action"])
    assert "s3:DeleteBucket" not in proposal.statement["Action"], "deleting the bucket is never proposed"
    assert proposal.statement["Resource"] == [
        {"Fn::GetAtt": ["Uploads", "Arn"]},
        {"Fn::Sub": "${Uploads.Arn}/*"},
    ]


def test_prefix_wildcard_keeps_only_the_actions_it_covers() -> None:
    proposal = narrow_statement(_allow("dynamodb:Get*", {"Fn::GetAtt": ["Orders", "Arn"]}), TEMPLATE)
    assert proposal.statement["Action"] == "dynamodb:GetItem"
    assert proposal.statement["Resource"] == {"Fn::GetAtt": ["Orders", "Arn"]}, "named resources are kept"


def test_full_admin_is_narrowed_to_the_services_its_resources_belong_to() -> None:
    proposal = narrow_statement(_allow("*", [{"Fn::GetAtt": ["Orders", "Arn"]}]), TEMPLATE)
    assert proposal.changed
    assert {a.split(":")[0] for a in proposal.statement["Action"]} == {"dynamodb"}


def test_what_the_data_cannot_narrow_is_said_not_guessed() -> None:
    proposal = narrow_statement(_allow("iam:*"), TEMPLATE)
    assert not proposal.changed
    assert any("narrow-role" in note for note in proposal.notes)
    assert narrow_statement({"Effect": "Deny", "Action": "*", "Resource": "*"}, TEMPLATE).changed is False


def test_narrowed_statements_pass_the_wildcard_rules() -> None:
    rules = {r.id: r for r in builtin_rules()}
    narrowed = narrow_statement(_allow("s3:*"), TEMPLATE).statement
    policy = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Statement": [narrowed]}}}
    assert evaluate(rules["GATE-IAM-002"].require, policy) == "pass"
    assert evaluate(rules["GATE-IAM-003"].require, policy) == "pass"


def test_check_reports_a_proposal_per_wildcard_statement(tmp_path: Path) -> None:
    bundle = load_paths([str(FIXTURES / "iac" / "insecure-stack.yaml")])
    report = LeastPrivilegeCheck().run(CheckInput(bundle, GateConfig(), tmp_path, "us-east-1"))
    assert report.status == "ran"
    (finding,) = report.findings
    assert finding.resource == "AppRole" and finding.severity.name == "INFO"
    assert "Policies.0.PolicyDocument.Statement.0" in finding.title
    assert finding.remediation and "s3:GetObject" in finding.remediation and "Uploads" in finding.remediation


def test_terraform_policies_are_read_too(tmp_path: Path) -> None:
    bundle = load_paths([str(FIXTURES / "iac" / "insecure.tf")])
    report = LeastPrivilegeCheck().run(CheckInput(bundle, GateConfig(), tmp_path, "us-east-1"))
    (finding,) = report.findings
    assert finding.resource == "aws_iam_policy.app"


# --- narrow-role: CloudTrail-style records -> policy -------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "name", "action"),
    [
        ("s3.amazonaws.com", "ListObjectsV2", "s3:ListBucket"),
        ("s3.amazonaws.com", "HeadObject", "s3:GetObject"),
        ("lambda.amazonaws.com", "GetFunction20150331v2", "lambda:GetFunction"),
        ("lambda.amazonaws.com", "Invoke", "lambda:InvokeFunction"),
        ("monitoring.amazonaws.com", "PutMetricData", "cloudwatch:PutMetricData"),
        ("dynamodb.amazonaws.com", "Query", "dynamodb:Query"),
    ],
)
def test_event_names_map_to_iam_actions(source: str, name: str, action: str) -> None:
    assert action_of({"eventSource": source, "eventName": name}) == action


def test_usage_of_one_role_becomes_a_policy() -> None:
    used = usage(load_records(RECORDS.read_text(), str(RECORDS)), "AppRole")
    policy = proposed_policy(used)
    grants = {a: st["Resource"] for st in policy["Statement"] for a in st["Action"]}
    assert set(grants) == {"s3:GetObject", "s3:PutObject", "s3:ListBucket", "kms:Decrypt", "lambda:GetFunction"}
    assert (
        grants["s3:GetObject"] == "arn:aws:s3:::acme-uploads/*"
        or "arn:aws:s3:::acme-uploads/*" in grants["s3:GetObject"]
    )
    assert grants["lambda:GetFunction"] == "*", "the record names no resource: '*' is kept (and said)"
    assert used.denied == {"s3:DeleteBucket"}, "a denied call is not a use"
    assert (used.first, used.last) == ("2026-11-20T08:00:59Z", "2026-11-20T08:04:00Z")
    current = {"Statement": [_allow(["s3:*", "kms:Decrypt", "dynamodb:*"])]}
    assert unused_grants(current, used) == ["dynamodb:*"]


def test_several_roles_need_a_choice() -> None:
    records = load_records(RECORDS.read_text(), str(RECORDS))
    with pytest.raises(GateError) as err:
        usage(records, None)
    assert "AppRole, OtherRole" in err.value.render() and "--role" in err.value.render()


def test_narrow_role_command(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "current.json").write_text(json.dumps({"Statement": [_allow("s3:*"), _allow("sqs:*")]}))
    code = main(["narrow-role", "--records", str(RECORDS), "--role", "AppRole", "--policy", "current.json",
                 "--out", "narrow.json"])  # fmt: skip
    assert code == 0
    policy = json.loads((workdir / "narrow.json").read_text())
    assert policy["Version"] == "2012-10-17" and policy["Statement"]
    err = capsys.readouterr().err
    assert "sqs:*" in err and "5 action(s)" in err and "s3:DeleteBucket" in err


def test_narrow_role_refuses_bad_input(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "bad.json").write_text("not json {")
    assert main(["narrow-role", "--records", "bad.json"]) == 2
    assert "CloudTrail" in capsys.readouterr().err
    assert main(["narrow-role", "--records", str(RECORDS), "--role", "Nobody"]) == 2
