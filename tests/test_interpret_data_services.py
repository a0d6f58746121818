"""Issue 13 (data services): each typed reading of RDS, CloudWatch and ElastiCache requests on its own, the spec
rules behind them, and the new kinds in both formats (CloudFormation and Terraform), priced and mapped."""

from __future__ import annotations

from typing import Any

import pytest
from hcl2.api import loads as hcl_loads
from pydantic import ValidationError

from gate.checks.terraform_model import attr
from gate.checks.terraform_model import resources as tf_resources
from gate.cost.estimator import price_cloudformation, price_terraform
from gate.cost.prices import load_table
from gate.cost.usage import Usage
from gate.errors import GateError
from gate.interpret import danger
from gate.interpret.offline import interpret
from gate.services.cloudwatch import alarm_parts
from gate.services.rds.interpret import _parameters
from gate.spec import ChangeSpec, CloudwatchAlarm, ElasticacheCluster, LogMetricFilter, RdsInstance
from gate.synth import cloudformation, terraform

REGION = "us-east-1"


def _one(text: str, kind: str) -> dict[str, Any]:
    (found,) = [r.model_dump() for r in interpret(text).resources if r.kind == kind]
    return found


def _spec(*resources: dict[str, Any]) -> ChangeSpec:
    return ChangeSpec.model_validate({"summary": "test", "resources": list(resources)})


def _typed(spec: ChangeSpec, rtype: str) -> list[dict[str, Any]]:
    return [
        r["Properties"] for r in cloudformation.template_for(spec, REGION)["Resources"].values() if r["Type"] == rtype
    ]


def _tf(spec: ChangeSpec, rtype: str) -> list[dict[str, Any]]:
    parsed = hcl_loads(terraform.render(spec, REGION))
    return [body for block in parsed["resource"] for name, body in block.get(rtype, {}).items()]


# ---------------------------------------------------------------- CloudWatch: the alarm's own words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("over 50 per 5 minutes, 2 out of 3 datapoints", {"period_s": 300, "evaluation_periods": 3,
                                                           "datapoints_to_alarm": 2}),
        ("Sum >= 1 over a 1 minute period, 1 evaluation period", {"statistic": "Sum", "period_s": 60,
                                                                   "evaluation_periods": 1}),
        ("treat missing data as not breaching", {"treat_missing_data": "notBreaching"}),
        ("missing data is ignored", {"treat_missing_data": "ignore"}),
        ("3 of the last 5 periods", {"evaluation_periods": 5, "datapoints_to_alarm": 3}),
    ],
)  # fmt: skip
def test_alarm_timing_is_read_wherever_it_stands(text: str, expected: dict[str, Any]) -> None:
    out: dict[str, Any] = {}
    alarm_parts.timing(text, out)
    assert {k: out[k] for k in expected} == expected


def test_more_datapoints_than_periods_is_not_a_valid_alarm() -> None:
    with pytest.raises(ValidationError, match="datapoints_to_alarm"):
        CloudwatchAlarm(name="a", evaluation_periods=2, datapoints_to_alarm=3)


def test_a_custom_metric_and_the_filter_that_makes_it() -> None:
    text = "On the existing log group /ecs/checkout, count lines containing ERROR into a metric CheckoutErrors " \
           "(namespace Acme/Checkout)"  # fmt: skip
    metric = alarm_parts.custom_metric(text)
    assert metric is not None and (metric.namespace, metric.metric, metric.statistic) == (
        "Acme/Checkout", "CheckoutErrors", "Sum")  # fmt: skip
    made = alarm_parts.metric_filter(text, "f", metric)
    assert made is not None
    assert (made["log_group_name"], made["filter_pattern"]) == ("/ecs/checkout", "ERROR")
    assert alarm_parts.metric_filter("alarm when CheckoutErrors is above 3", "f", metric) is None


def test_a_metric_filter_on_an_existing_log_group_builds_no_log_group_in_either_format() -> None:
    spec = interpret("On the existing log group /ecs/checkout, count lines containing ERROR into a metric "
                     "CheckoutErrors (namespace Acme/Checkout). Then alarm if there are more than 10 of them within "
                     "1 minute.")  # fmt: skip
    (flt,) = _typed(spec, "AWS::Logs::MetricFilter")
    assert flt["LogGroupName"] == "/ecs/checkout"
    assert flt["MetricTransformations"] == [{"MetricName": "CheckoutErrors", "MetricNamespace": "Acme/Checkout",
                                             "MetricValue": "1", "DefaultValue": 0.0}]  # fmt: skip
    assert _typed(spec, "AWS::Logs::LogGroup") == []
    (alarm,) = _typed(spec, "AWS::CloudWatch::Alarm")
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Threshold"], alarm["Period"]) == (
        "Acme/Checkout", "CheckoutErrors", 10.0, 60)  # fmt: skip
    (block,) = _tf(spec, "aws_cloudwatch_log_metric_filter")
    assert attr(block, "log_group_name") == "/ecs/checkout"
    assert attr(block["metric_transformation"][0], "name") == "CheckoutErrors"
    (mapped,) = [r for r in tf_resources(terraform.render(spec, REGION), "main.tf")[0]
                 if r.body["Type"] == "AWS::Logs::MetricFilter"]  # fmt: skip
    assert mapped.body["Properties"]["LogGroupName"] == "/ecs/checkout"
    assert mapped.body["Properties"]["MetricTransformations"][0]["MetricName"] == "CheckoutErrors"


def test_a_metric_filter_needs_one_log_group() -> None:
    with pytest.raises(ValidationError, match="one of log_group_name"):
        LogMetricFilter(name="f", filter_pattern="ERROR", metric_name="M", metric_namespace="A/B")


def test_alarm_and_ok_notifications_are_one_alarm_with_both_actions() -> None:
    arn = "arn:aws:sns:eu-west-1:123456789012:platform-alerts"
    spec = interpret("alert us when the existing DynamoDB table `sessions` has any ReadThrottleEvents (Sum > 0 over "
                     f"5 min). Send both ALARM and OK notifications to {arn}.")  # fmt: skip
    (alarm,) = _typed(spec, "AWS::CloudWatch::Alarm")
    assert alarm["AlarmActions"] == alarm["OKActions"] == [arn]
    assert alarm["Dimensions"] == [{"Name": "TableName", "Value": "sessions"}]


def test_a_service_noun_before_its_metric_creates_nothing() -> None:
    spec = interpret("Alarm `ledger-sync-errors`: Lambda Errors for the function ledger-sync, Sum >= 1 over a 1 "
                     "minute period, 1 evaluation period.")  # fmt: skip
    assert [r.kind for r in spec.resources] == ["cloudwatch_alarm"]
    assert spec.resources[0].model_dump()["dimensions"] == {"FunctionName": "ledger-sync"}


# ---------------------------------------------------------------- RDS


def test_a_dev_database_is_built_without_deletion_protection_and_says_so() -> None:
    spec = interpret("dev postgres, db.t4g.micro, 20gb storage, single AZ. it's not critical so no deletion "
                     "protection and just 1 day of backups.")  # fmt: skip
    db = spec.resources[0].model_dump()
    assert (db["deletion_protection"], db["multi_az"], db["backup_retention_days"]) == (False, False, 1)
    assert any(a.field == "deletion_protection" and "GATE-RDS-003" in a.reason for a in spec.assumptions)


def test_a_database_not_called_disposable_is_still_refused_without_deletion_protection() -> None:
    with pytest.raises(GateError, match="deletion protection"):
        danger.refuse_dangerous("Postgres for payments on db.r6g.large with no deletion protection")
    danger.refuse_dangerous("a test MySQL on db.t3.micro without deletion protection")  # built, flagged


def test_no_tls_is_refused_by_name() -> None:
    with pytest.raises(GateError, match="without TLS"):
        danger.refuse_dangerous("Redis for the hackathon. No auth, no TLS.")


def test_a_replica_of_an_existing_database_is_a_replica_not_a_change_or_a_new_database() -> None:
    spec = interpret("Add a read replica of the existing database `orders-prod-pg`, db.r6g.xlarge, placed in "
                     "us-east-1c.")  # fmt: skip
    (replica,) = _typed(spec, "AWS::RDS::DBInstance")
    assert (replica["SourceDBInstanceIdentifier"], replica["DBInstanceClass"], replica["AvailabilityZone"]) == (
        "orders-prod-pg", "db.r6g.xlarge", "us-east-1c")  # fmt: skip
    assert "StorageEncrypted" not in replica and "MasterUsername" not in replica
    (block,) = _tf(spec, "aws_db_instance")
    assert attr(block, "replicate_source_db") == "orders-prod-pg" and attr(block, "availability_zone") == "us-east-1c"


def test_a_cross_region_replica_names_its_source_region_and_key() -> None:
    spec = interpret("Cross-region read replica of arn:aws:rds:us-east-1:123456789012:db:billing-primary, class "
                     "db.r5.large, encrypted with arn:aws:kms:eu-west-1:123456789012:alias/rds-replica.")  # fmt: skip
    (replica,) = _typed(spec, "AWS::RDS::DBInstance")
    assert replica["SourceRegion"] == "us-east-1"
    assert replica["KmsKeyId"] == "arn:aws:kms:eu-west-1:123456789012:alias/rds-replica"


def test_a_replica_is_priced_only_when_its_engine_is_said() -> None:
    table = load_table(REGION)
    base = {"kind": "rds_read_replica", "name": "r", "source_db": "orders-db", "instance_class": "db.r6g.large"}
    for spec, priced in ((_spec(base), False), (_spec({**base, "engine": "postgres"}), True)):
        for side in (price_cloudformation(cloudformation.template_for(spec, REGION), table, Usage()),
                     price_terraform(hcl_loads(terraform.render(spec, REGION)), table, Usage())):  # fmt: skip
            (item,) = side.values()
            assert (item.estimate.monthly is not None and item.estimate.monthly > 0) == priced
            if not priced:
                assert "source's engine" in (item.estimate.not_estimated or "")


def test_aurora_is_a_cluster_with_a_writer_and_readers_in_both_formats() -> None:
    spec = interpret("Aurora PostgreSQL cluster `ledger-aurora` with two db.r7g.large instances (one writer, one "
                     "reader). Storage encrypted with our KMS key alias/ledger-db, backups kept 35 days, IAM database "
                     "authentication enabled.")  # fmt: skip
    (cluster,) = _typed(spec, "AWS::RDS::DBCluster")
    assert (cluster["Engine"], cluster["KmsKeyId"], cluster["BackupRetentionPeriod"]) == (
        "aurora-postgresql", "alias/ledger-db", 35)  # fmt: skip
    assert cluster["StorageEncrypted"] and cluster["EnableIAMDatabaseAuthentication"] and cluster["DeletionProtection"]
    members = _typed(spec, "AWS::RDS::DBInstance")
    assert [m["DBInstanceClass"] for m in members] == ["db.r7g.large"] * 2
    assert all(m["DBClusterIdentifier"] and not m["PubliclyAccessible"] for m in members)
    assert not [a for a in spec.assumptions if a.field == "not-applied"]  # IAM auth is always built
    (instances,) = _tf(spec, "aws_rds_cluster_instance")
    assert attr(instances, "count") == 2
    side = price_cloudformation(cloudformation.template_for(spec, REGION), load_table(REGION), Usage())
    assert sum(p.estimate.monthly or 0 for p in side.values()) > 0


def test_an_aurora_cluster_with_instances_creates_no_ec2_instances() -> None:
    spec = interpret("an Aurora MySQL cluster named shop-db with 3 instances")
    assert [r.kind for r in spec.resources] == ["rds_cluster"]
    assert spec.resources[0].model_dump()["instances"] == 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("loads pg_stat_statements through shared_preload_libraries",
         {"shared_preload_libraries": "pg_stat_statements"}),
        ("sets log_min_duration_statement to 500 and loads auto_explain via shared_preload_libraries",
         {"log_min_duration_statement": "500", "shared_preload_libraries": "auto_explain"}),
    ],
)  # fmt: skip
def test_parameters_bind_to_their_name_whatever_the_verb(text: str, expected: dict[str, str]) -> None:
    assert _parameters(text) == expected


def test_storage_autoscaling_and_port_are_built_and_checked() -> None:
    db = _one("MySQL 8.0 on db.m6i.large named orders-mysql, 200 GB with storage autoscaling up to 800 GB, port 3307.",
              "rds_instance")  # fmt: skip
    assert (db["storage_gb"], db["max_storage_gb"], db["port"]) == (200, 800, 3307)
    with pytest.raises(ValidationError, match="must be above"):
        RdsInstance(name="d", storage_gb=100, max_storage_gb=100)


@pytest.mark.parametrize(
    "text",
    ["Before Thursday's schema migration, can someone take a manual snapshot of orders-prod-pg? Nothing else changes.",
     "Please snapshot the existing database payments-db before Friday's release."],
)  # fmt: skip
def test_a_one_off_operation_builds_nothing_and_says_which_command_does_it(text: str) -> None:
    spec = interpret(text)
    assert spec.resources == [] and spec.answer is not None
    assert "aws rds create-db-snapshot" in spec.answer and "not an infrastructure change" in spec.answer
    assert any(a.field == "not-applied" for a in spec.assumptions)  # so the plan never passes as a change


# ---------------------------------------------------------------- ElastiCache


@pytest.mark.parametrize(
    ("text", "replicas"),
    [
        ("Redis `feed-cache` on cache.m7g.xlarge with 2 nodes.", 1),
        ("Redis replication group sessions-cache on cache.r7g.large, 1 primary + 2 replicas (3 nodes total)", 2),
        ("Valkey for the rate limiter, cache.t4g.small, a single node.", 0),
        ("Valkey for the rate limiter on cache.t4g.small. Not critical, so no failover.", 0),
    ],
)
def test_cache_nodes_are_a_primary_and_its_replicas(text: str, replicas: int) -> None:
    assert _one(text, "elasticache_cluster")["replicas"] == replicas


def test_a_cache_on_existing_subnets_and_groups_in_both_formats() -> None:
    spec = interpret("Redis replication group `sessions-cache` on cache.r7g.large with 2 replicas. New cache subnet "
                     "group over subnet-0f1a2b3c4d5e6f708 and subnet-0f1a2b3c4d5e6f709, security group "
                     "sg-0e2d4c6b8a0f13579, snapshot window 01:00-02:00 UTC.")  # fmt: skip
    (group,) = _typed(spec, "AWS::ElastiCache::ReplicationGroup")
    assert group["SecurityGroupIds"] == ["sg-0e2d4c6b8a0f13579"] and group["SnapshotWindow"] == "01:00-02:00"
    (subnets,) = _typed(spec, "AWS::ElastiCache::SubnetGroup")
    assert subnets["SubnetIds"] == ["subnet-0f1a2b3c4d5e6f708", "subnet-0f1a2b3c4d5e6f709"]
    assert _typed(spec, "AWS::EC2::SecurityGroup") == []
    (block,) = _tf(spec, "aws_elasticache_replication_group")
    assert attr(block, "security_group_ids") == ["sg-0e2d4c6b8a0f13579"]
    assert attr(block, "snapshot_window") == "01:00-02:00"


def test_an_existing_cache_subnet_group_is_used_by_name() -> None:
    cache = _one("Valkey for the rate limiter, cache.t4g.small, a single node. Put it in the existing subnet group "
                 "`app-private-cache`.", "elasticache_cluster")  # fmt: skip
    assert cache["cache_subnet_group_name"] == "app-private-cache"
    with pytest.raises(ValidationError, match="place the cache"):
        ElasticacheCluster(name="c", cache_subnet_group_name="g", subnet_ids=["subnet-0f1a2b3c4d5e6f708"])
