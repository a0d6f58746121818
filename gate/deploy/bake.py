"""What every backend does around its apply, the same way: refuse to deploy into an alarm that already fires,
bake on the alarms afterwards (:func:`gate.deploy.watch.bake`), and on ALARM undo the change and record it.

CloudFormation (:mod:`gate.deploy.apply`) undoes by redeploying the previous template; Terraform
(:mod:`gate.deploy.terraform_apply`) by applying the base commit's configuration. Both hand :func:`undo` the
rollback as a callable; it returns what the outcome says, after the ``rollback`` audit record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from gate.audit import AuditLog
from gate.cloud.aws import AwsTarget
from gate.config import DeploySettings
from gate.deploy import watch
from gate.errors import GateError
from gate.models import AlarmFired


@dataclass(frozen=True)
class Bake:
    """The alarms one apply watches (``deploy.alarms`` / ``deploy.alarm_tags``) in ``target``."""

    target: AwsTarget
    deploy: DeploySettings
    alarms: list[watch.Alarm]
    say: Callable[[str], None]

    @classmethod
    def prepare(cls, target: AwsTarget, deploy: DeploySettings, say: Callable[[str], None]) -> Bake:
        return cls(target, deploy, watch.resolve(target, deploy), say)

    def refusal(self) -> str | None:
        """Why not to deploy now: a watched alarm is in ALARM already (the bake could not tell the change's)."""
        fired = watch.firing(self.target, self.alarms)
        if fired is None:
            return None
        return f"alarm {fired.name} is already in ALARM (since {fired.at}); not deploying into it"

    def watch(self, tick: Callable[[], None] | None = None, since: dt.datetime | None = None) -> AlarmFired | None:
        """Bake for ``deploy.bake_minutes``; the first alarm that fires, or None."""
        deploy = self.deploy
        return watch.bake(self.target, self.alarms, deploy.bake_minutes, deploy.poll_seconds, self.say, tick, since)


@dataclass(frozen=True)
class Undone:
    """What a rollback after ``alarm`` did: ``rolled-back`` with the action, or ``failed`` when it failed."""

    outcome: Literal["rolled-back", "failed"]
    alarm: AlarmFired
    rollback: str
    detail: str


def undo(
    fired: AlarmFired,
    roll_back: Callable[[], str],
    audit: AuditLog,
    facts: Mapping[str, Any],
    say: Callable[[str], None],
) -> Undone:
    """Run ``roll_back`` (it returns what it did, or raises GateError) and record it as ``rollback``."""
    try:
        action = roll_back()
    except GateError as exc:
        # the alarm and the failed rollback are both on record; the change may still be live
        failure = f"FAILED: {exc.render()}"
        audit.append("rollback", **facts, alarm=fired.model_dump(), action=failure)
        say(f"rollback {failure}")
        detail = f"alarm {fired.name} fired and the rollback failed; the applied change may still be live"
        return Undone("failed", fired, failure, detail)
    audit.append("rollback", **facts, alarm=fired.model_dump(), action=action)
    say(f"rollback: {action}")
    return Undone("rolled-back", fired, action, f"alarm {fired.name} fired")
