"""The bake: watch the configured CloudWatch alarms after the stack is done; the first ALARM ends it.

Alarms are chosen by name and/or by a tag selector (every alarm carrying all the given tags).  The same alarms
go to CloudFormation as ``RollbackConfiguration`` triggers, which real AWS honours during the operation;
moto ignores triggers, so this watch is what rolls back there (and after the operation everywhere).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from gate.cloud.aws import AwsTarget, aws_error
from gate.config import DeploySettings
from gate.errors import GateError
from gate.models import AlarmFired


@dataclass(frozen=True)
class Alarm:
    name: str
    arn: str


def _describe(cw: Any, names: list[str] | None = None) -> list[dict[str, Any]]:
    alarms: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"AlarmNames": names} if names else {}
    token = None
    while True:
        page = cw.describe_alarms(**kwargs, **({"NextToken": token} if token else {}))
        alarms.extend(page.get("MetricAlarms", []) + page.get("CompositeAlarms", []))
        token = page.get("NextToken")
        if not token:
            return alarms


def resolve(target: AwsTarget, deploy: DeploySettings) -> list[Alarm]:
    """The alarms to watch: the named ones (each must exist) and those matching the tag selector."""
    if not deploy.alarms and not deploy.alarm_tags:
        return []
    cw = target.client("cloudwatch")
    found: dict[str, Alarm] = {}
    try:
        if deploy.alarms:
            named = {a["AlarmName"]: a for a in _describe(cw, list(deploy.alarms))}
            missing = [n for n in deploy.alarms if n not in named]
            if missing:
                raise GateError(
                    f"alarm(s) {', '.join(missing)} do not exist in {target.label}",
                    source=".gate.yml deploy.alarms",
                    fix="create the alarms first or correct their names",
                )
            found.update({n: Alarm(n, str(a["AlarmArn"])) for n, a in named.items()})
        if deploy.alarm_tags:
            wanted = set(deploy.alarm_tags.items())
            for alarm in _describe(cw):
                tags = cw.list_tags_for_resource(ResourceARN=alarm["AlarmArn"]).get("Tags", [])
                if wanted <= {(t["Key"], t["Value"]) for t in tags}:
                    found[alarm["AlarmName"]] = Alarm(alarm["AlarmName"], str(alarm["AlarmArn"]))
    except (ClientError, BotoCoreError) as exc:
        raise aws_error(exc, "reading the CloudWatch alarms to watch", target) from exc
    return sorted(found.values(), key=lambda a: a.name)


def alarm_arns(target: AwsTarget, deploy: DeploySettings) -> list[str]:
    """ARNs for CloudFormation ``RollbackConfiguration`` (AWS takes at most five)."""
    return [a.arn for a in resolve(target, deploy)][:5]


def firing(target: AwsTarget, alarms: list[Alarm], cw: Any = None) -> AlarmFired | None:
    """The first watched alarm in ALARM now, if any."""
    if not alarms:
        return None
    cw = cw or target.client("cloudwatch")
    try:
        states = _describe(cw, [a.name for a in alarms])
    except (ClientError, BotoCoreError) as exc:
        raise aws_error(exc, "reading alarm states", target) from exc
    for state in sorted(states, key=lambda s: str(s["AlarmName"])):
        if state.get("StateValue") == "ALARM":
            changed = state.get("StateUpdatedTimestamp")
            at = changed.astimezone(dt.UTC).isoformat(timespec="seconds") if changed else _now()
            return AlarmFired(name=str(state["AlarmName"]), at=at, reason=state.get("StateReason"))
    return None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def bake(
    target: AwsTarget,
    alarms: list[Alarm],
    minutes: float,
    poll_seconds: float,
    say: Callable[[str], None],
    tick: Callable[[], None] | None = None,
) -> AlarmFired | None:
    """Poll the alarms for ``minutes``; return the first that fires, or None when the bake passes."""
    if not alarms:
        say("bake: no alarms configured (deploy.alarms / deploy.alarm_tags); nothing to watch")
        return None
    deadline = time.monotonic() + minutes * 60
    say(f"bake: watching {len(alarms)} alarm(s) for {minutes:g} min: {', '.join(a.name for a in alarms)}")
    cw = target.client("cloudwatch")
    while True:
        fired = firing(target, alarms, cw)
        if fired:
            say(f"bake: alarm {fired.name} is in ALARM since {fired.at}")
            return fired
        if tick:
            tick()
        left = deadline - time.monotonic()
        if left <= 0:
            say("bake: passed, no alarm fired")
            return None
        time.sleep(min(poll_seconds, left))
