"""The CloudWatch metrics an alarm request may name, by their CloudWatch name or by the words for them, and the
resource kind (and dimension) each is about."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    pattern: str
    namespace: str
    metric: str
    statistic: str
    target_kind: str | None  # the resource kind the metric is about
    dimension: str | None  # the dimension that names that resource
    default: float  # threshold when the request gives none
    lower_is_bad: bool = False
    unit_bytes: bool = False
    per_second: float = 0  # a time metric: its unit per second (1: seconds, 1000: milliseconds)


METRICS: tuple[Metric, ...] = (
    Metric(
        r"free\s+(?:storage|disk)|storage\s+space|disk\s+space",
        "AWS/RDS",
        "FreeStorageSpace",
        "Minimum",
        "rds_instance",
        "DBInstanceIdentifier",
        10,
        lower_is_bad=True,
        unit_bytes=True,
    ),
    Metric(
        r"freeable\s+memory|free\s+memory",
        "AWS/RDS",
        "FreeableMemory",
        "Minimum",
        "rds_instance",
        "DBInstanceIdentifier",
        256,
        lower_is_bad=True,
        unit_bytes=True,
    ),
    Metric(
        r"(?:database|db)?\s*connections",
        "AWS/RDS",
        "DatabaseConnections",
        "Maximum",
        "rds_instance",
        "DBInstanceIdentifier",
        100,
    ),
    Metric(
        r"replica\s+lag|replication\s+lag",
        "AWS/RDS",
        "ReplicaLag",
        "Maximum",
        "rds_instance",
        "DBInstanceIdentifier",
        60,
        per_second=1,
    ),
    Metric(
        r"(?:target|backend)\s+5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", None, "LoadBalancer", 10
    ),
    Metric(
        r"5xx|5\d\d\s+errors?|server\s+errors?",
        "AWS/ApplicationELB",
        "HTTPCode_ELB_5XX_Count",
        "Sum",
        None,
        "LoadBalancer",
        10,
    ),
    Metric(
        r"4xx|4\d\d\s+errors?|client\s+errors?",
        "AWS/ApplicationELB",
        "HTTPCode_ELB_4XX_Count",
        "Sum",
        None,
        "LoadBalancer",
        100,
    ),
    Metric(
        r"(?:response\s+time|latency)\b(?![^.]*\b(?:read|write)\b)(?=[^.]*\b(?:load\s+balancer|alb|elb|api)\b)",
        "AWS/ApplicationELB",
        "TargetResponseTime",
        "Average",
        None,
        "LoadBalancer",
        1,
        per_second=1,
    ),
    Metric(
        r"read\s+throttl\w*(?=[^.]*\b(?:table|dynamo))",
        "AWS/DynamoDB",
        "ReadThrottleEvents",
        "Sum",
        "dynamodb_table",
        "TableName",
        0,
    ),
    Metric(
        r"write\s+throttl\w*(?=[^.]*\b(?:table|dynamo))",
        "AWS/DynamoDB",
        "WriteThrottleEvents",
        "Sum",
        "dynamodb_table",
        "TableName",
        0,
    ),
    Metric(
        r"throttl\w*(?=[^.]*\b(?:table|dynamo))|(?:dynamo\w*|table)[^.]*throttl\w*",
        "AWS/DynamoDB",
        "ThrottledRequests",
        "Sum",
        "dynamodb_table",
        "TableName",
        1,
    ),
    Metric(r"throttl\w*", "AWS/Lambda", "Throttles", "Sum", "lambda_function", "FunctionName", 1),
    Metric(
        r"(?:function|lambda)[^.]*\b(?:errors?|failures?|fails?)|errors?[^.]*\b(?:function|lambda)",
        "AWS/Lambda",
        "Errors",
        "Sum",
        "lambda_function",
        "FunctionName",
        1,
    ),
    Metric(
        r"(?:function|lambda)[^.]*\bduration|duration[^.]*\b(?:function|lambda)",
        "AWS/Lambda",
        "Duration",
        "Average",
        "lambda_function",
        "FunctionName",
        10000,
        per_second=1000,
    ),
    Metric(
        r"(?:age\s+of\s+(?:the\s+)?oldest|oldest\s+message)",
        "AWS/SQS",
        "ApproximateAgeOfOldestMessage",
        "Maximum",
        "sqs_queue",
        "QueueName",
        300,
        per_second=1,
    ),
    Metric(
        r"(?:queue\s+(?:depth|length|size|backlog)|backlog|messages?\s+(?:visible|waiting|in\s+the\s+queue)|"
        r"(?:more|fewer)\s+than\s+\d+\s+(?:visible\s+|waiting\s+)?messages|\d+\s+(?:visible\s+|waiting\s+)?messages|"
        r"queue[^.]*\bmessages|(?:any\s+)?visible\s+messages|(?:dlq|dead[- ]letter\s+queue)[^.]*\bmessages)",
        "AWS/SQS",
        "ApproximateNumberOfMessagesVisible",
        "Maximum",
        "sqs_queue",
        "QueueName",
        100,
    ),
    Metric(r"status\s+checks?", "AWS/EC2", "StatusCheckFailed", "Maximum", "ec2_instance", "InstanceId", 0),
    Metric(r"network\s+(?:in|traffic)", "AWS/EC2", "NetworkIn", "Average", "ec2_instance", "InstanceId", 1e9),
    Metric(
        r"\bcpu\b|processor|cpu\s+utili[sz]ation",
        "AWS/EC2",
        "CPUUtilization",
        "Average",
        "ec2_instance",
        "InstanceId",
        80,
    ),
    Metric(
        r"estimated\s+charges|bill(?:ing)?|spend(?:ing)?|costs?",
        "AWS/Billing",
        "EstimatedCharges",
        "Maximum",
        None,
        None,
        100,
    ),
)
TARGET_NOUNS = {
    "ec2_instance": r"instances?|servers?|ec2|hosts?|vms?",
    "rds_instance": r"(?:rds|postgres|mysql|mariadb)(?:\s+(?:instances?|databases?|db))?|databases?|db",
    "lambda_function": r"functions?|lambda",
    "sqs_queue": r"queues?|dlqs?|dead[- ]letter\s+queues?",
    "dynamodb_table": r"tables?",
}
