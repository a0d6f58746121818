"""Environments (role assumed through STS, regions in order, stack prefix) and the S3 audit log, on moto."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from gate.audit import S3AuditLog
from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.config import parse_config
from gate.deploy.environments import assume
from tests.deploy_support import anchored, create_alarm, plan, unique, write_config

ROLE = "arn:aws:iam::111111111111:role/devops-gate-deploy"
REGIONS = ["us-east-1", "us-west-2"]
QUEUE = "Resources:\n  WorkQueue:\n    Type: AWS::SQS::Queue\n"  # bucket names are global: one per account


pytestmark = pytest.mark.usefixtures("aws_credentials")


def _env_config(workdir: Path, moto: AwsTarget, stack: str, alarm: str, audit_bucket: str) -> None:
    raw = yaml.safe_load((workdir / ".gate.yml").read_text())
    raw["deploy"].update({"alarms": [alarm], "audit_bucket": audit_bucket, "audit_prefix": f"{stack}/"})
    raw["environments"] = {"prod": {"role_arn": ROLE, "regions": REGIONS, "stack_prefix": "prod-"}}
    (workdir / ".gate.yml").write_text(yaml.safe_dump(raw))


def test_env_assumes_the_role_and_deploys_each_region_in_order(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, alarm, audit_bucket = unique("env"), unique("env-alarm"), unique("env-audit")
    moto.client("s3").create_bucket(Bucket=audit_bucket)
    account = assume(moto, ROLE, "test")
    for region in REGIONS:
        create_alarm(replace(account, region=region), alarm)
    config = write_config(workdir, moto, stack)
    _, path = plan(workdir, moto, config, QUEUE, "p")
    _env_config(workdir, moto, stack, alarm, audit_bucket)

    assert main(["apply", *anchored(path), "--env", "prod"]) == 0
    out = capsys.readouterr().out
    assert out.index(f"== prod-{stack} in us-east-1 (prod)") < out.index(f"== prod-{stack} in us-west-2 (prod)")
    for region in REGIONS:
        cfn = replace(account, region=region).client("cloudformation")
        assert cfn.describe_stacks(StackName=f"prod-{stack}")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    default_account = moto.client("cloudformation").list_stacks()["StackSummaries"]
    assert all(s["StackName"] != f"prod-{stack}" for s in default_account), "deployed with the role, not the caller"

    records = list(S3AuditLog(moto.client("s3"), audit_bucket, f"{stack}/").records())
    finished = [r for r in records if r["kind"] == "apply-finished"]
    assert [(r["region"], r["outcome"], r["environment"]) for r in finished] == [
        ("us-east-1", "applied", "prod"),
        ("us-west-2", "applied", "prod"),
    ]


def test_env_stops_at_the_first_failing_region(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, alarm, audit_bucket = unique("env-stop"), unique("env-stop-alarm"), unique("env-stop-audit")
    moto.client("s3").create_bucket(Bucket=audit_bucket)
    account = assume(moto, ROLE, "test")
    for region in REGIONS:
        create_alarm(replace(account, region=region), alarm)
    account.client("cloudwatch").set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="east is down")
    config = write_config(workdir, moto, stack)
    _, path = plan(workdir, moto, config, QUEUE, "p")
    _env_config(workdir, moto, stack, alarm, audit_bucket)
    assert main(["apply", *anchored(path), "--env", "prod"]) == 1
    out = capsys.readouterr().out
    assert "stopped: not deploying to us-west-2 after refused in us-east-1" in out
    west = replace(account, region="us-west-2").client("cloudformation").list_stacks()["StackSummaries"]
    assert all(s["StackName"] != f"prod-{stack}" for s in west)


def test_unknown_environment_is_a_usage_error(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(workdir, moto, unique("env-unknown"))
    _, path = plan(workdir, moto, config, QUEUE, "p")
    assert main(["apply", *anchored(path), "--env", "staging"]) == 2
    assert "unknown environment 'staging'" in capsys.readouterr().err
    assert parse_config("environments: {prod: {regions: [eu-west-1]}}", "x").environments["prod"].stack_prefix == ""
