"""Business-level requests ("somewhere to store campaign images our website can serve", "a small cheap database
for an internal tool") -> a sensible architecture, written as an ordinary request the recognisers read, plus
the options that were weighed (pros, cons, rough monthly cost) for the reviewer.

Only requests that name no AWS service come here; anything that names one is read literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gate.interpret import extract
from gate.interpret.base import purpose_name
from gate.interpret.costs import option_cost
from gate.interpret.mentions import Segment
from gate.spec import Assumption, OptionConsidered

_EXPLICIT = re.compile(
    r"\b(s3|ec2|ebs|rds|dynamo\w*|lambda|sqs|sns|vpc|iam|cloudwatch|postgres\w*|mysql|mariadb|aurora|bucket|queue|"
    r"topic|function|security\s+group|log\s+group|[a-z]\d[a-z0-9]*\.\w+|db\.\w+\.\w+)\b",
    re.I,
)
_BUSINESS = re.compile(
    r"\b(somewhere|something|some\s+place|a\s+place|cheap\w*|inexpensive|low[- ]cost|budget|small|simple|internal\s+"
    r"tool|our\s+(?:website|site|app|team|users|customers)|we\s+need|i\s+need|need\s+(?:a|an|some)|a\s+way\s+to|"
    r"want\s+to|for\s+(?:an?|our)\s+(?:internal|side|small|new)\b)",
    re.I,
)


@dataclass
class Plan:
    request: str  # the chosen architecture, as a request the recognisers read
    options: list[OptionConsidered]
    assumptions: list[Assumption] = field(default_factory=list)


@dataclass(frozen=True)
class _Option:
    title: str
    pros: tuple[str, ...]
    cons: tuple[str, ...]
    priced: dict[str, dict[str, Any]]  # CloudFormation type -> properties, for the estimate
    usage: dict[str, dict[str, float]]  # CloudFormation type -> usage values (infracost usage.yml keys)


def is_business(request: str, segs: list[Segment]) -> bool:
    """True when the request names no service and speaks of a need instead."""
    return not _EXPLICIT.search(request) and bool(_BUSINESS.search(request)) and len(segs) <= 1


def _carry(request: str) -> str:
    """Tags and region of the original request, carried into the chosen architecture's request."""
    parts = []
    tags = extract.tags(request)
    if tags:
        parts.append("tagged " + " and ".join(f"{k}={v}" for k, v in tags.items()))
    region = extract.region(request)
    if region:
        parts.append(f"in {region}")
    return (" " + " ".join(parts)) if parts else ""


def _name(request: str, fallback: str) -> str:
    given = extract.named(request)
    if given:
        return extract.kebab(given)
    purpose = purpose_name(request)
    if purpose:
        return f"{purpose}-{fallback}"[:63]
    words = re.search(
        r"\b(?:store|keep|hold|serve|for)\s+(?:our\s+|the\s+)?([a-z]+)\s+(images?|photos?|files?|assets?|"
        r"documents?|videos?|uploads?|backups?|reports?)\b",
        request,
        re.I,
    )
    if words:
        return extract.kebab(f"{words.group(1)}-{words.group(2)}")
    return fallback


def _files(request: str) -> Plan | None:
    if not re.search(
        r"\b(store|storage|host|serve|keep|hold|upload|share|archive|save|somewhere|place)\w*\b[^.]*\b(images?|photos?|"
        r"pictures?|assets?|files?|media|videos?|documents?|uploads?|backups?|static\s+(?:site|website|content)|pdfs?|"
        r"artifacts?|reports?|exports?|logs?)\b", request, re.I):  # fmt: skip
        return None
    name = _name(request, "files")
    archive = re.search(r"\b(backups?|archive\w*|long[- ]term|rarely|compliance)\b", request, re.I)
    serve = re.search(r"\b(serve|website|site|web|public|cdn|users|customers|browser)\b", request, re.I)
    text = f"Create an S3 bucket named {name} with versioning enabled"
    if archive:
        text += " that moves objects to Glacier after 30 days"
    usage = {
        "AWS::S3::Bucket": {
            "storage_gb": 100.0,
            "monthly_tier_1_requests": 100000.0,
            "monthly_tier_2_requests": 1000000.0,
        }
    }
    chosen = _Option(
        "Private S3 bucket (versioned, encrypted)" + (", objects served by signed URLs or a CDN" if serve else ""),
        ("durable and cheap per GB", "private by default: nothing is public by accident", "no servers to patch"),
        ("the website needs signed URLs or a CDN in front; the gate cannot build CloudFront yet",)
        if serve
        else ("pay per request as well as per GB",),
        {"AWS::S3::Bucket": {}},
        usage,
    )
    options = [chosen]
    if serve:
        options.append(
            _Option(
                "S3 bucket behind CloudFront (origin access control)",
                ("fast worldwide, HTTPS, caching", "the bucket stays private"),
                (
                    "CloudFront is not in the gate's catalog yet: add it by hand",
                    "data-transfer cost grows with traffic",
                ),
                {"AWS::S3::Bucket": {}},
                usage,
            )
        )
    options.append(
        _Option(
            "Web server on EC2 with an EBS volume",
            ("full control of serving (auth, resizing)",),
            ("a server to patch and keep up", "one AZ: a single point of failure", "costs even when idle"),
            {
                "AWS::EC2::Instance": {"InstanceType": "t3.small"},
                "AWS::EC2::Volume": {"Size": 100, "VolumeType": "gp3"},
            },
            {},
        )
    )
    return _plan(text + _carry(request), options, request, "storage for files")


def _database(request: str) -> Plan | None:
    if not re.search(
        r"\b(databases?|db|sql|(?:store|keep|save)\s+(?:\w+\s+)?(?:data|records|sessions?|profiles?|settings|state)|"
        r"records|persist\w*|keep\s+track|key[- ]value)\b",
        request,
        re.I,
    ):
        return None
    name = _name(request, "db")
    if not name.endswith("db"):
        name = f"{name}-db"[:63]
    keyvalue = re.search(r"\b(key[- ]value|sessions?|profiles?|serverless|json|documents?|nosql)\b", request, re.I)
    critical = re.search(r"\b(production|critical|important|customer[- ]facing|highly\s+available)\b", request, re.I)
    rds_small = _Option(
        "RDS PostgreSQL on db.t4g.micro, single-AZ, 20 GB",
        ("cheapest managed SQL database", "automated backups and patching", "standard SQL for the tool"),
        ("no standby: an AZ outage or maintenance means minutes of downtime",),
        {
            "AWS::RDS::DBInstance": {
                "Engine": "postgres",
                "DBInstanceClass": "db.t4g.micro",
                "AllocatedStorage": 20,
                "MultiAZ": False,
                "StorageType": "gp3",
            }
        },
        {},
    )
    rds_ha = _Option(
        "RDS PostgreSQL on db.t4g.medium, multi-AZ, 50 GB",
        ("automatic failover to a standby", "room to grow"),
        ("several times the cost of a small single-AZ database",),
        {
            "AWS::RDS::DBInstance": {
                "Engine": "postgres",
                "DBInstanceClass": "db.t4g.medium",
                "AllocatedStorage": 50,
                "MultiAZ": True,
                "StorageType": "gp3",
            }
        },
        {},
    )
    dynamo = _Option(
        "DynamoDB table, on-demand",
        ("no server, pay per request: near zero when idle", "scales without planning"),
        ("no SQL joins or ad-hoc queries; access patterns must be known up front",),
        {"AWS::DynamoDB::Table": {"BillingMode": "PAY_PER_REQUEST"}},
        {
            "AWS::DynamoDB::Table": {
                "storage_gb": 5.0,
                "monthly_read_request_units": 1000000.0,
                "monthly_write_request_units": 500000.0,
            }
        },
    )
    if keyvalue:
        text = f"Create a DynamoDB table named {name} with partition key id"
        options = [dynamo, rds_small]
    elif critical:
        text = f"Create a highly available Postgres 16 database named {name} on db.t4g.medium with 50 GB of storage"
        options = [rds_ha, rds_small, dynamo]
    else:
        text = f"Create a single-AZ Postgres 16 database named {name} on db.t4g.micro with 20 GB of storage"
        options = [rds_small, rds_ha, dynamo]
    return _plan(text + _carry(request), options, request, "a database")


def _scheduled(request: str) -> Plan | None:
    if not re.search(r"\b(nightly|daily|hourly|weekly|every\s+\w+|cron|scheduled?|periodic\w*)\b", request, re.I):
        return None
    if not re.search(
        r"\b(job|task|script|report|cleanup|clean\s+up|sync|export|import|backup|check|run)\w*\b", request, re.I
    ):
        return None
    name = _name(request, "job")
    when = re.search(
        r"\b(nightly|daily|hourly|weekly|every\s+\d*\s*\w+(?:\s+at\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?)?"
        r"|at\s+\d{1,2}(?::\d\d)?\s*(?:am|pm))",
        request,
        re.I,
    )
    schedule = when.group(1) if when else "daily"
    text = f"Create a Lambda function named {name} on python3.12 that runs {schedule}"
    options = [
        _Option(
            "Lambda function on an EventBridge schedule",
            ("pay only while it runs", "no server to patch"),
            ("15 minutes at most per run",),
            {"AWS::Lambda::Function": {"MemorySize": 256}},
            {"AWS::Lambda::Function": {"monthly_requests": 30.0, "request_duration_ms": 60000.0}},
        ),
        _Option(
            "EC2 instance with cron",
            ("no run-time limit", "any tooling"),
            ("pays 24x7 for a job that runs minutes a day", "a server to patch"),
            {"AWS::EC2::Instance": {"InstanceType": "t3.micro"}},
            {},
        ),
    ]
    return _plan(text + _carry(request), options, request, "a scheduled job")


def _background(request: str) -> Plan | None:
    if not re.search(r"\b(background|asynchronous\w*|async|decouple\w*|work\s*queue|in\s+the\s+background|buffer|"
                     r"process\w*\s+(?:orders|uploads|emails|events|jobs|tasks|payments|messages)|handle\s+(?:orders|"
                     r"events|jobs|tasks))\b", request, re.I):  # fmt: skip
        return None
    name = _name(request, "worker")
    text = (
        f"Create an SQS queue named {name}-jobs, and a Lambda function named {name} on python3.12 "
        "that processes messages from the queue"
    )
    options = [
        _Option(
            "SQS queue with a Lambda consumer (and a dead-letter queue)",
            ("absorbs bursts; retries and a DLQ for failures", "pay per message and per run"),
            ("at-least-once delivery: the handler must be idempotent",),
            {"AWS::SQS::Queue": {}, "AWS::Lambda::Function": {"MemorySize": 256}},
            {
                "AWS::SQS::Queue": {"monthly_requests": 1000000.0},
                "AWS::Lambda::Function": {"monthly_requests": 1000000.0, "request_duration_ms": 500.0},
            },
        ),
        _Option(
            "SNS topic fanning out to subscribers",
            ("one event to many consumers",),
            ("no buffering: a slow consumer loses nothing only with a queue behind it",),
            {"AWS::SNS::Topic": {}},
            {"AWS::SNS::Topic": {"monthly_requests": 1000000.0}},
        ),
        _Option(
            "EC2 worker polling a queue",
            ("long jobs, any tooling",),
            ("pays 24x7; a server to patch",),
            {"AWS::EC2::Instance": {"InstanceType": "t3.small"}},
            {},
        ),
    ]
    return _plan(text + _carry(request), options, request, "background processing")


def _notifications(request: str) -> Plan | None:
    if not re.search(r"\b(notif\w*|alert\w*|emails?|page|notify)\b", request, re.I):
        return None
    emails = re.findall(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b", request)
    name = _name(request, "alerts")
    text = f"Create an SNS topic named {name}" + (" that emails " + " and ".join(emails) if emails else "")
    options = [
        _Option(
            "SNS topic with email subscriptions",
            ("a few cents a month", "add Slack/HTTPS/SMS later"),
            ("each address must confirm the subscription",),
            {"AWS::SNS::Topic": {}},
            {"AWS::SNS::Topic": {"monthly_requests": 10000.0}},
        ),
    ]
    return _plan(text + _carry(request), options, request, "notifications")


# Each intent with the words that make it the main need when they are in the main clause (the text before 'that',
# 'which', 'so that' or a comma): 'a place to run a python script every night that emails a report' is a scheduled
# job that happens to email, not a place for reports nor a notification.  Ties keep this order.
_INTENTS: tuple[tuple[Callable[[str], Plan | None], re.Pattern[str]], ...] = (
    (
        _files,
        re.compile(
            r"\b(?:store|storage|host|serve|keep|hold|upload|share|archive|save)\w*\b[^.]*\b(?:images?|"
            r"photos?|pictures?|assets?|files?|media|videos?|documents?|uploads?|backups?|static|pdfs?|"
            r"artifacts?|reports?|exports?|logs?)\b",
            re.I,
        ),
    ),
    (
        _scheduled,
        re.compile(
            r"\b(?:run|runs|running|execute\w*|job|jobs|task|tasks|script|scripts|cron|cleanup|"
            r"clean\s+up|sync)\b",
            re.I,
        ),
    ),
    (_background, re.compile(r"\b(?:background|async\w*|decouple\w*|queue|buffer|process\w*|handle)\b", re.I)),
    (_database, re.compile(r"\b(?:databases?|db|sql|records|data|persist\w*|key[- ]value|keep\s+track)\b", re.I)),
    (_notifications, re.compile(r"\b(?:notif\w*|alert\w*|emails?|page|notify)\b", re.I)),
)
_CLAUSE_END = re.compile(r"[,;]|\b(?:that|which|who|so\s+that|and\s+then|then)\b", re.I)


def plan(request: str) -> Plan | None:
    """The architecture for the request's main need: the first clause that names a need decides, and within it the
    need named first (see _INTENTS); None when no need is recognised."""
    order = list(range(len(_INTENTS)))
    start = 0
    for cut in [*_CLAUSE_END.finditer(request), None]:
        clause = request[start : cut.start() if cut else len(request)]
        found = {i: m.start() for i, (_, head) in enumerate(_INTENTS) if (m := head.search(clause))}
        if found:
            order = sorted(found, key=lambda i: (found[i], i)) + [i for i in order if i not in found]
            break
        start = cut.end() if cut else len(request)
    for index in order:
        result = _INTENTS[index][0](request)
        if result is not None:
            return result
    return None


def _plan(text: str, options: list[_Option], request: str, need: str) -> Plan:
    region = extract.region(request) or "us-east-1"
    considered = []
    for index, option in enumerate(options):
        monthly, basis = option_cost(option.priced, option.usage, region)
        considered.append(
            OptionConsidered(
                title=option.title,
                chosen=index == 0,
                pros=list(option.pros),
                cons=list(option.cons),
                monthly_usd=monthly,
                cost_basis=basis,
            )
        )
    why = Assumption(
        resource=None,
        field="architecture",
        value=options[0].title,
        reason=f"the request describes {need}, not a service; see the options considered",
    )
    return Plan(text, considered, [why])
