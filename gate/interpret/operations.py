"""Requests that ask to *do* something with a resource that exists (invoke a function once), not to change the
infrastructure: the gate builds nothing for them and says so, with the command that does what was asked.

Each entry is a verb phrase on an existing resource and the command to use instead; a request whose main verb is
one of them, or that says it wants no infrastructure change, is answered with a ``GateError`` (exit 2), never
read as a request to create the resource it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.errors import GateError


@dataclass(frozen=True)
class Operation:
    what: str  # what the request asks, for the reviewer: 'invoke the function'
    pattern: str  # the verb phrase, with a named group ``name`` for the resource
    command: str  # what does it instead ({name}: the resource)


_NAME = r"[\"'`]?(?P<name>[A-Za-z0-9][\w.-]*[A-Za-z0-9])[\"'`]?"
OPERATIONS = (
    Operation(
        "invoke an existing Lambda function",
        rf"\b(?:invoke|run|execute|trigger|call)\s+(?:the\s+)?(?:existing\s+|deployed\s+)?(?:(?:lambda|function)\s+"
        rf"(?=\S+\s+(?:once|now|with|manually)\b))?{_NAME}(?:\s+(?:lambda|function)\b|(?=\s+(?:once|now|with)\b))",
        "aws lambda invoke --function-name {name} --cli-binary-format raw-in-base64-out --payload '<json>' out.json",
    ),
)
_COMPILED = tuple((o, re.compile(o.pattern, re.I)) for o in OPERATIONS)
_NO_CHANGE = re.compile(
    r"\bno\s+(?:new\s+)?infra(?:structure)?(?:\s+changes?)?\b|\bone[- ]off\s+(?:run|invocation|call)\b|"
    r"\bjust\s+(?:once|a\s+one[- ]off)\b|\bdon'?t\s+change\s+anything\b|\bnothing\s+else\s+changes\b",
    re.I,
)
_ASKING = re.compile(r"^\s*(?:please\s+)?(?:(?:can|could|would)\s+(?:you|someone)\s+)?$", re.I)


def refuse_operations(request: str) -> None:
    """'Can you invoke the existing reindex-search lambda once? No infra changes.': not a change to plan."""
    for operation, pattern in _COMPILED:
        found = pattern.search(request)
        if found is None:
            continue
        sentence = re.split(r"[.;!?]\s", request[: found.start()])[-1]
        if not (_ASKING.match(sentence) or _NO_CHANGE.search(request)):
            continue  # 'a lambda that runs the report function nightly' is a resource that does it
        name = found.group("name")
        raise GateError(
            f"the request asks to {operation.what} ({found.group(0)!r}), which is an operation, not an "
            "infrastructure change: the gate plans and applies infrastructure only, so it builds nothing for it",
            fix="do it directly, e.g. " + operation.command.format(name=name) + "; to change the infrastructure, "
            "ask for the resources to create, e.g. 'Create a Lambda function named reindex on python3.12'",
        )
