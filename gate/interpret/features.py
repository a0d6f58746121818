"""The vocabulary of features people ask for that the gate may not build (:mod:`gate.interpret.unapplied` reads
it): each with the pattern that finds it, the kinds whose text it applies to, and how the built resource shows
it was applied after all."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gate.interpret.base import Resource

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
        applied=_has("object_lock"),
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
        applied=_has("eventbridge"),
    ),
    Feature("CORS rules", r"\bcors\b|cross[- ]origin", applied=_has("cors_rules")),
    Feature("MFA delete", r"mfa[- ]delete"),
    Feature("S3 Inventory", r"\binventory\s+(?:reports?|configuration)|s3\s+inventory"),
    # --- DynamoDB
    Feature(
        "secondary indexes",
        r"(?:global|local)\s+secondary\s+index(?:es)?|secondary\s+index(?:es)?|\bgsis?\b|\blsis?\b",
        applied=_has("global_secondary_indexes"),
        hint="; name each index with its partition key ('GSI by-status on status (string)'); local ones are not built",
    ),
    Feature(
        "DynamoDB global table replicas (no Region named: a table in this Region only is built, with the key, "
        "billing mode and streams read for it)",
        r"global\s+tables?|multi[- ]region\s+(?:table|replication|replicas?)|replicas?\s+in\s+(?:other|another|"
        r"\w+-\w+-\d)\s+regions?",
        applied=_has("replica_regions"),
        hint="; no Region was named for the replicas: name them ('replicated in us-east-1 and eu-west-1')",
    ),
    Feature("auto scaling", r"auto[- ]?scal\w*|scales?\s+(?:out|up|in)\s+automatically|automatic(?:ally)?\s+scal\w*"),
    Feature("DynamoDB Accelerator (DAX)", r"\bdax\b"),
    Feature(
        "the Standard-IA table class",
        r"(?:infrequent\s+access|standard[- ]ia)\s+table\s+class|table\s+class",
        kinds=("dynamodb_table",),
        applied=_has("table_class"),
    ),
    Feature("Contributor Insights", r"contributor\s+insights"),
    # --- Lambda
    Feature(
        "a dead-letter queue or failure destination for the function",
        r"dead[- ]letter(?:\s+queues?)?|\bdlqs?\b|on[- ]failure\s+destinations?|failure\s+destinations?|"
        r"destinations?\s+for\s+fail\w+",
        kinds=("lambda_function",),
        applied=lambda r: (
            bool(r.get("dead_letter_arn")) or any(t.get("type") in ("s3", "schedule") for t in r.get("triggers", []))
        ),
        hint="; a function gets one only when invoked asynchronously (an S3 or schedule trigger): for an SQS "
        "trigger, the dead-letter queue belongs on the queue",
    ),
    Feature(
        "an existing execution role for the function",
        r"(?:existing|current|our)\s+(?:execution\s+|lambda\s+)?role\s+arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+|"
        r"existing\s+execution\s+role",
        kinds=("lambda_function",),
        applied=_has("role_arn"),
        hint="; the function gets its own least-privilege role instead",
    ),
    Feature("Lambda layers", r"\blayers?\b", kinds=("lambda_function",)),
    Feature(
        "provisioned concurrency",
        r"provisioned\s+concurren\w+",
        applied=lambda r: bool((r.get("alias") or {}).get("provisioned_concurrency")),
    ),
    Feature(
        "an HTTP endpoint for the function",
        r"function\s+url|https?\s+(?:endpoint|api)|rest\s+api|public\s+(?:url|endpoint)|webhooks?(?![\w-])",
        kinds=("lambda_function",),
        applied=_has("url"),
        hint="; API Gateway is not built: ask for a function URL ('with a function URL, auth AWS_IAM')",
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
        applied=lambda r: any(t.get("type") == "dynamodb" for t in r.get("triggers", [])),
    ),
    # --- RDS
    Feature(  # every database the gate builds has it on
        "IAM database authentication",
        r"iam\s+(?:database\s+|db\s+)?auth\w*",
        applied=lambda r: r["kind"] in ("rds_instance", "rds_read_replica", "rds_cluster"),
    ),
    Feature("Performance Insights", r"performance\s+insights"),
    Feature("Enhanced Monitoring", r"enhanced\s+monitoring"),
    Feature(
        "storage autoscaling",
        r"storage\s+auto[- ]?scal\w*|max(?:imum)?\s+(?:allocated\s+)?storage|auto[- ]?scal\w*\s+storage",
        applied=_has("max_storage_gb"),
    ),
    Feature(
        "log exports to CloudWatch Logs",
        r"(?:export|ship|send|publish)\w*\s+(?:the\s+)?(?:\w+\s+)?logs?\s+to\s+cloudwatch|"
        r"cloudwatch\s+logs?\s+exports?",
        kinds=("rds_instance",),
    ),
    Feature(
        "a custom database port",
        r"(?:on|listen\w*\s+on|use|using)\s+port\s+\d+|custom\s+port",
        kinds=("rds_instance",),
        applied=_has("port"),
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
    Feature(
        "termination protection",
        r"termination\s+protection",
        kinds=("ec2_instance",),
        applied=_has("termination_protection"),
    ),
    Feature(
        "scheduled snapshots",
        r"snapshots?\s+(?:every|daily|nightly|weekly|hourly|on\s+a\s+schedule)|(?:daily|nightly|weekly|hourly|"
        r"scheduled)\s+snapshots?|\bdlm\b",
        kinds=("ebs_volume", "ec2_instance"),
    ),
    Feature("EBS Multi-Attach", r"multi[- ]attach"),
    Feature("IPv6", r"\bipv6\b|::/0|dual[- ]stack"),
    Feature("VPC peering", r"peering", applied=_has("peer_vpc_id")),
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
        hint="; the gate writes a topic policy only for publishers it is told of ('lets account 123456789012 publish')",
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
    Feature("a permissions boundary", r"permissions?\s+boundar\w+", applied=_has("permissions_boundary")),
    Feature(
        "policy conditions (source IP, time, tags)",
        r"only\s+from\s+(?:the\s+)?(?:office|ip|vpn|\d)|source\s+ip|ip\s+restrict\w*|aws:sourceip",
        kinds=("iam_role", "iam_user", "iam_group", "iam_policy"),
    ),
)
