"""What a function's triggers mean for the resources they come from, settled once every resource is read.

- A queue of this change that invokes a function needs a visibility timeout of at least the function's timeout
  (Lambda refuses the mapping otherwise); AWS recommends six times it.  Not asked: six times, said so.  Asked
  for less than the function's timeout: refused, with the number that would work.
- A table of this change whose stream invokes a function needs its stream on: not asked, NEW_AND_OLD_IMAGES.
"""

from __future__ import annotations

from typing import Any

from gate.errors import GateError
from gate.interpret.base import Notes

DEFAULT_TIMEOUT_S = 30  # LambdaFunction.timeout_s
MAX_VISIBILITY_S = 43200


def wire_triggers(resources: list[dict[str, Any]], notes: Notes) -> None:
    by_name = {str(r.get("name")): r for r in resources}
    for fn in (r for r in resources if r.get("kind") == "lambda_function"):
        timeout = int(fn.get("timeout_s", DEFAULT_TIMEOUT_S))
        for trigger in fn.get("triggers", []):
            source = by_name.get(str(trigger.get("queue_ref") or trigger.get("table_ref")))
            if source is None:
                continue
            if trigger.get("type") == "sqs":
                _visibility(source, fn, timeout, notes)
            elif trigger.get("type") == "dynamodb" and source.get("stream", "none") == "none":
                source["stream"] = "NEW_AND_OLD_IMAGES"
                notes.assume(source["name"], "stream", "NEW_AND_OLD_IMAGES",
                             f"its stream invokes {fn['name']}: turned on, with new and old images")  # fmt: skip


def _visibility(queue: dict[str, Any], fn: dict[str, Any], timeout: int, notes: Notes) -> None:
    asked = queue.get("visibility_timeout_s")
    if asked is None:
        queue["visibility_timeout_s"] = min(MAX_VISIBILITY_S, 6 * timeout)
        notes.assume(queue["name"], "visibility_timeout_s", queue["visibility_timeout_s"],
                     f"six times the timeout of {fn['name']} ({timeout} s), as AWS recommends for a queue a function "
                     "consumes: a message is not handed out again while a batch is still being processed")  # fmt: skip
    elif int(asked) < timeout:
        raise GateError(
            f"the queue {queue['name']!r} has a visibility timeout of {asked} s, shorter than the timeout of the "
            f"function {fn['name']!r} that consumes it ({timeout} s): Lambda refuses such a trigger",
            fix=f"give the queue a visibility timeout of at least {timeout} s (AWS recommends {6 * timeout} s), or "
            "shorten the function's timeout",
        )
