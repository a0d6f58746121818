"""The bake: watch the configured CloudWatch alarms after the stack is done; the first ALARM ends it.

Alarms are chosen by name and/or by a tag selector (every alarm carrying all the given tags), metric and
composite alike.  Up to five of them go to CloudFormation as ``RollbackConfiguration`` triggers, which real
AWS honours during the operation; moto ignores triggers, so this watch is what rolls back there (and after
the operation everywhere).

Each poll reads the alarms' current state *and* their history since the bake began (DescribeAlarmHistory):
an alarm that goes to ALARM and back to OK between two polls is in the history, not in the state.  An
endpoint without alarm history (moto answers HTTP 500) is said once; the watch then samples the state only.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error, aws_reason
from gate.config import DeploySettings
from gate.errors import GateError
from gate.models import AlarmFired

AlarmKind = Literal["metric", "composite"]

# DescribeAlarms and DescribeAlarmHistory answer for metric alarms only unless asked for both
_ALARM_TYPES = ["MetricAlarm", "CompositeAlarm"]
# CloudFormation takes at most five rollback triggers per stack (RollbackConfiguration.RollbackTriggers)
MAX_ROLLBACK_TRIGGERS = 5


@dataclass(frozen=True)
class Alarm:
    name: str
    arn: str
    kind: AlarmKind = "metric"


@dataclass(frozen=True)
class Triggers:
    """The alarms passed to CloudFormation as rollback triggers, and those watched by the gate only."""

    arns: list[str]
    over_limit: list[str]  # names beyond CloudFormation's five
    composite: list[str]  # names of composite alarms (see rollback_triggers)

    def note(self) -> str | None:
        parts = []
        if self.over_limit:
            parts.append(
                f"CloudFormation takes at most {MAX_ROLLBACK_TRIGGERS} rollback triggers; "
                f"not passed: {', '.join(self.over_limit)}"
            )
        if self.composite:
            parts.append(f"composite alarms are not passed as rollback triggers: {', '.join(self.composite)}")
        if not parts:
            return None
        return "; ".join(parts) + " (the gate's own watch still watches every alarm)"


def _describe(cw: Any, names: list[str] | None = None) -> list[tuple[AlarmKind, dict[str, Any]]]:
    alarms: list[tuple[AlarmKind, dict[str, Any]]] = []
    kwargs: dict[str, Any] = {"AlarmTypes": _ALARM_TYPES, **({"AlarmNames": names} if names else {})}
    token = None
    while True:
        page = cw.describe_alarms(**kwargs, **({"NextToken": token} if token else {}))
        alarms.extend(("metric", a) for a in page.get("MetricAlarms", []))
        alarms.extend(("composite", a) for a in page.get("CompositeAlarms", []))
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
            named = {a["AlarmName"]: (kind, a) for kind, a in _describe(cw, list(deploy.alarms))}
            missing = [n for n in deploy.alarms if n not in named]
            if missing:
                raise GateError(
                    f"alarm(s) {', '.join(missing)} do not exist in {target.label}",
                    source=".gate.yml deploy.alarms",
                    fix="create the alarms first or correct their names",
                )
            found.update({n: Alarm(n, str(a["AlarmArn"]), kind) for n, (kind, a) in named.items()})
        if deploy.alarm_tags:
            wanted = set(deploy.alarm_tags.items())
            for kind, alarm in _describe(cw):
                tags = cw.list_tags_for_resource(ResourceARN=alarm["AlarmArn"]).get("Tags", [])
                if wanted <= {(t["Key"], t["Value"]) for t in tags}:
                    found[alarm["AlarmName"]] = Alarm(alarm["AlarmName"], str(alarm["AlarmArn"]), kind)
    except AWS_ERRORS as exc:
        raise aws_error(exc, "reading the CloudWatch alarms to watch", target) from exc
    return sorted(found.values(), key=lambda a: a.name)


def rollback_triggers(alarms: list[Alarm]) -> Triggers:
    """The ARNs for CloudFormation ``RollbackConfiguration``: the first five metric alarms.

    AWS also takes composite alarms as rollback triggers, with ``Type: AWS::CloudWatch::CompositeAlarm``; but
    ``changeset.create`` types every trigger ``AWS::CloudWatch::Alarm``, so only metric alarms go there until
    it is given each trigger's type.  Composite alarms are watched by the gate's own bake like the others.
    """
    metric = [a for a in alarms if a.kind == "metric"]
    return Triggers(
        arns=[a.arn for a in metric[:MAX_ROLLBACK_TRIGGERS]],
        over_limit=[a.name for a in metric[MAX_ROLLBACK_TRIGGERS:]],
        composite=[a.name for a in alarms if a.kind == "composite"],
    )


def alarm_arns(target: AwsTarget, deploy: DeploySettings, say: Callable[[str], None] | None = None) -> list[str]:
    """ARNs for CloudFormation ``RollbackConfiguration`` (see :func:`rollback_triggers`); ``say`` is told which
    alarms were left out."""
    triggers = rollback_triggers(resolve(target, deploy))
    note = triggers.note()
    if say and note:
        say(note)
    return triggers.arns


def _iso(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="seconds")


def firing(target: AwsTarget, alarms: list[Alarm], cw: Any = None) -> AlarmFired | None:
    """The first watched alarm in ALARM now, if any."""
    if not alarms:
        return None
    cw = cw or target.client("cloudwatch")
    try:
        states = [state for _, state in _describe(cw, [a.name for a in alarms])]
    except AWS_ERRORS as exc:
        raise aws_error(exc, "reading alarm states", target) from exc
    for state in sorted(states, key=lambda s: str(s["AlarmName"])):
        if state.get("StateValue") == "ALARM":
            changed = state.get("StateUpdatedTimestamp")
            at = _iso(changed) if changed else _now()
            return AlarmFired(name=str(state["AlarmName"]), at=at, reason=state.get("StateReason"))
    return None


def _to_alarm(item: dict[str, Any], since: dt.datetime) -> tuple[dt.datetime, AlarmFired] | None:
    """A StateUpdate history item that moved an alarm to ALARM at or after ``since``, with AWS's time and reason."""
    at = item.get("Timestamp")
    if not isinstance(at, dt.datetime) or at < since:
        return None
    try:
        data = json.loads(item.get("HistoryData") or "{}")
    except ValueError:
        data = {}
    new = data.get("newState") if isinstance(data, dict) else None
    if isinstance(new, dict):
        state, reason = new.get("stateValue"), new.get("stateReason")
    else:  # no structured data: AWS's summary reads "Alarm updated from OK to ALARM"
        summary = str(item.get("HistorySummary") or "")
        state, reason = ("ALARM" if summary.endswith(" to ALARM") else None), summary or None
    if state != "ALARM":
        return None
    return at, AlarmFired(name=str(item["AlarmName"]), at=_iso(at), reason=str(reason) if reason else None)


def _single_attempt(cw: Any) -> Any:
    """``cw`` without botocore's retry handler (registered under this id by botocore's standard and legacy
    retries): an endpoint without DescribeAlarmHistory answers 500, which the gate's eight adaptive retries
    would otherwise turn into ~9 s on the first poll.  Should botocore rename the id, this is a no-op."""
    event = cw.meta.service_model.service_id.hyphenize()
    cw.meta.events.unregister(f"needs-retry.{event}", unique_id=f"retry-config-{event}")
    return cw


@dataclass
class _History:
    """Transitions to ALARM since ``since`` in DescribeAlarmHistory: what sampling the state misses."""

    target: AwsTarget
    alarms: list[Alarm]
    since: dt.datetime
    poll_seconds: float
    say: Callable[[str], None]
    cw: Any = None  # the retrying client, once the endpoint has answered with history
    off: bool = False

    def fired(self) -> AlarmFired | None:
        if self.off:
            return None
        found: list[tuple[dt.datetime, AlarmFired]] = []
        try:
            for alarm in self.alarms:
                cw = self.cw or _single_attempt(self.target.client("cloudwatch"))  # the first call probes
                found.extend(hit for item in self._items(cw, alarm.name) if (hit := _to_alarm(item, self.since)))
                self.cw = self.cw or self.target.client("cloudwatch")
        except AWS_ERRORS as exc:
            self.off = True
            self.say(
                f"bake: {self.target.label} returned no alarm history (DescribeAlarmHistory: {aws_reason(exc)}); "
                f"watching the alarms' current state only, so an alarm that goes to ALARM and back within one "
                f"poll ({self.poll_seconds:g} s) may be missed"
            )
            return None
        return min(found, key=lambda hit: hit[0])[1] if found else None

    def _items(self, cw: Any, name: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "AlarmName": name,
            "AlarmTypes": _ALARM_TYPES,
            "HistoryItemType": "StateUpdate",
            "StartDate": self.since,
        }
        token = None
        while True:
            page = cw.describe_alarm_history(**kwargs, **({"NextToken": token} if token else {}))
            items.extend(page.get("AlarmHistoryItems", []))
            token = page.get("NextToken")
            if not token:
                return items


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def bake(
    target: AwsTarget,
    alarms: list[Alarm],
    minutes: float,
    poll_seconds: float,
    say: Callable[[str], None],
    tick: Callable[[], None] | None = None,
    since: dt.datetime | None = None,
) -> AlarmFired | None:
    """Poll the alarms for ``minutes``; return the first that fires, or None when the bake passes.

    An alarm fires when it is in ALARM at a poll, or when its history shows a transition to ALARM since
    ``since`` (default: the start of the bake; pass the start of the stack operation to cover it too).
    """
    if not alarms:
        say("bake: no alarms configured (deploy.alarms / deploy.alarm_tags); nothing to watch")
        return None
    since = since or dt.datetime.now(dt.UTC)
    deadline = time.monotonic() + minutes * 60
    say(f"bake: watching {len(alarms)} alarm(s) for {minutes:g} min: {', '.join(a.name for a in alarms)}")
    note = rollback_triggers(alarms).note()
    if note:
        say(f"bake: {note}")
    cw = target.client("cloudwatch")
    history = _History(target, alarms, since, poll_seconds, say)
    while True:
        fired = firing(target, alarms, cw)
        if fired:
            say(f"bake: alarm {fired.name} is in ALARM since {fired.at}")
            return fired
        fired = history.fired()
        if fired:
            say(f"bake: alarm {fired.name} went to ALARM at {fired.at} (alarm history; it may be OK again now)")
            return fired
        if tick:
            tick()
        left = deadline - time.monotonic()
        if left <= 0:
            say("bake: passed, no alarm fired")
            return None
        time.sleep(min(poll_seconds, left))
