"""What moto never answers, replayed from AWS-shaped CloudFormation responses (tests/fakes/cfn_recorded.py):
a stack update that AWS rolls back itself (UPDATE_ROLLBACK_COMPLETE), a ValidationError, AWS's own
Replacement answer.  Other services (DynamoDB lock, CloudWatch, the audit) go through to the moto server."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.config import parse_config
from gate.deploy import base, changeset
from gate.deploy.base import Deployed
from gate.errors import GateError
from gate.iac import load_paths
from gate.models import ChangeContext
from gate.pipeline import Run, gate_bundle, write_outputs
from tests.deploy_support import anchored, audit_records, bucket_template, create_alarm, unique
from tests.fakes.cfn_recorded import Phase, Scenario, events, serve, validation_error, xml

ACCOUNT = "123456789012"


def _ids(stack: str) -> dict[str, str]:
    return {
        "stack": stack,
        "stack_id": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/{stack}/5b1c2e40-caa1-11f0-9c5e-0affd1a2b3c4",
        "change_set_id": f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:changeSet/gate/0d6e4f3a-1b2c-4d5e-8f9a-0b1c2d3e",
        "change_set_name": "gate",
    }


def _event(
    stack: str, n: int, logical: str, status: str, reason: str = "", rtype: str = "AWS::S3::Bucket"
) -> dict[str, str]:
    return {
        **_ids(stack),
        "event_id": f"{logical}-{status}-{n}",
        "logical_id": logical,
        "physical_id": "acme-orders-2026" if logical != stack else _ids(stack)["stack_id"],
        "type": rtype,
        "timestamp": f"2026-11-25T06:58:{n:02d}.000Z",
        "status": status,
        "reason": reason,
    }


pytestmark = pytest.mark.usefixtures("aws_credentials")


def test_update_that_aws_rolls_back_is_reported_failed(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, alarm = unique("recorded-orders"), unique("recorded-alarm")
    create_alarm(moto, alarm)
    ids = _ids(stack)
    stack_type = "AWS::CloudFormation::Stack"
    failure = 'Resource handler returned message: "Access Denied (Service: S3, Status Code: 403)"'
    scenario = Scenario(
        passthrough=moto.endpoint_url,
        phases=[
            Phase(
                trigger="ExecuteChangeSet",
                replies={
                    "DescribeStacks": [xml("DescribeStacks", **ids, status="UPDATE_COMPLETE", reason="")],
                    "GetTemplate": [xml("GetTemplate", body=bucket_template("acme-orders-2026", "v1"))],
                    "CreateChangeSet": [xml("CreateChangeSet", **ids)],
                    "DescribeChangeSet": [xml("DescribeChangeSet", **ids, replacement="False")],
                    "DescribeStackEvents": [events(_event(stack, 1, stack, "UPDATE_COMPLETE", rtype=stack_type))],
                    "ExecuteChangeSet": [xml("ExecuteChangeSet")],
                },
            ),
            Phase(
                replies={
                    "DescribeStacks": [
                        xml("DescribeStacks", **ids, status="UPDATE_IN_PROGRESS", reason="User Initiated"),
                        xml("DescribeStacks", **ids, status="UPDATE_ROLLBACK_IN_PROGRESS", reason=failure),
                        xml("DescribeStacks", **ids, status="UPDATE_ROLLBACK_COMPLETE", reason=""),
                    ],
                    "DescribeStackEvents": [
                        events(
                            _event(stack, 9, stack, "UPDATE_ROLLBACK_COMPLETE", rtype=stack_type),
                            _event(stack, 5, "OrdersBucket", "UPDATE_FAILED", failure),
                            _event(stack, 3, "OrdersBucket", "UPDATE_IN_PROGRESS"),
                            _event(stack, 1, stack, "UPDATE_COMPLETE", rtype=stack_type),
                        )
                    ],
                },
            ),
        ],
    )
    with serve(scenario) as url:
        text = f"stack_name: {stack}\naws: {{endpoint_url: '{url}'}}\nchecks: {{enabled: [], allow_no_checks: true}}\n"
        text += "cost: {enabled: false}\n"
        text += f"deploy: {{alarms: [{alarm}], poll_seconds: 0.01, bake_minutes: 0, stack_timeout_minutes: 0.2}}\n"
        (workdir / ".gate.yml").write_text(text)
        config = parse_config(text, ".gate.yml")
        (workdir / "template.yaml").write_text(bucket_template("acme-orders-2026", "v2"))
        reviewed = gate_bundle(load_paths(["template.yaml"]), Run(config=config, context=ChangeContext()))
        # planned against the stack the recorded answers describe (v1 deployed), as a plan with an endpoint records it
        v1 = Deployed(stack, "us-east-1", bucket_template("acme-orders-2026", "v1"), {}, "UPDATE_COMPLETE")
        reviewed = reviewed.model_copy(update={"base": base.record(v1, stack, stack, None, "us-east-1")})
        write_outputs(reviewed, workdir / "p")
        assert main(["apply", *anchored(workdir / "p" / "gate-plan.json"), "--actor", "ivy"]) == 1

    out = capsys.readouterr().out
    assert "UPDATE_FAILED" in out and "Access Denied" in out
    assert f"FAILED {stack}" in out
    finished = audit_records(workdir)[-1]
    assert (finished["kind"], finished["outcome"]) == ("apply-finished", "failed")
    assert (
        "stack ended in UPDATE_ROLLBACK_COMPLETE: OrdersBucket: Resource handler returned message" in finished["detail"]
    )
    create = next(params for action, params in scenario.calls if action == "CreateChangeSet")
    assert create["ChangeSetType"] == "UPDATE"
    assert create["RollbackConfiguration.RollbackTriggers.member.1.Arn"].endswith(f":alarm:{alarm}")
    assert scenario.actions().count("ExecuteChangeSet") == 1


def test_validation_error_is_one_readable_line() -> None:
    message = (
        "Template format error: Unresolved resource dependencies [MissingKey] in the Resources block of the template"
    )
    scenario = Scenario(
        phases=[
            Phase(
                replies={
                    "DescribeStacks": [validation_error("Stack with id recorded-bad does not exist")],
                    "CreateChangeSet": [validation_error(message)],
                }
            )
        ]
    )
    with serve(scenario) as url:
        target = AwsTarget(region="us-east-1", endpoint_url=url, access_key_id="testing", secret_access_key="testing")
        with pytest.raises(GateError) as caught:
            changeset.create(target, "recorded-bad", bucket_template("acme-bad"), "gate")
    assert f"ValidationError: {message}" in caught.value.render()
    assert scenario.calls[-1][1]["ChangeSetType"] == "CREATE"


def test_aws_replacement_answer_wins_and_the_guard_blocks(workdir: Path) -> None:
    stack = "recorded-replace"
    ids = _ids(stack)
    scenario = Scenario(
        phases=[
            Phase(
                replies={
                    "DescribeStacks": [xml("DescribeStacks", **ids, status="UPDATE_COMPLETE", reason="")],
                    # the deployed template has the same bucket name: the schemas alone would say "False"
                    "GetTemplate": [xml("GetTemplate", body=bucket_template("acme-orders-2026", "v2"))],
                    "CreateChangeSet": [xml("CreateChangeSet", **ids)],
                    "DescribeChangeSet": [xml("DescribeChangeSet", **ids, replacement="True")],
                }
            )
        ]
    )
    (workdir / "template.yaml").write_text(bucket_template("acme-orders-2026", "v2"))
    with serve(scenario) as url:
        target = AwsTarget(region="us-east-1", endpoint_url=url, access_key_id="testing", secret_access_key="testing")
        config = parse_config(
            f"stack_name: {stack}\nchecks: {{enabled: [], allow_no_checks: true}}\ncost: {{enabled: false}}\n", "test"
        )
        result = gate_bundle(load_paths(["template.yaml"]), Run(config=config, context=ChangeContext(), target=target))
    change = result.changes[0]
    assert (change.logical_id, change.replacement, change.replacement_source) == ("OrdersBucket", "True", "aws")
    assert change.details == ("Properties:BucketName",)
    assert result.verdict.decision == "blocked"
    assert any("replaces OrdersBucket" in reason or "GATE-DATA-LOSS" in reason for reason in result.verdict.reasons)


@pytest.mark.parametrize(
    ("status", "fix"),
    [
        ("ROLLBACK_COMPLETE", "Delete the stack"),
        ("UPDATE_ROLLBACK_FAILED", "Continue the rollback"),
        ("UPDATE_IN_PROGRESS", "wait for it to end"),
    ],
)
def test_a_stack_that_takes_no_change_set_is_refused_with_the_fix(status: str, fix: str) -> None:
    """moto never reports these states; AWS does, and then rejects an UPDATE change set with a ValidationError."""
    stack = "recorded-stuck"
    scenario = Scenario(
        phases=[Phase(replies={"DescribeStacks": [xml("DescribeStacks", **_ids(stack), status=status, reason="")]})]
    )
    with serve(scenario) as url:
        target = AwsTarget(region="us-east-1", endpoint_url=url, access_key_id="testing", secret_access_key="testing")
        with pytest.raises(GateError) as caught:
            changeset.create(target, stack, bucket_template("acme-stuck"), "gate")
    assert f"stack {stack} is {status}" in caught.value.render()
    assert fix in caught.value.render()
    assert "CreateChangeSet" not in scenario.actions()
