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
    on_instance: str = ""  # the command when the target is an EC2 instance id ('i-0ab...'), where it differs


_NAME = r"[\"'`]?(?P<name>[A-Za-z0-9][\w.-]*[A-Za-z0-9])[\"'`]?"
# a resource that exists, named by its identifier ('orders-db', 'vol-0ab'), after an optional noun
_TARGET = (
    r"(?:the\s+)?(?:existing\s+|current\s+)?(?:(?:rds\s+|db\s+|database\s+|ebs\s+)?(?:instance|database|db|volume|"
    r"cluster)\s+)?[\"'`]?(?P<name>[A-Za-z][\w.:/]*[-_\d][\w.:/-]*[A-Za-z0-9])[\"'`]?"
)
# 'restart it', 'bounce that box': the thing is named elsewhere in the request, by an instance or volume id
_PRONOUN = r"(?P<pronoun>it|them|that\s+(?:box|instance|host|machine|server|one))\b"
_TARGET_OR_PRONOUN = rf"(?:{_PRONOUN}|{_TARGET})"
_ID = re.compile(r"\b(?:i|vol)-[0-9a-f]{8}(?:[0-9a-f]{9})?\b")
_QUEUE = (
    r"(?:the\s+)?(?:existing\s+)?(?:sqs\s+)?(?:queue\s+)?[\"'`]?"
    r"(?P<name>[A-Za-z0-9][\w-]*[A-Za-z0-9](?:\.fifo)?)[\"'`]?"
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
        rf"\b(?:reboot|restart|bounce|power[- ]cycle)\s+{_TARGET_OR_PRONOUN}",
        "aws rds reboot-db-instance --db-instance-identifier {name} (an instance: aws ec2 reboot-instances)",
        alone=True,
        on_instance="aws ec2 reboot-instances --instance-ids {name}",
    ),
    Operation(
        "stop or start an instance",
        rf"\b(?P<verb>stop|start|shut\s+down|power\s+(?:off|on))\s+{_TARGET_OR_PRONOUN}",
        "aws ec2 {verb}-instances --instance-ids {name}",
        alone=True,
    ),
    Operation(
        "purge a queue",
        rf"\b(?:purge|drain|empty|clear(?:\s+out)?)\s+{_QUEUE}",
        "aws sqs purge-queue --queue-url $(aws sqs get-queue-url --queue-name {name} --query QueueUrl --output text)",
        alone=True,
    ),
    Operation(
        "rotate a password or secret",
        r"\brotate\s+(?:the\s+|a\s+|our\s+)?(?:(?:db|database|master|admin|root|api)\s+)?(?:password|secret|"
        r"credentials?|access\s+keys?)\s+(?:of|for|on)\s+(?:the\s+)?[\"'`]?(?P<name>[A-Za-z0-9][\w./-]*[A-Za-z0-9])",
        "aws secretsmanager rotate-secret --secret-id <the secret of {name}> (an RDS-managed one: aws rds "
        "modify-db-instance --db-instance-identifier {name} --manage-master-user-password)",
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
        name = _target(found, request)
        if name is None:
            continue  # 'restart it' with nothing in the request that 'it' can be
        if operation.command.count("{verb}"):
            if not _ID.fullmatch(name) or not name.startswith("i-"):
                continue  # 'stop public access', 'start a new queue': not an instance operation
            verb = "stop" if re.match(r"stop|shut|power\s+off", found.group("verb"), re.I) else "start"
            command = operation.command.format(name=name, verb=verb)
        elif operation.on_instance and name.startswith("i-"):
            command = operation.on_instance.format(name=name)
        else:
            command = operation.command.format(name=name)
        text = (f"Nothing to build: the request asks to {operation.what} ({found.group(0)!r}), an operation, not an "
                f"infrastructure change. Do it directly, e.g. `{command}`; ask the gate for the resources to create "
                "or change.")  # fmt: skip
        note = Assumption(resource=None, field="not-applied", value=f"an operation: {found.group(0)!r}"[:300],
                          reason="not an infrastructure change: " + text)  # fmt: skip
        reading = Reading(start=0, end=len(request), text=request[:500], field="answer", value=operation.what)
        return ChangeSpec(summary=summary, resources=[], answer=text, assumptions=[note], readings=[reading])
    return None


def _target(found: re.Match[str], request: str) -> str | None:
    """The resource an operation names: its identifier, or for a pronoun the one instance or volume id in the
    request ('i-0ab... froze, restart it'); None when 'it' could be several things or nothing."""
    if "pronoun" in found.re.groupindex and found.group("pronoun"):
        ids = set(_ID.findall(request))
        return ids.pop() if len(ids) == 1 else None
    return found.group("name")
