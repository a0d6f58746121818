"""A plan that was applied and then rolled back (its alarms rejected it) is never applied again silently: after
the rollback the stack is back on the plan's base, so nothing else would stop a re-run. It is refused with the
run that rolled it back and an ``apply-refused`` record; ``--reapply-rolled-back`` applies it anyway, on record."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from tests.deploy_support import (
    AUDIT,
    anchored,
    audit_records,
    create_alarm,
    plan,
    set_alarm_when_executed,
    unique,
    write_config,
)

pytestmark = pytest.mark.usefixtures("aws_credentials")
# nothing retained: the rollback of the create deletes all of it, so a re-apply can create it again
QUEUE = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  WorkQueue:\n    Type: AWS::SQS::Queue\n"


def test_a_rolled_back_plan_is_refused_on_a_rerun_unless_asked(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, alarm = unique("reapply"), unique("reapply-a")
    create_alarm(moto, alarm)
    config = write_config(workdir, moto, stack, alarms=[alarm], bake_minutes=1, poll_seconds=0.05)
    reviewed, path = plan(workdir, moto, config, QUEUE, "p")
    watcher = set_alarm_when_executed(moto, alarm, workdir / AUDIT, stack, nth=1)
    assert main(["apply", *anchored(path)]) == 1
    watcher.join(5)
    rolled = audit_records(workdir)[-1]
    assert (rolled["kind"], rolled["outcome"]) == ("apply-finished", "rolled-back")
    cfn = moto.client("cloudformation")

    def live() -> list[str]:
        return [s["StackName"] for s in cfn.list_stacks()["StackSummaries"] if s["StackStatus"] != "DELETE_COMPLETE"]

    assert stack not in live(), "the rollback deleted the new stack: the plan's base (no stack) is back"

    # the alarm is OK again; the same reviewed plan, run again, is refused with the reason and on record
    moto.client("cloudwatch").set_alarm_state(AlarmName=alarm, StateValue="OK", StateReason="recovered")
    write_config(workdir, moto, stack, alarms=[alarm], bake_minutes=0, poll_seconds=0.05)
    capsys.readouterr()
    assert main(["apply", *anchored(path)]) == 1
    out = capsys.readouterr().out
    assert f"REFUSED: plan {reviewed.bundle_sha256[:12]} was applied to {stack} and rolled back" in out
    assert f"run {rolled['run_id'][:8]}" in out and f"{alarm} fired" in out and "--reapply-rolled-back" in out
    refused = audit_records(workdir)[-1]
    assert (refused["kind"], refused["rolled_back_run_id"]) == ("apply-refused", rolled["run_id"])
    assert stack not in live(), "nothing was deployed"

    # asked explicitly: applied, and the audit log says it was a re-apply of a rolled-back plan
    assert main(["apply", *anchored(path), "--reapply-rolled-back"]) == 0
    assert "WARNING: re-applying plan" in capsys.readouterr().out
    records = audit_records(workdir)
    asked = next(r for r in records if r["kind"] == "apply-reapply-rolled-back")
    assert asked["rolled_back_run_id"] == rolled["run_id"]
    assert (records[-1]["kind"], records[-1]["outcome"]) == ("apply-finished", "applied")
    assert stack in live()
