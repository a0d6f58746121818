"""The bake's alarm watch: alarm history (short spikes between polls), composite alarms, rollback triggers.

moto (5.2) implements neither DescribeAlarmHistory (HTTP 500) nor PutCompositeAlarm, so what it cannot
answer is replayed from AWS-shaped CloudWatch answers by tests/fakes/cfn_recorded.py; everything else goes
through to the moto server."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterator

import pytest

from gate.cloud.aws import AwsTarget
from gate.config import DeploySettings
from gate.deploy import watch
from tests.deploy_support import create_alarm, unique
from tests.fakes.cfn_recorded import Phase, Reply, Scenario, recorded_json, serve

REASON = "Threshold Crossed: 1 out of the last 1 datapoints [7.0 (25/11/26 06:58:00)] was greater than or equal"


pytestmark = pytest.mark.usefixtures("aws_credentials")


def _epoch(at: dt.datetime) -> str:
    return f"{at.timestamp():.3f}"


def _no_history() -> Reply:
    return recorded_json("DescribeAlarmHistory-none")


def _spike(alarm: str, alarmed: dt.datetime) -> Reply:
    """AWS's history of an alarm that went to ALARM at ``alarmed`` and back to OK 40 s later."""
    return recorded_json(
        "DescribeAlarmHistory",
        alarm=alarm,
        alarmed_at=_epoch(alarmed),
        recovered_at=_epoch(alarmed + dt.timedelta(seconds=40)),
    )


@pytest.fixture
def replayed(moto: AwsTarget) -> Iterator[tuple[Scenario, AwsTarget]]:
    """A target whose CloudWatch answers come from ``scenario.phases`` (set by the test), else from moto."""
    scenario = Scenario(phases=[Phase(replies={})], passthrough=moto.endpoint_url)
    with serve(scenario) as url:
        yield scenario, AwsTarget(region="us-east-1", endpoint_url=url, access_key_id="x", secret_access_key="x")


def test_moto_has_no_alarm_history_which_is_said_once(moto: AwsTarget) -> None:
    alarm = unique("watch-nohist")
    create_alarm(moto, alarm)
    said: list[str] = []
    started = time.monotonic()
    alarms = watch.resolve(moto, DeploySettings(alarms=(alarm,)))
    assert watch.bake(moto, alarms, minutes=0.01, poll_seconds=0.05, say=said.append) is None
    assert time.monotonic() - started < 5, "asked once, not through the whole retry schedule"
    gaps = [line for line in said if "returned no alarm history" in line]
    assert len(gaps) == 1, said
    assert "HTTP 500" in gaps[0] and "may be missed" in gaps[0]
    assert said[-1] == "bake: passed, no alarm fired"


def test_a_spike_between_two_polls_is_found_in_the_history(
    moto: AwsTarget, replayed: tuple[Scenario, AwsTarget]
) -> None:
    scenario, target = replayed
    alarm = unique("watch-spike")
    create_alarm(moto, alarm)  # its state stays OK/INSUFFICIENT_DATA throughout: only the history shows the spike
    since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)
    alarmed = since + dt.timedelta(seconds=30)
    scenario.phases = [Phase(replies={"DescribeAlarmHistory": [_no_history(), _spike(alarm, alarmed)]})]
    said: list[str] = []
    alarms = watch.resolve(target, DeploySettings(alarms=(alarm,)))

    # the bake returns as soon as the alarm fires: a long bake only keeps a loaded machine from missing it
    fired = watch.bake(target, alarms, minutes=1, poll_seconds=0.05, say=said.append, since=since)

    assert fired is not None and fired.name == alarm
    assert fired.at == alarmed.isoformat(timespec="seconds"), "AWS's time of the transition, not the poll's"
    assert fired.reason and fired.reason.startswith(REASON)
    assert f"bake: alarm {alarm} went to ALARM at {fired.at}" in said[-1]
    asked = [params for action, params in scenario.calls if action == "DescribeAlarmHistory"]
    assert len(asked) == 2
    assert asked[0]["AlarmName"] == alarm and asked[0]["HistoryItemType"] == "StateUpdate"
    assert float(asked[0]["StartDate"]) == pytest.approx(since.timestamp(), abs=1)
    assert json.loads(asked[0]["AlarmTypes"]) == ["MetricAlarm", "CompositeAlarm"]
    assert not any("no alarm history" in line for line in said)


def test_a_transition_before_the_bake_is_not_this_changes(
    moto: AwsTarget, replayed: tuple[Scenario, AwsTarget]
) -> None:
    scenario, target = replayed
    alarm = unique("watch-before")
    create_alarm(moto, alarm)
    since = dt.datetime.now(dt.UTC)
    scenario.phases = [Phase(replies={"DescribeAlarmHistory": [_spike(alarm, since - dt.timedelta(minutes=5))]})]
    alarms = watch.resolve(target, DeploySettings(alarms=(alarm,)))
    assert watch.bake(target, alarms, minutes=0.01, poll_seconds=0.05, say=lambda _: None, since=since) is None


def test_composite_alarms_are_found_and_watched(replayed: tuple[Scenario, AwsTarget]) -> None:
    scenario, target = replayed
    metric, composite = unique("orders-5xx"), unique("orders-unhealthy")

    def alarms(state: str, reason: str) -> Reply:
        at = _epoch(dt.datetime(2026, 11, 25, 6, 58, 31, tzinfo=dt.UTC))
        return recorded_json(
            "DescribeAlarms", metric=metric, composite=composite, state=state, state_reason=reason, state_at=at
        )

    fired_reason = f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{metric} transitioned to ALARM"
    scenario.phases = [
        Phase(
            replies={
                # resolve, then the bake's first poll see it OK; the second poll sees it in ALARM
                "DescribeAlarms": [alarms("OK", "no alarm"), alarms("OK", "no alarm"), alarms("ALARM", fired_reason)],
                "DescribeAlarmHistory": [_no_history()],
            }
        )
    ]
    found = watch.resolve(target, DeploySettings(alarms=(metric, composite)))
    assert [(a.name, a.kind) for a in found] == sorted([(metric, "metric"), (composite, "composite")])
    described = next(params for action, params in scenario.calls if action == "DescribeAlarms")
    assert json.loads(described["AlarmTypes"]) == ["MetricAlarm", "CompositeAlarm"]

    triggers = watch.rollback_triggers(found)
    assert triggers.arns == [f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{metric}"]
    assert triggers.composite == [composite]

    said: list[str] = []
    # the bake returns as soon as the alarm fires: a long bake only keeps a loaded machine from missing it
    fired = watch.bake(target, found, minutes=1, poll_seconds=0.05, say=said.append)
    assert fired is not None and (fired.name, fired.at) == (composite, "2026-11-25T06:58:31+00:00")
    assert fired.reason == fired_reason
    assert f"composite alarms are not passed as rollback triggers: {composite}" in "\n".join(said)


def test_more_than_five_alarms_names_those_left_out_of_the_triggers(moto: AwsTarget) -> None:
    tag = {"gate-watch": unique("many")}
    names = [unique(f"watch-many-{n}") for n in range(7)]
    for name in names:
        create_alarm(moto, name, tag)
    deploy = DeploySettings(alarm_tags=tag)
    said: list[str] = []

    arns = watch.alarm_arns(moto, deploy, say=said.append)

    alarms = watch.resolve(moto, deploy)
    assert [a.name for a in alarms] == sorted(names)
    assert arns == [a.arn for a in alarms[:5]]
    left_out = ", ".join(a.name for a in alarms[5:])
    assert said == [
        f"CloudFormation takes at most 5 rollback triggers; not passed: {left_out} "
        "(the gate's own watch still watches every alarm)"
    ]
    baked: list[str] = []
    assert watch.bake(moto, alarms, minutes=0, poll_seconds=0.05, say=baked.append) is None
    assert baked[0].startswith("bake: watching 7 alarm(s)")
    assert f"not passed: {left_out}" in baked[1]
