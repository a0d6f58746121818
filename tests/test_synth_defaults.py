"""What the synthesisers choose for the user, the same in both formats: physical names, FIFO names, the
default VPC for a group in no named VPC, a dead-letter queue for asynchronously invoked functions, and read
replicas that inherit (rather than set) encryption."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hcl2.api import loads as hcl_loads

from gate.checks.terraform_model import attr, blocks
from gate.spec import ChangeSpec
from gate.synth import cloudformation, terraform
from gate.synth.common import KNOWN_WAIVERS
from tests.synth_cases import CASES

REGION = "us-east-1"

# physical name: CloudFormation type and property <-> Terraform type and attribute
NAMED = {
    "AWS::SQS::Queue": ("QueueName", "aws_sqs_queue", "name"),
    "AWS::SNS::Topic": ("TopicName", "aws_sns_topic", "name"),
    "AWS::DynamoDB::Table": ("TableName", "aws_dynamodb_table", "name"),
    "AWS::RDS::DBInstance": ("DBInstanceIdentifier", "aws_db_instance", "identifier"),
    "AWS::Logs::LogGroup": ("LogGroupName", "aws_cloudwatch_log_group", "name"),
    "AWS::CloudWatch::Alarm": ("AlarmName", "aws_cloudwatch_metric_alarm", "alarm_name"),
    "AWS::Lambda::Function": ("FunctionName", "aws_lambda_function", "function_name"),
    "AWS::IAM::Group": ("GroupName", "aws_iam_group", "name"),
    "AWS::IAM::User": ("UserName", "aws_iam_user", "name"),
    "AWS::IAM::Role": ("RoleName", "aws_iam_role", "name"),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "aws_iam_policy", "name"),
    "AWS::IAM::InstanceProfile": ("InstanceProfileName", "aws_iam_instance_profile", "name"),
    "AWS::EC2::SecurityGroup": ("GroupName", "aws_security_group", "name"),
}

# CloudFormation types one Terraform type stands for: a global table is an aws_dynamodb_table with replicas
ALSO = {"AWS::DynamoDB::Table": ("AWS::DynamoDB::GlobalTable",)}
# Terraform types that stand for the same CloudFormation type: an Aurora member is an aws_rds_cluster_instance
TF_ALSO = {"aws_db_instance": ("aws_rds_cluster_instance",)}


def _spec(*resources: dict[str, Any]) -> ChangeSpec:
    return ChangeSpec.model_validate({"summary": "test", "resources": list(resources)})


def _tf(spec: ChangeSpec) -> dict[str, dict[str, Any]]:
    """Terraform resources as {"type.name": body} (python-hcl2's shape: read them with ``attr``)."""
    parsed = hcl_loads(terraform.render(spec, REGION))
    return {
        f"{t}.{n}": body
        for group in parsed.get("resource", [])
        for t, found in group.items()
        for n, body in found.items()
    }


def _tf_names(body: dict[str, Any], key: str) -> list[str]:
    """The names a block creates; with ``count``, one per index ("${count.index + 1}" expanded)."""
    name = attr(body, key)
    if not isinstance(name, str):
        return []
    count = attr(body, "count")
    if count is None:
        return [name]
    return [re.sub(r"\$\{count\.index \+ 1\}", str(i + 1), name) for i in range(int(count))]


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_spec_deploys_under_the_same_physical_names_in_both_formats(case: str) -> None:
    resources = cloudformation.template_for(CASES[case], REGION)["Resources"]
    tf = _tf(CASES[case])
    for cfn_type, (prop, tf_type, key) in NAMED.items():
        alike = {cfn_type, *ALSO.get(cfn_type, ())}
        cfn_names = sorted(
            str(b["Properties"][prop]) for b in resources.values() if b["Type"] in alike and prop in b["Properties"]
        )
        tf_names = sorted(
            n
            for address, b in tf.items()
            if address.split(".")[0] in (tf_type, *TF_ALSO.get(tf_type, ()))
            for n in _tf_names(b, key)
        )
        # a resource named in one format is named alike in the other
        assert cfn_names == tf_names, cfn_type
        # and every resource of these types is named (no generated or name_prefix names left)
        assert len(cfn_names) == sum(b["Type"] in alike for b in resources.values()), cfn_type


def test_queues_topics_tables_and_databases_are_named_after_the_spec() -> None:
    spec = _spec(
        {"kind": "sqs_queue", "name": "jobs"},
        {"kind": "sns_topic", "name": "alerts"},
        {"kind": "dynamodb_table", "name": "orders", "partition_key": {"name": "id"}},
        {"kind": "rds_instance", "name": "analytics", "read_replicas": 2},
    )
    props = {lid: b["Properties"] for lid, b in cloudformation.template_for(spec, REGION)["Resources"].items()}
    assert props["JobsQueue"]["QueueName"] == "jobs" and props["JobsQueueDeadLetter"]["QueueName"] == "jobs-dlq"
    assert props["AlertsTopic"]["TopicName"] == "alerts"
    assert props["OrdersTable"]["TableName"] == "orders"
    assert props["AnalyticsDatabase"]["DBInstanceIdentifier"] == "analytics"
    assert props["AnalyticsDatabaseReplica2"]["DBInstanceIdentifier"] == "analytics-replica-2"


def test_a_fifo_queue_named_x_fifo_keeps_that_name() -> None:
    # 'invoices.fifo' in the request: the spec name cannot hold a dot, so it arrives as 'invoices-fifo'
    spec = _spec(
        {"kind": "sqs_queue", "name": "invoices-fifo", "fifo": True},
        {"kind": "sns_topic", "name": "events", "fifo": True},
    )
    props = {lid: b["Properties"] for lid, b in cloudformation.template_for(spec, REGION)["Resources"].items()}
    assert props["InvoicesFifoQueue"]["QueueName"] == "invoices.fifo"
    assert props["InvoicesFifoQueueDeadLetter"]["QueueName"] == "invoices-dlq.fifo"
    assert props["EventsTopic"]["TopicName"] == "events.fifo"
    tf = _tf(spec)
    assert attr(tf["aws_sqs_queue.invoices_fifo"], "name") == "invoices.fifo"
    assert attr(tf["aws_sqs_queue.invoices_fifo_dead_letter"], "name") == "invoices-dlq.fifo"


@pytest.mark.parametrize(("name", "identifier"), [("2fa-db", "db-2fa-db"), ("a--b-", "a-b"), ("orders", "orders")])
def test_database_identifiers_are_valid_rds_identifiers_in_both_formats(name: str, identifier: str) -> None:
    spec = _spec({"kind": "rds_instance", "name": name})
    (db,) = [
        b
        for b in cloudformation.template_for(spec, REGION)["Resources"].values()
        if b["Type"] == "AWS::RDS::DBInstance"
    ]
    assert db["Properties"]["DBInstanceIdentifier"] == identifier
    (body,) = [b for address, b in _tf(spec).items() if address.startswith("aws_db_instance.")]
    assert attr(body, "identifier") == identifier


def test_a_security_group_in_no_named_vpc_goes_to_the_default_vpc_in_both_formats() -> None:
    template = cloudformation.template_for(CASES["sg-default-vpc"], REGION)
    # CloudFormation needs the VPC id to replace AWS's allow-all egress rule; the template deploys without it
    assert template["Parameters"]["DefaultVpcId"]["Default"] == ""
    group = template["Resources"]["WebSgSecurityGroup"]["Properties"]
    assert group["VpcId"] == {"Fn::If": ["HasDefaultVpcId", {"Ref": "DefaultVpcId"}, {"Ref": "AWS::NoValue"}]}
    rules, otherwise = group["SecurityGroupEgress"]["Fn::If"][1:]
    assert rules == [
        {"IpProtocol": "tcp", "Description": "HTTPS out", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}
    ]
    assert otherwise == {"Ref": "AWS::NoValue"}
    tf = _tf(CASES["sg-default-vpc"])
    assert attr(tf["aws_security_group.web_sg"], "vpc_id") == {"Ref": "data.aws_vpc.default.id"}
    assert attr(tf["aws_vpc_security_group_egress_rule.web_sg_egress_1"], "from_port") == 443


def test_a_group_nothing_here_uses_is_waived_for_being_unattached_and_only_that_one() -> None:
    text = terraform.render(CASES["sg-default-vpc"], REGION)
    web, app = (
        text.split('resource "aws_security_group" "web_sg"')[1],
        text.split('resource "aws_security_group" "app_sg"')[1],
    )
    assert web.split("\n", 2)[1].strip() == f"#checkov:skip=CKV2_AWS_5:{KNOWN_WAIVERS['CKV2_AWS_5']}"
    assert "CKV2_AWS_5" not in app.split("}\n\n", 1)[0], "app-sg is attached to the instance"


def _function(spec: ChangeSpec) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    resources = cloudformation.template_for(spec, REGION)["Resources"]
    (fn,) = [b for b in resources.values() if b["Type"] == "AWS::Lambda::Function"]
    return fn, resources


def test_a_function_invoked_asynchronously_gets_a_dead_letter_queue_it_may_write_to() -> None:
    fn, resources = _function(CASES["lambda-triggers"])
    target = fn["Properties"]["DeadLetterConfig"]["TargetArn"]
    queue = resources[target["Fn::GetAtt"][0]]
    assert queue["Type"] == "AWS::SQS::Queue" and queue["Properties"]["QueueName"] == "ingest-dlq"
    statements = resources["IngestFunctionRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": target} in statements
    assert "CKV_AWS_116" not in {s["id"] for s in fn["Metadata"]["checkov"]["skip"]}
    body = _tf(CASES["lambda-triggers"])["aws_lambda_function.ingest"]
    (dlq,) = blocks(body, "dead_letter_config")
    assert attr(dlq, "target_arn") == {"Ref": "aws_sqs_queue.ingest_lambda_dlq.arn"}


def test_an_sns_subscription_is_an_asynchronous_trigger_too() -> None:
    fn, _ = _function(CASES["sns"])
    assert "DeadLetterConfig" in fn["Properties"]


def test_a_plain_function_waives_only_what_does_not_apply_to_it() -> None:
    fn, _ = _function(CASES["lambda-plain"])
    assert "DeadLetterConfig" not in fn["Properties"]
    assert [s["id"] for s in fn["Metadata"]["checkov"]["skip"]] == ["CKV_AWS_115", "CKV_AWS_116", "CKV_AWS_117"]
    fn, _ = _function(CASES["lambda-s3-code-vpc"])  # reserved concurrency and a VPC asked for: not waived
    assert [s["id"] for s in fn["Metadata"]["checkov"]["skip"]] == ["CKV_AWS_116"]


def test_a_log_group_given_a_key_is_not_waived() -> None:
    key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    spec = _spec({"kind": "log_group", "name": "audit", "kms_key_arn": key})
    (group,) = cloudformation.template_for(spec, REGION)["Resources"].values()
    assert group["Properties"]["KmsKeyId"] == key and "checkov" not in group["Metadata"]
    assert "checkov:skip" not in terraform.render(spec, REGION)


def test_a_read_replica_inherits_encryption_instead_of_setting_it() -> None:
    resources = cloudformation.template_for(CASES["rds-replica-default-vpc"], REGION)["Resources"]
    source, replica = resources["AnalyticsDatabase"]["Properties"], resources["AnalyticsDatabaseReplica1"]["Properties"]
    assert source["StorageEncrypted"] is True
    assert replica["SourceDBInstanceIdentifier"] == {"Ref": "AnalyticsDatabase"}
    # AWS: "If you specify SourceDBInstanceIdentifier ... don't specify this property" (StorageEncrypted, KmsKeyId)
    assert "StorageEncrypted" not in replica and "KmsKeyId" not in replica


def test_roles_policies_groups_and_flow_logs_are_named_after_the_spec() -> None:
    long = "a" * 63
    spec = _spec(
        {"kind": "iam_policy", "name": "reader", "statements": [
            {"actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::acme/*"]}]},
        {"kind": "iam_role", "name": "app", "assumed_by": ["ec2.amazonaws.com"], "policy_refs": ["reader"]},
        {"kind": "security_group", "name": "sg-web", "vpc_ref": "net"},
        {"kind": "vpc", "name": "net"},
        {"kind": "lambda_function", "name": long, "code": {"inline": "def handler(e, c): pass"}},
    )  # fmt: skip
    resources = cloudformation.template_for(spec, REGION)["Resources"]
    names = {
        b["Type"]: b["Properties"].get("RoleName") or b["Properties"].get("ManagedPolicyName")
        for b in resources.values()
        if b["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::EC2::SecurityGroup", "AWS::Logs::LogGroup")
    }
    roles = sorted(b["Properties"]["RoleName"] for b in resources.values() if b["Type"] == "AWS::IAM::Role")
    assert names["AWS::IAM::ManagedPolicy"] == "reader"
    assert resources["SgWebSecurityGroup"]["Properties"]["GroupName"] == "group-sg-web"  # 'sg-' is for ids
    assert resources["NetFlowLogGroup"]["Properties"]["LogGroupName"] == "/vpc/net/flow-logs"
    # IAM names are account-wide: a role the gate makes for a regional owner carries the region, at most 64
    lambda_role = f"{'a' * (64 - len('-lambda-us-east-1'))}-lambda-us-east-1"
    assert roles == sorted(["app", "net-flow-logs-us-east-1", lambda_role]) and len(lambda_role) == 64


def test_a_resource_outside_the_change_gets_the_arn_of_the_account_the_stack_is_deployed_to() -> None:
    spec = CASES["existing-resources"]
    role = cloudformation.template_for(spec, REGION)["Resources"]["OrdersReaderRole"]["Properties"]
    (statement,) = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert statement["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders"
    }
    text = terraform.render(spec, REGION)
    for source in ("aws_partition", "aws_region", "aws_caller_identity"):
        assert f'data "{source}" "current"' in text
    prefix = "arn:${data.aws_partition.current.partition}"
    account = "${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}"
    assert f'"{prefix}:dynamodb:{account}:table/orders/index/*"' in text  # indexes asked for: that table only
    assert f'"{prefix}:sqs:{account}:jobs.fifo"' in text and f'"{prefix}:sns:{account}:alerts"' in text
    assert f'"{prefix}:s3:::acme.raw", "{prefix}:s3:::acme.raw/*"' in text or f'"{prefix}:s3:::acme.raw/*"' in text
    assert '"*"' not in text
