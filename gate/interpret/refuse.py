"""Refusals: a request the offline interpreter cannot read is refused with what was not understood and how to
phrase it, never answered with a guess."""

from __future__ import annotations

import re

from gate.errors import GateError
from gate.interpret.claims import tokens
from gate.interpret.lexicon import CONNECTIVES, FUNCTION_WORDS
from gate.interpret.mentions import Mention, Segment, part_of

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
    r"storage|gb|mb|tb|termination\s+protection|monitoring|instance\s+type|class|engine|postgres\w*|mysql|mariadb|az|availability|zones?|\d)\b",
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
    words = [t.text for t in tokens(request) if t.text.lower() not in FUNCTION_WORDS | CONNECTIVES]
    listed = ", ".join(repr(w) for w in dict.fromkeys(words[:12]))
    placed = f" (the words it could not place: {listed})" if words else ""
    return GateError(
        f"could not find a resource the gate can build in the request {shown!r}{placed}: no bucket, instance, "
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


def check_parts_only(mentions: list[Mention], segs: list[Segment]) -> None:
    """'Create an SQS queue policy that allows the topic alerts', 'add a function URL to the lambda sync': a part of a
    resource the request does not create is a change to a resource outside this request: refused, named."""
    if segs:
        return
    for mention in mentions:
        kind = part_of(mention)
        if kind is not None:
            noun = _NOUN.get(kind, kind.replace("_", " "))
            raise GateError(
                f"the request asks for {mention.text!r}, a part of {noun} that the request does not create; plan "
                "builds resources a request creates, with their settings, and cannot change one outside this PR",
                fix=f"create {noun} with it in the same request, e.g. {_PART_EXAMPLES.get(kind, EXAMPLES[0])!r}, "
                "or change the existing one in its own stack's template in a reviewed change",
            )


_NOUN = {
    "sqs_queue": "an SQS queue",
    "s3_bucket": "an S3 bucket",
    "rds_instance": "an RDS database",
    "dynamodb_table": "a DynamoDB table",
    "ec2_instance": "an EC2 instance",
    "lambda_function": "a Lambda function",
    "sns_topic": "an SNS topic",
    "vpc": "a VPC",
}
_PART_EXAMPLES = {
    "sqs_queue": "Create an SQS queue named jobs with a 60 second visibility timeout",
    "s3_bucket": "Create an S3 bucket named reports with a bucket policy that lets the role analytics read",
    "rds_instance": "Create a Postgres 16 database with a parameter group that sets max_connections to 200",
    "dynamodb_table": "Create a DynamoDB table named orders with partition key order_id and a stream",
    "ec2_instance": "Launch a t3.small instance named build-agent with a role that can read the bucket artifacts",
    "lambda_function": "Create a Lambda function named sync that can write to the table orders",
    "sns_topic": "Create an SNS topic named alerts that emails ops@example.com",
    "vpc": "Create a VPC with two private subnets and an S3 endpoint",
}


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


_CHANGE = re.compile(
    r"^\s*(?:please\s+)?(?:(?:can|could|would)\s+you\s+)?(?:(?:we|i)\s+(?:need|want|would\s+like)\s+to\s+)?"
    r"(?:change|modify|update|resize|upgrade|downgrade|increase|decrease|reduce|raise|lower|scale|give|grant|attach|"
    r"enable|disable|turn\s+(?:on|off)|rename|move|migrate|switch|convert|set|extend|shrink|bump|restart|reboot|"
    r"stop|tag|label|allow|let|open|close|add|put|apply|remove\s+\w+\s+from|make)\b",
    re.I,
)
_REFINE_EXAMPLES = {
    "ec2_instance": "'/gate plan make it t3.large instead'",
    "lambda_function": "'/gate plan give the function read access to the bucket exports'",
    "s3_bucket": "'/gate plan also enable versioning on that bucket'",
    "rds_instance": "'/gate plan add a read replica to the database'",
    "sqs_queue": "'/gate plan set the visibility timeout to 120 seconds'",
    "dynamodb_table": "'/gate plan switch the table to provisioned capacity'",
}


def check_existing_changes(request: str, mentions: list[Mention], segs: list[Segment]) -> None:
    """A clause whose main verb changes a resource the request only refers to ('Change the instance type of the
    existing web server', 'and give the lambda named exporter read access') asks to change something outside this
    request: plan cannot do that, and says so (rather than that nothing was named)."""
    built = {s.kind for s in segs}
    for clause in re.finditer(r"(?:[^.;!?,]|[.,](?=\S))+?(?=\s+(?:and|then|also)\s|[.;!?,](?:\s|$)|$)", request):
        text = re.sub(r"^\s*(?:and|then|also)\s+", "", clause.group(0))
        if not _CHANGE.match(text):
            continue
        inside = [m for m in mentions if clause.start() <= m.start < clause.end() and not m.kind.startswith("_")]
        if not inside or any(not m.reference for m in inside):
            continue
        owner = _POLICY_OF.search(text)
        if owner and _POLICY_KINDS[owner.group(1).lower()] in built:
            continue  # 'add the queue policy letting that topic send': the new queue's own policy
        targets = [m for m in inside if m.kind not in built]
        target = next((m for m in targets if not _SETTING_AFTER.match(request, m.end)), targets[0] if targets else None)
        if target is None or (target.kind in _PARTS_ON and any(
            seg.kind == "network_parts" and seg.start <= clause.start() < seg.end for seg in segs
        )):  # fmt: skip
            continue  # 'turn on flow logs for the VPC vpc-...', 'give the instance i-... an EIP': parts built on it
        kind = target.kind.replace("_", " ")
        examples = list(dict.fromkeys([_REFINE_EXAMPLES.get(target.kind, _REFINE_EXAMPLES["ec2_instance"]),
                                       _REFINE_EXAMPLES["s3_bucket"]]))  # fmt: skip
        raise GateError(
            f"the part {text.strip()!r} changes an existing {kind} ({target.text!r}), and plan only builds the "
            "resources a request asks to create: it cannot change resources outside this PR's spec",
            fix=f"to change what this PR proposes, comment a refinement on the PR, e.g. {' or '.join(examples)}; to "
            "change a deployed resource, edit its stack's template in a reviewed change; or ask for a new resource, "
            "e.g. 'Create a Lambda function named exporter that can read the bucket exports'",
        )


_POLICY_OF = re.compile(r"\b(queue|topic|bucket)\s+polic(?:y|ies)\b", re.I)
_POLICY_KINDS = {"queue": "sqs_queue", "topic": "sns_topic", "bucket": "s3_bucket"}
# what parts of an existing network (gate.spec.NetworkParts) are built on: not a change to it
_PARTS_ON = ("vpc", "ec2_instance")
_SETTING_AFTER = re.compile(r"\s+(?:types?|class|size|ids?|profiles?|names?)\b", re.I)
