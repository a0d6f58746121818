"""What the request asks for that the spec does not carry: never dropped in silence.

Two general checks run after every resource is built:

- a vocabulary of features people ask for that the gate cannot build yet ("object lock", "a global secondary
  index", "publicly accessible", "a dead-letter queue" on a function, "encrypted with KMS" on a log group without a
  key ARN).  A feature found in a resource's text is reported as an assumption with field ``not-applied``, unless
  the built resource shows it was applied; a request whose main verb asks for such a feature is refused instead.
- an account of durations: "for 5 years", "retention of 30 days", "once a day" in a resource's text that no field
  of the built resource carries (not read, or clamped to a limit) is reported the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gate.errors import GateError
from gate.interpret import extract, words
from gate.interpret.base import Notes, Resource

Applied = Callable[[Resource], bool]


def _has(field: str) -> Applied:
    return lambda resource: bool(resource.get(field))


@dataclass(frozen=True)
class Feature:
    label: str  # what the reviewer reads: 'S3 Object Lock'
    pattern: str
    kinds: tuple[str, ...] = ()  # only in the text of these kinds (empty: in any resource's text)
    applied: Applied | None = None  # the built resource shows the feature was applied
    hint: str = ""  # what to do instead


_LAMBDA_EC2 = ("lambda_function", "ec2_instance")
FEATURES: tuple[Feature, ...] = (
    # --- S3
    Feature(
        "S3 Object Lock (WORM retention)",
        r"object[- ]lock(?:ing)?|\bworm\b|legal\s+holds?|immutable\s+(?:objects?|storage|backups?)|(?:compliance|"
        r"governance)\s+mode",
    ),
    Feature(
        "static website hosting",
        r"static\s+website\s+hosting|website\s+hosting|website\s+endpoint|index\s+document|host(?:ing|"
        r"s)?\s+(?:a\s+|the\s+|our\s+)?static\s+(?:web\s*)?sites?",
        hint="; the bucket stays private: serve it through CloudFront, added by hand",
    ),
    Feature(
        "public access",
        r"publicly\s+(?:accessible|available|readable|reachable|open)|public(?:ly)?[- ]read(?:able)?|(?:allow|"
        r"with|enable)\s+public\s+access|open\s+to\s+the\s+(?:public|internet|world)|anonymous\s+(?:access|"
        r"reads?)|world[- ]readable|make\s+(?:it|them|the\s+\w+)\s+public",
        applied=lambda r: bool(r.get("public_ip") or r.get("public_subnets")),
        hint="; the gate keeps buckets and databases private (secure default)",
    ),
    Feature(
        "cross-region replication",
        r"(?:cross|same)[- ]region\s+replication|replication(?!\s+lag)(?=\s+(?:to|rules?|of|for|across))|"
        r"replicat\w*\s+(?:\w+\s+){0,3}?to\s+(?:another|a\s+second|a\s+different|a\s+backup)\s+region|(?:backups?|"
        r"copies|copy)\s+(?:\w+\s+)?(?:to|in)\s+another\s+region",
    ),
    Feature("S3 Transfer Acceleration", r"transfer\s+acceleration"),
    Feature("requester pays", r"requester[- ]pays"),
    Feature(
        "S3 event notifications to EventBridge",
        r"eventbridge\s+(?:notifications?|events?)|(?:notifications?|events?)\s+(?:to|via|through)\s+eventbridge",
        kinds=("s3_bucket",),
    ),
    Feature("CORS rules", r"\bcors\b|cross[- ]origin"),
    Feature("MFA delete", r"mfa[- ]delete"),
    Feature("S3 Inventory", r"\binventory\s+(?:reports?|configuration)|s3\s+inventory"),
    # --- DynamoDB
    Feature(
        "secondary indexes", r"(?:global|local)\s+secondary\s+index(?:es)?|secondary\s+index(?:es)?|\bgsis?\b|\blsis?\b"
    ),
    Feature(
        "DynamoDB global tables (a table in this Region only is built in its place, with the key, billing mode and "
        "streams read for it)",
        r"global\s+tables?|multi[- ]region\s+(?:table|replication|replicas?)|replicas?\s+in\s+(?:other|another|"
        r"\w+-\w+-\d)\s+regions?",
        hint="; the replicas in other Regions are not made: add them by hand (see 'Read as' for the table built)",
    ),
    Feature("auto scaling", r"auto[- ]?scal\w*|scales?\s+(?:out|up|in)\s+automatically|automatic(?:ally)?\s+scal\w*"),
    Feature("DynamoDB Accelerator (DAX)", r"\bdax\b"),
    Feature(
        "the Standard-IA table class",
        r"(?:infrequent\s+access|standard[- ]ia)\s+table\s+class|table\s+class",
        kinds=("dynamodb_table",),
    ),
    Feature("Contributor Insights", r"contributor\s+insights"),
    # --- Lambda
    Feature(
        "a dead-letter queue or failure destination for the function",
        r"dead[- ]letter(?:\s+queues?)?|\bdlqs?\b|on[- ]failure\s+destinations?|failure\s+destinations?|"
        r"destinations?\s+for\s+fail\w+",
        kinds=("lambda_function",),
        applied=lambda r: any(t.get("type") in ("s3", "schedule") for t in r.get("triggers", [])),
        hint="; a function gets one only when invoked asynchronously (an S3 or schedule trigger): for an SQS "
        "trigger, the dead-letter queue belongs on the queue",
    ),
    Feature(
        "an existing execution role for the function",
        r"(?:existing|current|our)\s+(?:execution\s+|lambda\s+)?role\s+arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+|"
        r"existing\s+execution\s+role",
        kinds=("lambda_function",),
        hint="; the function gets its own least-privilege role instead (the spec takes no role ARN)",
    ),
    Feature("Lambda layers", r"\blayers?\b", kinds=("lambda_function",)),
    Feature("provisioned concurrency", r"provisioned\s+concurrency"),
    Feature(
        "an HTTP endpoint for the function",
        r"function\s+url|https?\s+(?:endpoint|api)|rest\s+api|public\s+(?:url|endpoint)|webhook",
        kinds=("lambda_function",),
        hint="; API Gateway and function URLs are not built yet",
    ),
    Feature("a container image", r"container\s+image|docker\s+image|\becr\b", kinds=("lambda_function",)),
    Feature("ephemeral storage (/tmp) size", r"ephemeral\s+storage|/tmp\b", kinds=("lambda_function",)),
    Feature("SnapStart", r"snap\s*start"),
    Feature(
        "sending email (SES)",
        r"\bemails?\s+(?:\w+\s+){0,2}?(?:reports?|summar\w+|digests?|results?|invoices?|notifications?|users?|"
        r"customers?|people)|send(?:s|ing)?\s+(?:\w+\s+){0,2}?e-?mails?|\bses\b",
        kinds=_LAMBDA_EC2,
        hint="; the function gets no SES permission: grant ses:SendEmail by hand, or publish to an SNS topic "
        "that emails",
    ),
    Feature(
        "a trigger other than S3, SQS or a schedule",
        r"(?:triggered|invoked|fired|run|runs)\s+(?:by|from|on|when)\s+(?:the\s+|an?\s+|new\s+)?(?:sns|topic|"
        r"dynamodb\s+streams?|table\s+streams?|streams?|kinesis|eventbridge\s+(?:events?|rules?|patterns?)|"
        r"api\s+gateway|cloudwatch\s+events?|http\s+requests?|alb)",
        kinds=("lambda_function",),
    ),
    # --- RDS
    Feature("IAM database authentication", r"iam\s+(?:database\s+|db\s+)?auth\w*"),
    Feature("Performance Insights", r"performance\s+insights"),
    Feature("Enhanced Monitoring", r"enhanced\s+monitoring"),
    Feature(
        "storage autoscaling",
        r"storage\s+auto[- ]?scal\w*|max(?:imum)?\s+(?:allocated\s+)?storage|auto[- ]?scal\w*\s+storage",
    ),
    Feature(
        "log exports to CloudWatch Logs",
        r"(?:export|ship|send|publish)\w*\s+(?:the\s+)?(?:\w+\s+)?logs?\s+to\s+cloudwatch|"
        r"cloudwatch\s+logs?\s+exports?",
        kinds=("rds_instance",),
    ),
    Feature(
        "a custom database port", r"(?:on|listen\w*\s+on|use|using)\s+port\s+\d+|custom\s+port", kinds=("rds_instance",)
    ),
    # --- encryption keys
    Feature(
        "a customer managed KMS key (no key ARN given)",
        r"customer[- ]managed\s+(?:kms\s+)?keys?|\bcmk\b|(?:our|its|their|a)\s+own\s+(?:kms\s+)?key",
        applied=_has("kms_key_arn"),
    ),
    Feature(
        "KMS encryption of the log group (no key ARN given)",
        r"\bkms\b|encrypt\w*",
        kinds=("log_group",),
        applied=_has("kms_key_arn"),
    ),
    # --- EC2 / EBS / VPC / security groups
    Feature("Spot instances", r"\bspot\b", kinds=("ec2_instance",)),
    Feature(
        "an Elastic IP (a public IP is given instead, which changes on stop)",
        r"elastic\s+ips?|\beips?\b",
        kinds=("ec2_instance",),
    ),
    Feature(
        "software installed at boot (user data)",
        r"user[- ]data|bootstrap\w*|cloud-init|install(?:s|ing)?\s+(?!the\s+(?:cloudwatch|ssm)\b)\w+|"
        r"with\s+\w+\s+installed",
        kinds=("ec2_instance",),
    ),
    Feature("hibernation", r"hibernat\w+"),
    Feature("dedicated tenancy or hosts", r"dedicated\s+(?:tenancy|hosts?|instances?)"),
    Feature("a placement group", r"placement\s+groups?"),
    Feature("termination protection", r"termination\s+protection"),
    Feature(
        "scheduled snapshots",
        r"snapshots?\s+(?:every|daily|nightly|weekly|hourly|on\s+a\s+schedule)|(?:daily|nightly|weekly|hourly|"
        r"scheduled)\s+snapshots?|\bdlm\b",
        kinds=("ebs_volume", "ec2_instance"),
    ),
    Feature("EBS Multi-Attach", r"multi[- ]attach"),
    Feature("IPv6", r"\bipv6\b|::/0|dual[- ]stack"),
    Feature("VPC peering", r"peering"),
    Feature(
        "interface VPC endpoints (PrivateLink)",
        r"interface\s+endpoints?|privatelink|endpoints?\s+for\s+(?:ssm|sts|ecr|secrets\s+manager|kms|sqs|sns|"
        r"lambda|logs|cloudwatch)",
        kinds=("vpc",),
    ),
    Feature(
        "custom outbound rules",
        r"(?:outbound|egress)\s+(?:only\s+)?(?:to|on|for)\b|restrict\w*\s+(?:outbound|egress)",
        kinds=("security_group",),
    ),
    # --- SNS / SQS / alarms / IAM
    Feature(
        "long polling (receive wait time)",
        r"long[- ]polling|receive\s+wait\s+time|wait\s+time",
        applied=lambda r: r.get("receive_wait_s") is not None,
    ),
    Feature(
        "SSE-SQS (SQS-managed keys)",
        r"sqs[- ]managed\s+(?:sse|keys?|encryption)|sse[- ]sqs",
        kinds=("sqs_queue",),
        applied=lambda r: r.get("encryption") == "sqs",
        hint="; the queue is encrypted with the AWS managed KMS key alias/aws/sqs instead",
    ),
    Feature(
        "a KMS data key reuse period",
        r"data\s+key\s+reuse(?:\s+period)?",
        kinds=("sqs_queue",),
        applied=_has("kms_data_key_reuse_s"),
    ),
    Feature(
        "a maximum message size",
        r"max(?:imum)?\s+message\s+size|messages?\s+(?:of\s+)?up\s+to\s+\d+\s*kb",
        applied=_has("max_message_size"),
    ),
    Feature(
        "content-based deduplication on a FIFO topic",
        r"content[- ]based\s+dedup\w*|dedup\w*",
        kinds=("sns_topic",),
        applied=_has("content_based_deduplication"),
        hint="; publishers must send a MessageDeduplicationId",
    ),
    Feature(
        "a subscription filter policy",
        r"filter\s+polic\w+|message\s+filter\w*",
        applied=lambda r: any(s.get("filter_policy") for s in r.get("subscriptions", [])),
    ),
    Feature(
        "a chat or paging subscription",
        r"\bslack\b|\bmicrosoft\s+teams\b|\bpagerduty\b|\bopsgenie\b|\bchatbot\b",
        kinds=("sns_topic", "cloudwatch_alarm"),
        hint="; subscribe their HTTPS endpoint by URL instead",
    ),
    Feature(
        "a topic access policy",
        r"(?:sns\s+)?topic\s+polic(?:y|ies)|(?:access|resource)\s+polic(?:y|ies)",
        kinds=("sns_topic",),
        applied=_has("publishers"),
        hint="; the gate writes a topic policy only for publishers it is told of ('lets account 123456789012 "
        "publish')",
    ),
    Feature("a composite alarm", r"composite\s+alarms?"),
    Feature("anomaly detection", r"anomal\w+"),
    Feature(
        "an EC2 action on alarm (reboot, stop, recover)",
        r"(?:reboot|restart|stop|terminate|recover)\w*\s+(?:the\s+|an?\s+)?(?:instance|server|vm|host|box)",
        kinds=("cloudwatch_alarm",),
    ),
    Feature("a CloudWatch dashboard", r"dashboards?"),
    Feature("an MFA requirement", r"\bmfa\b(?![- ]delete)|multi[- ]factor"),
    Feature("a permissions boundary", r"permissions?\s+boundar\w+"),
    Feature(
        "policy conditions (source IP, time, tags)",
        r"only\s+from\s+(?:the\s+)?(?:office|ip|vpn|\d)|source\s+ip|ip\s+restrict\w*|aws:sourceip",
        kinds=("iam_role", "iam_user", "iam_group", "iam_policy"),
    ),
)
_NEGATED = re.compile(
    r"\b(?:not|no|never|without|block\w*|disabl\w*|deny|denies|prevent\w*|don'?t|doesn'?t|nor|"
    r"avoid\w*)\s+(?:\w+\s+){0,2}$",
    re.I,
)
_COMPILED = tuple((f, re.compile(rf"\b(?:{f.pattern})", re.I)) for f in FEATURES)


@dataclass(frozen=True)
class Placed:
    """One built resource and the text its recogniser read."""

    kind: str
    name: str
    resource: Resource
    text: str  # the text its recogniser read (its own name masked)


def _features(request: str) -> Iterator[tuple[Feature, re.Match[str]]]:
    for feature, pattern in _COMPILED:
        for match in pattern.finditer(request):
            if not _NEGATED.search(request[max(0, match.start() - 40) : match.start()]):
                yield feature, match


_CORE = re.compile(
    r"^\s*(?:please\s+)?(?:(?:can|could|would)\s+you\s+)?(?:(?:i|we)\s+(?:need|want)\s+(?:to\s+)?)?"
    r"(?:enable|add|turn\s+on|set\s+up|setup|configure|create|attach|apply|put|use|give|make|allow)\s+"
    r"(?:an?\s+|the\s+|some\s+)?$",
    re.I,
)


def refuse_core(request: str) -> None:
    """A sentence whose main verb asks for a feature the gate cannot build is refused, naming the feature."""
    for feature, match in _features(request):
        if feature.kinds or feature.applied is not None:
            continue  # fine on other kinds ('add a dead-letter queue' to a queue), or applied when given (a key ARN)
        breaks = [m.end() for m in re.finditer(r"[.;!?]\s", request[: match.start()])]
        if _CORE.match(request[breaks[-1] if breaks else 0 : match.start()]):
            raise GateError(
                f"the request asks for {feature.label} ({match.group(0)!r}), which the gate cannot build yet"
                + feature.hint.replace("; ", ": ", 1),
                fix="leave it out and add it by hand in a separate reviewed change; ask the gate for the resources it "
                "builds, e.g. 'Create an S3 bucket named audit-logs with versioning' or 'Create a DynamoDB table named "
                "orders with partition key order_id'",
            )


def note(placed: list[Placed], notes: Notes) -> None:
    """Record every feature or duration in a resource's text that the built spec does not carry."""
    said: set[tuple[str, str]] = set()
    for p in placed:
        covered: list[tuple[int, int]] = []
        taken: list[tuple[int, int]] = []
        found = sorted(_features(p.text), key=lambda f: (f[1].start(), -len(f[1].group(0))))
        for feature, match in found:
            if feature.kinds and p.kind not in feature.kinds:
                continue
            if feature.applied is not None and feature.applied(p.resource):
                continue
            if any(start <= match.start() < end for start, end in taken):
                continue  # 'storage autoscaling' is one feature, not also 'auto scaling'
            taken.append((match.start(), match.end()))
            end = _clause_end(p.text, match.end())
            covered.append((match.start(), end))
            if (p.name, feature.label) in said:
                continue
            said.add((p.name, feature.label))
            phrase = p.text[match.start() : min(end, match.start() + 80)].strip().replace("NAMEREF", p.name)
            notes.assume(
                p.name,
                "not-applied",
                f"{feature.label} ({phrase!r})",
                f"the gate cannot build {feature.label} yet{feature.hint}; the rest is built without it: add it by "
                "hand in a reviewed change, or remove it from the request",
            )
        explained = " ".join(f"{a.value} {a.reason}" for a in notes.assumptions if a.resource == p.name)
        for phrase in _unused_durations(p, covered, explained):
            if (p.name, phrase) not in said:
                said.add((p.name, phrase))
                notes.assume(
                    p.name,
                    "not-applied",
                    phrase,
                    f"no setting of this {p.kind.replace('_', ' ')} the gate builds takes this duration (or it is "
                    "beyond the allowed range); check the values above, or say which setting it is for",
                )


def _clause_end(request: str, at: int) -> int:
    found = re.search(r"[,.;]|\b(?:and|with|that|which)\b", request[at:])
    return at + found.start() if found else len(request)


def _numbers(value: object) -> Iterator[float]:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, str):
        yield from (float(n) for n in re.findall(r"\d+(?:\.\d+)?", value))
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)


def _carried(seconds: int, raw: float, resource: Resource) -> bool:
    values = set(_numbers({k: v for k, v in resource.items() if k not in ("name", "tags")}))
    period, evaluations = resource.get("period_s"), resource.get("evaluation_periods")
    if isinstance(period, int) and isinstance(evaluations, int):
        values.add(float(period * evaluations))
    days = seconds / 86400
    wanted = {raw, float(seconds), seconds / 60, seconds / 3600, days, seconds * 1000.0}
    if wanted & values:
        return True
    return days >= 1 and any(days <= v <= days * 1.1 + 2 for v in values)  # rounded up to an allowed value


_DURATION = re.compile(rf"\b{extract.DUR}", re.I)


def _unused_durations(p: Placed, covered: list[tuple[int, int]], explained: str) -> list[str]:
    out: list[str] = []
    schedule = words.schedule(p.text)
    scheduled = schedule.text if schedule and p.resource.get("triggers") else ""
    for match in _DURATION.finditer(p.text):
        if match.group(0) in scheduled:
            continue  # 'once a day' became the schedule
        if any(start <= match.start() < end for start, end in covered):
            continue  # part of a feature already reported ('object lock for 5 years')
        n = extract.number(match.group("n") or match.group("w"))
        seconds = extract.durations_seconds(match.group(0))
        if not n or not seconds or _carried(seconds[0][0], float(n), p.resource):
            continue
        if re.search(rf"(?<![\d.]){n}(?![\d.])", explained):
            continue  # another assumption already says what became of it ('no 45-day retention; next longer')
        out.append(match.group(0))
    return out
