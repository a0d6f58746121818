"""Refusals: a request the offline interpreter cannot read is refused with what was not understood and how to
phrase it, never answered with a guess."""

from __future__ import annotations

import re

from gate.errors import GateError
from gate.interpret.mentions import Mention

EXAMPLES = (
    "Create an S3 bucket named acme-invoices with versioning enabled",
    "Launch two t3.medium EC2 instances for the search service tagged team=search",
    "Provision a highly available Postgres 16 database named billing-db with 100 GB of storage",
)
_BY_TOPIC = {
    "storage": (
        "Create an S3 bucket named campaign-images",
        "Add a bucket called app-logs-prod that expires objects after 365 days",
    ),
    "compute": (
        "Launch two t3.medium EC2 instances for the search service",
        "Create a Lambda function named nightly-report on python3.12 that runs every day at 2am",
    ),
    "data": (
        "Create a MySQL 8.0 database on db.t3.small with 50 GB of storage",
        "Create a DynamoDB table named orders with partition key order_id",
    ),
    "messaging": (
        "Create an SQS queue named payments with a 60 second visibility timeout",
        "Create an SNS topic named alerts that emails ops@example.com",
    ),
}
_ACTION = re.compile(
    r"^\s*(?:please\s+)?(?:(?:also|and|then)\s+)?(?:can\s+you\s+|could\s+you\s+|we\s+need\s+to\s+|i\s+want\s+to\s+)?"
    r"(create|add|make|set\s+up|setup|provision|deploy|launch|start|spin\s+up|build|configure|enable|install|"
    r"give|grant|open|allow|attach|run|host|migrate|upgrade|scale|resize|increase|change|update|move|connect)\b",
    re.I,
)
_DESTRUCTIVE = re.compile(
    r"\b(delete|remove|destroy|drop|terminate|tear\s+down|decommission|deprovision|get\s+rid\s+of|shut\s+down|"
    r"wipe|empty)\s+(?:(?:the|our|an?|that|this|all|old|existing|unused|my|every)\s+){0,3}(?:[\w.-]+\s+){0,2}?"
    r"(s3\s+buckets?|buckets?|instances?|servers?|databases?|dbs?|vpcs?|queues?|topics?|tables?|functions?|lambdas?|"
    r"roles?|users?|groups?|polic(?:y|ies)|alarms?|log\s+groups?|volumes?|security\s+groups?|stacks?)\b",
    re.I,
)
# words that carry meaning for some recogniser even in a sentence that names no resource
_SETTINGS = re.compile(
    r"\b(version\w*|encrypt\w*|kms|tag\w*|region|lifecycle|expire\w*|retention|retain\w*|glacier|archive|backup\w*|"
    r"multi-?az|highly\s+available|replica\w*|timeout|memory|runtime|python|node|java|schedule\w*|every|daily|"
    r"nightly|hourly|cidr|subnet\w*|nat|gateway|endpoint\w*|port\w*|https?|ssh|ingress|egress|private|public|"
    r"dead[- ]letter|dlq|fifo|visibility|ttl|stream\w*|partition|sort\s+key|key|capacity|on-demand|threshold|"
    r"above|below|percent|notify|email|subscri\w*|trigger\w*|upload\w*|permission\w*|read\w*|write\w*|access|"
    r"storage|gb|mb|tb|instance\s+type|class|engine|postgres\w*|mysql|mariadb|az|availability|zones?|\d)\b",
    re.I,
)


def example_lines(text: str) -> list[str]:
    """Two or three phrasings close to what the request seems to be about."""
    lowered = text.lower()
    topic = (
        "data"
        if re.search(r"data|database|table|record|sql", lowered)
        else "messaging"
        if re.search(r"queue|message|notif|event|topic|email", lowered)
        else "compute"
        if re.search(r"server|run|compute|job|function|app|script|cron", lowered)
        else "storage"
        if re.search(r"stor|file|image|upload|backup|bucket", lowered)
        else None
    )
    picks = [*_BY_TOPIC[topic], EXAMPLES[0]] if topic else list(EXAMPLES)
    return list(dict.fromkeys(picks))[:3]


def _fix(text: str) -> str:
    return "say which AWS resource to create and its settings, for example: " + "; ".join(
        repr(e) for e in example_lines(text)
    )


def not_understood(request: str) -> GateError:
    shown = request if len(request) <= 160 else request[:157] + "..."
    return GateError(
        f"could not find a resource the gate can build in the request {shown!r}: no bucket, instance, "
        "database, function, queue, topic, table, VPC, role, alarm or log group is named, and it does not match "
        "a known need (storing files, a small database, a scheduled job, background processing, notifications)",
        fix=_fix(request),
    )


def unsupported_services(labels: list[str]) -> GateError:
    return GateError(
        f"the request asks for {', '.join(labels)}, which the gate cannot build yet (it builds S3, EC2, EBS, "
        "security groups, VPC, RDS, Lambda, IAM, CloudWatch alarms and logs, SQS, SNS and DynamoDB)",
        fix="remove that part from the request and add it by hand in a separate change, or ask for a supported "
        "service, e.g. " + repr(EXAMPLES[1]),
    )


def check_destructive(request: str) -> None:
    """Deleting resources is never read from free text: refuse instead of creating what was named."""
    match = _DESTRUCTIVE.search(request)
    if match and not re.search(r"\b(?:after|older\s+than)\b", request[match.end() : match.end() + 40], re.I):
        raise GateError(
            f"the request asks to {match.group(1).lower()} {match.group(2).lower()}; the gate only creates and "
            "changes resources from a request",
            fix="remove the resource from the stack's template in a reviewed change instead, or rephrase the "
            "request as what to create or change",
        )


def check_unparsed_sentences(request: str, mentions: list[Mention]) -> None:
    """A sentence that asks for an action but names nothing the gate knows is refused, naming that sentence."""
    offset = 0
    for sentence in re.split(r"(?<=[.;!?])\s+", request):
        start = request.find(sentence, offset)
        offset = max(offset, start + len(sentence))
        if not sentence.strip() or not _ACTION.search(sentence):
            continue
        end = start + len(sentence)
        if any(start <= m.start < end for m in mentions) or _SETTINGS.search(sentence):
            continue
        raise GateError(
            f"the part {sentence.strip()!r} of the request was not understood",
            fix="rephrase it with the resource and its setting, for example: "
            + "; ".join(repr(e) for e in example_lines(sentence)),
        )
