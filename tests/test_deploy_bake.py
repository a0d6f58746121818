"""The bake on the moto server: an alarm in ALARM during the bake rolls the stack back to what it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from tests.deploy_support import (
    AUDIT,
    anchored,
    audit_records,
    bucket_tags,
    bucket_template,
    create_alarm,
    plan,
    set_alarm_when_executed,
    unique,
    write_config,
)

pytestmark = pytest.mark.usefixtures("aws_credentials")


def test_alarm_during_bake_restores_the_previous_template(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, bucket, alarm = unique("bake-update"), unique("bake-update-b"), unique("bake-5xx")
    create_alarm(moto, alarm, {"gate-bake": stack})
    config = write_config(workdir, moto, stack, alarm_tags={"gate-bake": stack}, bake_minutes=0.03, poll_seconds=0.05)
    _, path = plan(workdir, moto, config, bucket_template(bucket, "v1"), "p1")
    assert main(["apply", *anchored(path)]) == 0, "the first bake passes: the alarm is OK"
    first = capsys.readouterr().out
    assert first.count("returned no alarm history") == 1, "moto has no DescribeAlarmHistory: said once per bake"
    cfn = moto.client("cloudformation")
    before = cfn.get_template(StackName=stack)["TemplateBody"]

    # the bake ends as soon as the alarm fires: a long one only keeps a loaded machine from missing it
    config = write_config(workdir, moto, stack, alarm_tags={"gate-bake": stack}, bake_minutes=1, poll_seconds=0.05)
    _, path = plan(workdir, moto, config, bucket_template(bucket, "v2", queue=True), "p2")
    watcher = set_alarm_when_executed(moto, alarm, workdir / AUDIT, stack, nth=2)
    capsys.readouterr()
    assert main(["apply", *anchored(path)]) == 1
    watcher.join(5)
    out = capsys.readouterr().out
    assert f"bake: alarm {alarm} is in ALARM since" in out
    assert f"ROLLED-BACK {stack}" in out
    assert "Threshold Crossed" in out

    assert cfn.get_template(StackName=stack)["TemplateBody"] == before
    resources = cfn.describe_stack_resources(StackName=stack)["StackResources"]
    assert [r["LogicalResourceId"] for r in resources] == ["DataBucket"], "the added queue is gone again"
    assert bucket_tags(moto, bucket) == {"release": "v1"}

    records = audit_records(workdir)
    rollback = next(r for r in records if r["kind"] == "rollback")
    assert rollback["alarm"]["name"] == alarm and rollback["alarm"]["at"]
    assert "redeployed the previous template" in rollback["action"]
    finished = records[-1]
    assert (finished["kind"], finished["outcome"], finished["alarm"]["name"]) == (
        "apply-finished",
        "rolled-back",
        alarm,
    )


def test_a_rollback_that_fails_keeps_the_alarm_on_record_and_exits_1(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, bucket, alarm = unique("bake-rbfail"), unique("bake-rbfail-b"), unique("bake-rbfail-a")
    create_alarm(moto, alarm)
    config = write_config(workdir, moto, stack, alarms=[alarm], bake_minutes=0, poll_seconds=0.05)
    # a previous template over CloudFormation's inline limit cannot be redeployed by the gate
    big = bucket_template(bucket, "v1") + "Metadata:\n  Padding: " + "x" * 52_000 + "\n"
    _, path = plan(workdir, moto, config, big, "p1")
    assert main(["apply", *anchored(path)]) == 0
    config = write_config(workdir, moto, stack, alarms=[alarm], bake_minutes=1, poll_seconds=0.05)
    _, path = plan(workdir, moto, config, bucket_template(bucket, "v2", queue=True), "p2")
    watcher = set_alarm_when_executed(moto, alarm, workdir / AUDIT, stack, nth=2)
    capsys.readouterr()
    assert main(["apply", *anchored(path)]) == 1, "a failed rollback is a gate failure, not bad input"
    watcher.join(5)
    out = capsys.readouterr().out
    assert f"FAILED {stack}" in out
    assert "rollback FAILED" in out and "roll back by hand" in out

    records = audit_records(workdir)
    rollback = next(r for r in records if r["kind"] == "rollback")
    assert rollback["alarm"]["name"] == alarm
    assert rollback["action"].startswith("FAILED:")
    finished = records[-1]
    assert (finished["kind"], finished["outcome"], finished["alarm"]["name"]) == ("apply-finished", "failed", alarm)
    assert "may still be live" in finished["detail"]


def test_alarm_after_create_deletes_the_new_stack(workdir: Path, moto: AwsTarget) -> None:
    stack, bucket, alarm = unique("bake-create"), unique("bake-create-b"), unique("bake-errors")
    create_alarm(moto, alarm)
    config = write_config(workdir, moto, stack, alarms=[alarm], bake_minutes=1, poll_seconds=0.05)
    _, path = plan(workdir, moto, config, bucket_template(bucket, queue=True), "p")
    watcher = set_alarm_when_executed(moto, alarm, workdir / AUDIT, stack, nth=1)
    assert main(["apply", *anchored(path)]) == 1
    watcher.join(5)
    stacks = moto.client("cloudformation").list_stacks()["StackSummaries"]
    assert all(s["StackStatus"] == "DELETE_COMPLETE" for s in stacks if s["StackName"] == stack)
    assert audit_records(workdir)[-1]["rollback"].startswith("deleted stack")


def test_alarm_already_firing_refuses_to_deploy(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, alarm = unique("bake-firing"), unique("bake-firing-a")
    create_alarm(moto, alarm)
    moto.client("cloudwatch").set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="already bad")
    config = write_config(workdir, moto, stack, alarms=[alarm])
    _, path = plan(workdir, moto, config, bucket_template(unique("bake-firing-b")), "p")
    assert main(["apply", *anchored(path)]) == 1
    assert f"alarm {alarm} is already in ALARM" in capsys.readouterr().out
    assert [r["kind"] for r in audit_records(workdir)] == ["apply-refused"]


def test_missing_alarm_is_a_config_error(workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_config(workdir, moto, unique("bake-missing"), alarms=["no-such-alarm-5"])
    (workdir / "template.yaml").write_text(bucket_template(unique("bake-missing-b")))
    assert main(["check", "template.yaml", "--out", "c"]) == 0, "no endpoint use on check"
    assert config.deploy.alarms == ("no-such-alarm-5",)
    with pytest.raises(Exception, match="no-such-alarm-5"):
        plan(workdir, moto, config, bucket_template(unique("bake-missing-c")), "p")
