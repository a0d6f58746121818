"""Wait for a stack operation to end, printing its events as they come (progress output)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.deploy.changeset import stack_status
from gate.errors import GateError

SUCCESS = frozenset({"CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE", "IMPORT_COMPLETE"})
GONE = "DELETE_COMPLETE"


@dataclass
class Waited:
    status: str
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status in SUCCESS


class EventPrinter:
    """Prints stack events not seen before (describe_stack_events answers newest first)."""

    def __init__(self, cfn: Any, stack_name: str, say: Callable[[str], None]) -> None:
        self.cfn = cfn
        self.stack_name = stack_name
        self.say = say
        self.seen: set[str] = set()
        self.failures: list[str] = []

    def skip_existing(self) -> None:
        for event in self._events():
            self.seen.add(str(event.get("EventId")))

    def _events(self) -> list[dict[str, Any]]:
        try:
            return list(self.cfn.describe_stack_events(StackName=self.stack_name).get("StackEvents", []))
        except ClientError as exc:
            if "does not exist" in str(exc):
                return []
            raise

    def poll(self) -> None:
        fresh = [e for e in self._events() if str(e.get("EventId")) not in self.seen]
        for event in reversed(fresh):
            self.seen.add(str(event.get("EventId")))
            status = str(event.get("ResourceStatus", ""))
            reason = event.get("ResourceStatusReason")
            line = f"  {status:<28} {event.get('LogicalResourceId', '?'):<32} {event.get('ResourceType', '')}"
            self.say(line + (f": {reason}" if reason else ""))
            if status.endswith("FAILED") and reason:
                self.failures.append(f"{event.get('LogicalResourceId')}: {reason}")


def wait_for_stack(
    target: AwsTarget,
    stack_name: str,
    say: Callable[[str], None],
    timeout_seconds: float,
    poll_seconds: float,
    printer: EventPrinter | None = None,
    tick: Callable[[], None] | None = None,
) -> Waited:
    """Poll until the stack leaves every *_IN_PROGRESS state; a missing stack counts as DELETE_COMPLETE."""
    cfn = target.client("cloudformation")
    printer = printer or EventPrinter(cfn, stack_name, say)
    deadline = time.monotonic() + timeout_seconds
    try:
        while True:
            printer.poll()
            status = stack_status(cfn, stack_name) or GONE
            if not status.endswith("_IN_PROGRESS"):
                return Waited(status=status, failures=list(printer.failures))
            if tick:
                tick()
            if time.monotonic() > deadline:
                raise GateError(
                    f"stack {stack_name} is still {status} after {timeout_seconds / 60:g} min",
                    fix="watch it in the CloudFormation console; raise deploy.stack_timeout_minutes",
                )
            time.sleep(poll_seconds)
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"waiting for stack {stack_name}", target) from exc
