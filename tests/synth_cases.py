"""Representative specs per service, shared by the synthesis quality-bar tests (tests/test_synth_*.py).

Queues, topics, tables, databases, log groups, alarms and functions get the spec name as their physical name,
and test_synth_moto.py creates every case on one moto server: keep those names unique across the cases.
"""

from __future__ import annotations

from typing import Any

from gate.spec import ChangeSpec

INLINE = "def handler(event, context):\n    return {'ok': True}\n"


def _spec(summary: str, *resources: dict[str, Any]) -> ChangeSpec:
    return ChangeSpec.model_validate({"summary": summary, "resources": list(resources)})


CASES: dict[str, ChangeSpec] = {
    "s3-basic": _spec("A private bucket", {"kind": "s3_bucket", "name": "docs"}),
    "s3-full": _spec(
        "A KMS bucket with lifecycle, access logs to a log bucket and a grant to a role",
        {"kind": "s3_bucket", "name": "logs"},
        {"kind": "iam_role", "name": "reader", "assumed_by": ["ec2.amazonaws.com"]},
        {
            "kind": "s3_bucket", "name": "invoices", "encryption": "kms", "access_log_bucket_ref": "logs",
            "lifecycle_rules": [{"id": "archive", "transitions": [{"days": 30, "storage_class": "STANDARD_IA"},
                                {"days": 90, "storage_class": "GLACIER"}], "noncurrent_expiration_days": 60}],
            "policy_statements": [{"sid": "ReaderGet", "actions": ["s3:GetObject"], "principal_role_refs": ["reader"],
                                   "prefix": "public/"}],
            "tags": {"team": "billing"},
        },
    ),
    "ec2-default-vpc": _spec("One instance", {"kind": "ec2_instance", "name": "worker"}),
    "ec2-ami-pair": _spec("Two instances from an AMI by id, named, protected from termination",
                          {"kind": "ec2_instance", "name": "reporting", "count": 2, "ami_id": "ami-0123abcd4567ef890",
                           "termination_protection": True, "instance_names": ["reporting-a", "reporting-b"]}),
    "ec2-in-vpc": _spec(
        "Two instances in the private subnets with a security group and a data volume",
        {"kind": "vpc", "name": "core", "public_subnets": 2, "private_subnets": 2, "nat_gateway": "single"},
        {"kind": "security_group", "name": "web", "vpc_ref": "core", "ingress": [
            {"protocol": "tcp", "from_port": 443, "cidr": "10.0.0.0/16", "description": "HTTPS from the VPC"}]},
        {"kind": "security_group", "name": "app", "vpc_ref": "core", "ingress": [
            {"protocol": "tcp", "from_port": 8080, "source_group_ref": "web", "description": "from web"}],
         "egress": []},
        {"kind": "ec2_instance", "name": "api", "count": 2, "instance_type": "t3.small", "subnet_ref": "core:private",
         "security_group_refs": ["app"]},
        {"kind": "ebs_volume", "name": "api-data", "size_gb": 50, "instance_ref": "api"},
        {"kind": "ebs_volume", "name": "scratch", "size_gb": 10, "volume_type": "gp3", "iops": 3000},
    ),
    "sg-default-vpc": _spec(
        "Security groups in no named VPC (the default VPC), one only for resources outside the change",
        {"kind": "security_group", "name": "web-sg", "ingress": [
            {"protocol": "tcp", "from_port": 443, "cidr": "0.0.0.0/0", "description": "HTTPS from anywhere"}]},
        {"kind": "security_group", "name": "app-sg", "ingress": [
            {"protocol": "tcp", "from_port": 8080, "source_group_ref": "web-sg", "description": "from web"}],
         "egress": []},
        {"kind": "ec2_instance", "name": "app", "security_group_refs": ["app-sg"]},
    ),
    "vpc-full": _spec(
        "A VPC with NAT per AZ, endpoints, tiered NACLs and a VPN",
        {"kind": "vpc", "name": "net", "cidr": "10.20.0.0/16", "az_count": 2, "public_subnets": 2, "private_subnets": 2,
         "nat_gateway": "per_az", "vpc_endpoints": ["s3", "dynamodb"], "network_acls": "tiered",
         "vpn": {"customer_gateway_ip": "203.0.113.10", "bgp_asn": 65010, "static_routes": ["192.168.0.0/16"]}},
    ),
    "vpc-private": _spec("A private-only VPC", {"kind": "vpc", "name": "isolated", "cidr": "10.30.0.0/20",
                                                "private_subnets": 2, "vpc_endpoints": ["s3"]}),
    "vpc-parts-existing": _spec(
        "Parts on an existing VPC",
        {"kind": "network_parts", "name": "core-parts", "vpc_id": "vpc-0d4c3b2a1f0e98765",
         "subnets": [{"cidr": "10.8.32.0/20", "availability_zone": "us-east-1a"}, {"cidr": "10.8.48.0/20"}],
         "nat_subnet_id": "subnet-0e5f6a7b8c9d0e1f2", "nat_route_table_ids": ["rtb-0c1d2e3f4a5b6c7d8"],
         "gateway_endpoints": ["s3", "dynamodb"], "endpoint_route_table_ids": ["rtb-0c1d2e3f4a5b6c7d8"],
         "flow_logs": "REJECT", "flow_logs_retention_days": 365,
         "network_acl_rules": [
             {"rule_number": 100, "from_port": 5432, "to_port": 5432, "cidr": "10.0.0.0/16"},
             {"rule_number": 100, "from_port": 1024, "to_port": 65535, "cidr": "10.0.0.0/16", "egress": True}],
         "network_acl_subnet_ids": ["subnet-0abc1234def567890"]},
    ),
    "vpc-parts-peering-s3-logs": _spec(
        "A peering connection to another account's VPC, and flow logs to an existing bucket",
        {"kind": "network_parts", "name": "peer-parts", "vpc_id": "vpc-0a1b2c3d4e5f67890",
         "peer_vpc_id": "vpc-0998877665544332a", "peer_account_id": "123456789012", "peer_region": "us-west-2",
         "flow_logs": "REJECT", "flow_log_bucket_arn": "arn:aws:s3:::netops-flowlogs-archive",
         "flow_log_interval_s": 60},
    ),
    "vpc-parts-flow-log-group": _spec(
        "Flow logs to a log group of the change, and an Elastic IP for an existing instance",
        {"kind": "log_group", "name": "core-flow", "log_group_name": "/vpc/flow/core-parts", "retention_days": 365},
        {"kind": "network_parts", "name": "edge-parts", "vpc_id": "vpc-0f1e2d3c4b5a69870", "flow_logs": "ALL",
         "flow_log_group_ref": "core-flow", "elastic_ip_instance_id": "i-0aa1bb2cc3dd4ee5f"},
    ),
    "rds-postgres": _spec(
        "A Postgres database in the VPC with a read replica",
        {"kind": "vpc", "name": "data", "private_subnets": 2},
        {"kind": "security_group", "name": "db", "vpc_ref": "data", "ingress": [
            {"protocol": "tcp", "from_port": 5432, "cidr": "10.0.0.0/16", "description": "Postgres from the VPC"}]},
        {"kind": "rds_instance", "name": "orders", "vpc_ref": "data", "security_group_refs": ["db"],
         "read_replicas": 1, "database_name": "orders"},
    ),
    "rds-replica-default-vpc": _spec(
        "A Postgres database with a read replica, in no named VPC",
        {"kind": "rds_instance", "name": "analytics", "instance_class": "db.t3.medium", "read_replicas": 1},
    ),
    "rds-parameters": _spec(
        "A Postgres database with a parameter group",
        {"kind": "rds_instance", "name": "tuned", "parameters": {"log_min_duration_statement": "500"}},
    ),
    "rds-mysql": _spec(
        "A MySQL database with an option group",
        {"kind": "rds_instance", "name": "legacy", "engine": "mysql", "engine_version": "8.0.42",
         "instance_class": "db.t3.medium", "storage_gb": 50, "multi_az": False,
         "options": [{"name": "MARIADB_AUDIT_PLUGIN", "settings": {"SERVER_AUDIT_EVENTS": "CONNECT"}}]},
    ),
    "lambda-triggers": _spec(
        "A function triggered by uploads, a queue and a schedule, writing to a table",
        {"kind": "s3_bucket", "name": "uploads"},
        {"kind": "sqs_queue", "name": "jobs", "visibility_timeout_s": 180},
        {"kind": "dynamodb_table", "name": "results", "partition_key": {"name": "id"}},
        {"kind": "lambda_function", "name": "ingest", "code": {"inline": INLINE}, "timeout_s": 60,
         "environment": {"TABLE": "results"},
         "triggers": [{"type": "s3", "bucket_ref": "uploads", "suffix": ".csv"},
                      {"type": "sqs", "queue_ref": "jobs"}, {"type": "schedule", "expression": "rate(1 hour)"}],
         "permissions": [{"actions": ["dynamodb:PutItem", "dynamodb:GetItem"], "resource_refs": ["results"]},
                         {"actions": ["s3:GetObject"], "resource_refs": ["uploads"]}]},
    ),
    "lambda-s3-code-vpc": _spec(
        "A function from S3 code running in the private subnets",
        {"kind": "vpc", "name": "fn-net", "private_subnets": 2},
        {"kind": "security_group", "name": "fn", "vpc_ref": "fn-net"},
        {"kind": "s3_bucket", "name": "artifacts"},
        {"kind": "lambda_function", "name": "report", "runtime": "python3.12",
         "code": {"s3_bucket_ref": "artifacts", "s3_key": "report.zip"}, "vpc_ref": "fn-net",
         "security_group_refs": ["fn"], "reserved_concurrency": 5},
    ),
    "lambda-plain": _spec(
        "A function and nothing else: no VPC, no trigger, no concurrency limit",
        {"kind": "lambda_function", "name": "resize", "code": {"inline": INLINE}},
    ),
    "existing-resources": _spec(
        "A function and a role granted on resources outside the change, named by kind and name",
        {"kind": "lambda_function", "name": "order-ingest", "code": {"inline": INLINE}, "permissions": [
            {"actions": ["dynamodb:GetItem", "dynamodb:Query"], "existing": [
                {"kind": "dynamodb_table", "name": "orders", "indexes": True}]},
            {"actions": ["sqs:SendMessage"], "existing": [{"kind": "sqs_queue", "name": "jobs.fifo"}]},
            {"actions": ["sns:Publish"], "existing": [{"kind": "sns_topic", "name": "alerts"}]},
            {"actions": ["s3:GetObject", "s3:ListBucket"], "existing": [{"kind": "s3_bucket", "name": "acme.raw"}]}]},
        {"kind": "iam_role", "name": "orders-reader", "assumed_by": ["ecs-tasks.amazonaws.com"], "statements": [
            {"actions": ["dynamodb:GetItem"], "existing": [{"kind": "dynamodb_table", "name": "orders"}]}]},
    ),
    "iam": _spec(
        "A role, a managed policy, a group and a user",
        {"kind": "dynamodb_table", "name": "sessions", "partition_key": {"name": "sid"}},
        {"kind": "iam_policy", "name": "sessions-read", "statements": [
            {"actions": ["dynamodb:GetItem", "dynamodb:Query"], "resource_refs": ["sessions"]}]},
        {"kind": "iam_role", "name": "app", "assumed_by": ["ecs-tasks.amazonaws.com"], "policy_refs": ["sessions-read"],
         "statements": [{"sid": "Write", "actions": ["dynamodb:PutItem"], "resource_refs": ["sessions"]}]},
        {"kind": "iam_group", "name": "analysts", "policy_refs": ["sessions-read"]},
        {"kind": "iam_user", "name": "alice", "group_refs": ["analysts"]},
    ),
    "cloudwatch": _spec(
        "A CPU alarm on an instance to a topic, a queue-depth alarm and a log group",
        {"kind": "sns_topic", "name": "ops", "subscriptions": [{"protocol": "email", "endpoint": "ops@example.com"}]},
        {"kind": "ec2_instance", "name": "box"},
        {"kind": "sqs_queue", "name": "work"},
        {"kind": "cloudwatch_alarm", "name": "box-cpu", "target_ref": "box", "alarm_topic_ref": "ops", "threshold": 90},
        {"kind": "cloudwatch_alarm", "name": "work-depth", "namespace": "AWS/SQS",
         "metric": "ApproximateNumberOfMessagesVisible", "statistic": "Maximum", "target_ref": "work",
         "threshold": 1000, "period_s": 60, "alarm_topic_ref": "ops"},
        {"kind": "log_group", "name": "app-logs", "retention_days": 90},
    ),
    "log-group": _spec("A log group with the default retention", {"kind": "log_group", "name": "audit-logs"}),
    "sqs": _spec(
        "FIFO queues with a DLQ ('invoices.fifo' arrives as invoices-fifo) and a plain queue without one",
        {"kind": "sqs_queue", "name": "orders", "fifo": True, "content_based_deduplication": True},
        {"kind": "sqs_queue", "name": "invoices-fifo", "fifo": True},
        {"kind": "sqs_queue", "name": "events", "dead_letter": None, "retention_s": 86400},
    ),
    "sns": _spec(
        "A topic fanning out to email, a queue and a function",
        {"kind": "sqs_queue", "name": "fanout"},
        {"kind": "lambda_function", "name": "notify", "code": {"inline": INLINE}},
        {"kind": "sns_topic", "name": "alerts", "display_name": "Alerts", "subscriptions": [
            {"protocol": "email", "endpoint": "oncall@example.com"},
            {"protocol": "sqs", "endpoint_ref": "fanout"}, {"protocol": "lambda", "endpoint_ref": "notify"}]},
    ),
    "dynamodb": _spec(
        "A provisioned table with a sort key, TTL and a stream",
        {"kind": "dynamodb_table", "name": "events-table", "partition_key": {"name": "pk"},
         "sort_key": {"name": "ts", "type": "N"}, "billing_mode": "PROVISIONED", "read_capacity": 10,
         "write_capacity": 5, "ttl_attribute": "expires", "stream": "NEW_AND_OLD_IMAGES"},
    ),
    "lambda-serverless-extras": _spec(
        "A function behind an IAM function URL and an alias with provisioned concurrency, fed by a table's stream",
        {"kind": "dynamodb_table", "name": "orders-stream", "partition_key": {"name": "customerId"},
         "sort_key": {"name": "orderDate"}, "stream": "NEW_AND_OLD_IMAGES", "table_class": "STANDARD_INFREQUENT_ACCESS",
         "global_secondary_indexes": [{"name": "by-status", "partition_key": {"name": "status"},
                                       "sort_key": {"name": "orderDate"}}]},
        {"kind": "lambda_function", "name": "checkout-api", "runtime": "nodejs22.x",
         "code": {"inline": "exports.handler = async () => ({ ok: true });\n"}, "reserved_concurrency": 20,
         "url": {"auth_type": "AWS_IAM"}, "alias": {"name": "live", "provisioned_concurrency": 2},
         "dead_letter_arn": "arn:aws:sqs:us-east-1:123456789012:checkout-api-dlq",
         "triggers": [{"type": "dynamodb", "table_ref": "orders-stream", "batch_size": 50, "bisect_on_error": True}]},
    ),
    "lambda-existing-role": _spec(
        "A java function run by an existing role, its package given at deploy time, reading an existing stream",
        {"kind": "lambda_function", "name": "audit-fanout", "runtime": "java21", "code": {"deploy_parameter": True},
         "role_arn": "arn:aws:iam::123456789012:role/audit-fanout-exec",
         "triggers": [{"type": "dynamodb", "stream_arn":
                       "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-11-02T10:15:00.000"}]},
    ),
    "sqs-sns-delivery": _spec(
        "A long-polling SSE-SQS queue fed raw by a FIFO topic with a filter, and a topic an account may publish to",
        {"kind": "sqs_queue", "name": "outbox-fifo", "fifo": True, "encryption": "sqs", "receive_wait_s": 20,
         "max_message_size": 262144},
        {"kind": "sqs_queue", "name": "kyc-intake", "kms_key_arn": "alias/kyc-sqs", "kms_data_key_reuse_s": 300},
        {"kind": "sns_topic", "name": "trade-events", "fifo": True, "content_based_deduplication": True,
         "subscriptions": [{"protocol": "sqs", "endpoint_ref": "outbox-fifo", "raw_message_delivery": True,
                            "filter_policy": {"region": ["eu"]}}]},
        {"kind": "sns_topic", "name": "partner-events", "publishers": ["210987654321"]},
    ),
    "dynamodb-global": _spec(
        "A global table replicated in two Regions",
        {"kind": "dynamodb_table", "name": "carts", "partition_key": {"name": "cartId"},
         "replica_regions": ["us-east-1", "eu-west-1"], "ttl_attribute": "expiresAt"},
    ),
    "elasticache": _spec(
        "A Valkey cache with two replicas in the private subnets, reachable from the app's security group",
        {"kind": "vpc", "name": "cache-net", "public_subnets": 0, "private_subnets": 2, "nat_gateway": "none"},
        {"kind": "security_group", "name": "cache-clients", "vpc_ref": "cache-net", "ingress": []},
        {"kind": "security_group", "name": "cache-sg", "vpc_ref": "cache-net", "ingress": [
            {"protocol": "tcp", "from_port": 6379, "source_group_ref": "cache-clients", "description": "from app"}]},
        {"kind": "elasticache_cluster", "name": "sessions", "node_type": "cache.t4g.small", "replicas": 2,
         "vpc_ref": "cache-net", "security_group_refs": ["cache-sg"]},
    ),
    "cloudwatch-metric-filter": _spec(
        "A metric filter counting ERROR lines of a log group, and an alarm on its metric",
        {"kind": "log_group", "name": "checkout-logs", "log_group_name": "/ecs/checkout-synth"},
        {"kind": "log_metric_filter", "name": "checkout-errors", "log_group_ref": "checkout-logs",
         "filter_pattern": "ERROR", "metric_name": "CheckoutErrors", "metric_namespace": "Acme/Checkout"},
        {"kind": "cloudwatch_alarm", "name": "checkout-errors-alarm", "namespace": "Acme/Checkout",
         "metric": "CheckoutErrors", "statistic": "Sum", "threshold": 10, "period_s": 60, "evaluation_periods": 3,
         "datapoints_to_alarm": 2},
    ),
    "rds-replica-existing": _spec(
        "A read replica of a database outside the change, in one zone",
        {"kind": "rds_read_replica", "name": "orders-reporting", "source_db": "orders-prod-pg", "engine": "postgres",
         "instance_class": "db.r6g.large", "availability_zone": "us-east-1c"},
    ),
    "rds-aurora": _spec(
        "An Aurora PostgreSQL cluster with a writer and a reader",
        {"kind": "rds_cluster", "name": "ledger-aurora", "instances": 2, "backup_retention_days": 14},
    ),
    "elasticache-existing-network": _spec(
        "A Redis cache in an existing subnet group with an existing security group",
        {"kind": "elasticache_cluster", "name": "rate-limits", "engine": "redis", "replicas": 0,
         "cache_subnet_group_name": "app-private-cache", "security_group_ids": ["sg-0e2d4c6b8a0f13579"],
         "snapshot_window": "05:00-06:00"},
    ),
    "elasticache-redis": _spec(
        "A single-node Redis OSS cache in the default VPC",
        {"kind": "elasticache_cluster", "name": "page-cache", "engine": "redis", "replicas": 0},
    ),
}  # fmt: skip
