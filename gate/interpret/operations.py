"""Requests that ask to *do* something with a resource that exists (invoke a function once, take a manual snapshot
of a database, reboot it, fail it over), not to change the infrastructure: the gate builds nothing for them and
says so, with the command that does what was asked.

Each entry is a verb phrase on an existing resource and the command to use instead; a request whose main verb is
one of them, or that says it wants no infrastructure change, gets a spec with no resources and that answer (and a
``not-applied`` note, so the plan never passes as a change), never a new resource of the kind it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.spec import Assumption, ChangeSpec, Reading


@dataclass(frozen=True)
class Operation:
    what: str  # what the request asks, for the reviewer: 'invoke the function'
    pattern: str  # the verb phrase, with a named group ``name`` for the resource
    command: str  # what does it instead ({name}: the resource)
    alone: bool = False  # only when the request asks for nothing to build besides ('reboot orders-db' is also a verb
    # a resource's description can hold, so it answers only a request with no resource to create)


_NAME = r"[\"'`]?(?P<name>[A-Za-z0-9][\w.-]*[A-Za-z0-9])[\"'`]?"
# a resource that exists, named by its identifier ('orders-db', 'vol-0ab'), after an optional noun
_TARGET = (
    r"(?:the\s+)?(?:existing\s+|current\s+)?(?:(?:rds\s+|db\s+|database\s+|ebs\s+)?(?:instance|database|db|volume|"
    r"cluster)\s+)?[\"'`]?(?P<name>[A-Za-z][\w.:/]*[-_\d][\w.:/-]*[A-Za-z0-9])[\"'`]?"
)
_SNAPSHOT = "aws rds create-db-snapshot --db-instance-identifier {name} --db-snapshot-identifier {name}-manual"
OPERATIONS = (
    Operation(
        "invoke an existing Lambda function",
        rf"\b(?:invoke|run|execute|trigger|call)\s+(?:the\s+)?(?:existing\s+|deployed\s+)?(?:(?:lambda|function)\s+"
        rf"(?=\S+\s+(?:once|now|with|manually)\b))?{_NAME}(?:\s+(?:lambda|function)\b|(?=\s+(?:once|now|with)\b))",
        "aws lambda invoke --function-name {name} --cli-binary-format raw-in-base64-out --payload '<json>' out.json",
    ),
    Operation(
        "take a manual snapshot",
        rf"\b(?:take|create|make|grab|do|run|trigger|kick\s+off)\s+(?:a\s+|an\s+)?(?:manual\s+|one-?off\s+|quick\s+|"
        rf"fresh\s+|final\s+)?(?:rds\s+|db\s+|database\s+|ebs\s+)?(?:snapshot|backup)\s+(?:of|for)\s+{_TARGET}",
        _SNAPSHOT + " (a volume: aws ec2 create-snapshot --volume-id {name})",
        alone=True,
    ),
    Operation(
        "take a manual snapshot",
        rf"(?:^|[.!?:]\s+|\b(?:please|someone|you|to|and|then)\s+)(?:snapshot|back\s+up)\s+{_TARGET}",
        _SNAPSHOT,
        alone=True,
    ),
    Operation(
        "reboot",
        rf"\b(?:reboot|restart|bounce)\s+{_TARGET}",
        "aws rds reboot-db-instance --db-instance-identifier {name} (an instance: aws ec2 reboot-instances)",
        alone=True,
    ),
    Operation(
        "fail over",
        rf"\b(?:fail\s+over|force\s+a\s+failover\s+(?:of|on))\s+{_TARGET}",
        "aws rds reboot-db-instance --db-instance-identifier {name} --force-failover",
        alone=True,
    ),
)
_COMPILED = tuple((o, re.compile(o.pattern, re.I)) for o in OPERATIONS)
_NO_CHANGE = re.compile(
    r"\bno\s+(?:new\s+)?infra(?:structure)?(?:\s+changes?)?\b|\bone[- ]off\s+(?:run|invocation|call)\b|"
    r"\bjust\s+(?:once|a\s+one[- ]off)\b|\bdon'?t\s+change\s+anything\b|\bnothing\s+else\s+changes\b",
    re.I,
)
_ASKING = re.compile(r"^\s*(?:please\s+)?(?:(?:can|could|would)\s+(?:you|someone)\s+)?$", re.I)


def answer(request: str, summary: str, nothing_else: bool = False) -> ChangeSpec | None:
    """'Can you invoke the existing reindex-search lambda once? No infra changes.': not a change to plan; the spec
    builds nothing and answers with the command that does it (as :mod:`gate.interpret.no_change` does)."""
    for operation, pattern in _COMPILED:
        if operation.alone and not nothing_else:
            continue
        found = pattern.search(request)
        if found is None:
            continue
        sentence = re.split(r"[.;!?]\s", request[: found.start()])[-1]
        if not (_ASKING.match(sentence) or _NO_CHANGE.search(request) or operation.alone):
            continue  # 'a lambda that runs the report function nightly' is a resource that does it
        command = operation.command.format(name=found.group("name"))
        text = (f"Nothing to build: the request asks to {operation.what} ({found.group(0)!r}), an operation, not an "
                f"infrastructure change. Do it directly, e.g. `{command}`; ask the gate for the resources to create "
                "or change.")  # fmt: skip
        note = Assumption(resource=None, field="not-applied", value=f"an operation: {found.group(0)!r}"[:300],
                          reason="not an infrastructure change: " + text)  # fmt: skip
        reading = Reading(start=0, end=len(request), text=request[:500], field="answer", value=operation.what)
        return ChangeSpec(summary=summary, resources=[], answer=text, assumptions=[note], readings=[reading])
    return None
