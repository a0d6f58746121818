"""What a resource type is, for drawing: an AWS service label, a family (which picks the shape) and the word
an edge to it reads as ("assumes" a role, "logs to" a log group).

CloudFormation and Terraform types share one table: each line names both spellings.  A type that is not in
the table still gets a label, derived from its name (``AWS::Foo::BarBaz`` -> "Foo BarBaz",
``aws_foo_bar`` -> "foo bar"), so a diagram never shows a blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Family = Literal["network", "compute", "data", "messaging", "iam", "logs", "security", "link", "other"]


@dataclass(frozen=True)
class Kind:
    label: str
    family: Family


# (CloudFormation type, Terraform type) -> kind
_TABLE: tuple[tuple[str, str, Kind], ...] = (
    ("AWS::EC2::VPC", "aws_vpc", Kind("VPC", "network")),
    ("AWS::EC2::Subnet", "aws_subnet", Kind("subnet", "network")),
    ("AWS::EC2::RouteTable", "aws_route_table", Kind("route table", "network")),
    ("AWS::EC2::Route", "aws_route", Kind("route", "network")),
    ("AWS::EC2::SubnetRouteTableAssociation", "aws_route_table_association", Kind("route table association", "link")),
    ("AWS::EC2::InternetGateway", "aws_internet_gateway", Kind("internet gateway", "network")),
    ("AWS::EC2::VPCGatewayAttachment", "aws_internet_gateway_attachment", Kind("gateway attachment", "link")),
    ("AWS::EC2::NatGateway", "aws_nat_gateway", Kind("NAT gateway", "network")),
    ("AWS::EC2::EIP", "aws_eip", Kind("Elastic IP", "network")),
    ("AWS::EC2::VPCEndpoint", "aws_vpc_endpoint", Kind("VPC endpoint", "network")),
    ("AWS::EC2::NetworkAcl", "aws_network_acl", Kind("network ACL", "security")),
    ("AWS::EC2::NetworkAclEntry", "aws_network_acl_rule", Kind("network ACL rule", "security")),
    ("AWS::EC2::SubnetNetworkAclAssociation", "aws_network_acl_association", Kind("NACL association", "link")),
    ("AWS::EC2::FlowLog", "aws_flow_log", Kind("VPC flow log", "logs")),
    ("AWS::EC2::SecurityGroup", "aws_security_group", Kind("security group", "security")),
    ("AWS::EC2::SecurityGroupIngress", "aws_vpc_security_group_ingress_rule", Kind("ingress rule", "security")),
    ("AWS::EC2::SecurityGroupEgress", "aws_vpc_security_group_egress_rule", Kind("egress rule", "security")),
    ("", "aws_default_security_group", Kind("default security group", "security")),
    ("AWS::EC2::VPNGateway", "aws_vpn_gateway", Kind("VPN gateway", "network")),
    ("AWS::EC2::CustomerGateway", "aws_customer_gateway", Kind("customer gateway", "network")),
    ("AWS::EC2::VPNConnection", "aws_vpn_connection", Kind("VPN connection", "network")),
    ("AWS::EC2::Instance", "aws_instance", Kind("EC2 instance", "compute")),
    ("AWS::EC2::Volume", "aws_ebs_volume", Kind("EBS volume", "data")),
    ("AWS::EC2::VolumeAttachment", "aws_volume_attachment", Kind("volume attachment", "link")),
    ("AWS::Lambda::Function", "aws_lambda_function", Kind("Lambda function", "compute")),
    ("AWS::Lambda::EventSourceMapping", "aws_lambda_event_source_mapping", Kind("Lambda trigger", "link")),
    ("AWS::Lambda::Permission", "aws_lambda_permission", Kind("Lambda permission", "link")),
    ("AWS::ECS::Service", "aws_ecs_service", Kind("ECS service", "compute")),
    ("AWS::ECS::Cluster", "aws_ecs_cluster", Kind("ECS cluster", "compute")),
    ("AWS::RDS::DBInstance", "aws_db_instance", Kind("RDS database", "data")),
    ("AWS::RDS::DBCluster", "aws_rds_cluster", Kind("Aurora cluster", "data")),
    ("AWS::RDS::DBSubnetGroup", "aws_db_subnet_group", Kind("DB subnet group", "network")),
    ("AWS::RDS::DBParameterGroup", "aws_db_parameter_group", Kind("DB parameter group", "other")),
    ("AWS::RDS::OptionGroup", "aws_db_option_group", Kind("DB option group", "other")),
    ("AWS::DynamoDB::Table", "aws_dynamodb_table", Kind("DynamoDB table", "data")),
    ("AWS::S3::Bucket", "aws_s3_bucket", Kind("S3 bucket", "data")),
    ("AWS::S3::BucketPolicy", "aws_s3_bucket_policy", Kind("bucket policy", "iam")),
    ("AWS::SQS::Queue", "aws_sqs_queue", Kind("SQS queue", "messaging")),
    ("AWS::SQS::QueuePolicy", "aws_sqs_queue_policy", Kind("queue policy", "iam")),
    ("AWS::SNS::Topic", "aws_sns_topic", Kind("SNS topic", "messaging")),
    ("AWS::SNS::Subscription", "aws_sns_topic_subscription", Kind("SNS subscription", "link")),
    ("AWS::Events::Rule", "aws_cloudwatch_event_rule", Kind("EventBridge rule", "messaging")),
    ("AWS::Kinesis::Stream", "aws_kinesis_stream", Kind("Kinesis stream", "messaging")),
    ("AWS::IAM::Role", "aws_iam_role", Kind("IAM role", "iam")),
    ("AWS::IAM::Policy", "aws_iam_role_policy", Kind("IAM policy", "iam")),
    ("AWS::IAM::ManagedPolicy", "aws_iam_policy", Kind("IAM managed policy", "iam")),
    ("", "aws_iam_role_policy_attachment", Kind("policy attachment", "link")),
    ("AWS::IAM::InstanceProfile", "aws_iam_instance_profile", Kind("instance profile", "iam")),
    ("AWS::IAM::User", "aws_iam_user", Kind("IAM user", "iam")),
    ("AWS::IAM::Group", "aws_iam_group", Kind("IAM group", "iam")),
    ("AWS::KMS::Key", "aws_kms_key", Kind("KMS key", "security")),
    ("AWS::SecretsManager::Secret", "aws_secretsmanager_secret", Kind("secret", "security")),
    ("AWS::SSM::Parameter", "aws_ssm_parameter", Kind("SSM parameter", "other")),
    ("AWS::Logs::LogGroup", "aws_cloudwatch_log_group", Kind("log group", "logs")),
    ("AWS::CloudWatch::Alarm", "aws_cloudwatch_metric_alarm", Kind("CloudWatch alarm", "logs")),
)
KINDS: dict[str, Kind] = {t: kind for cfn, tf, kind in _TABLE for t in (cfn, tf) if t}

VPC_TYPES = frozenset({"AWS::EC2::VPC", "aws_vpc"})
SUBNET_TYPES = frozenset({"AWS::EC2::Subnet", "aws_subnet"})
# resources whose references place what uses them in the VPC / subnets they reference
PLACEMENT_TYPES = frozenset(
    {
        "AWS::RDS::DBSubnetGroup",
        "aws_db_subnet_group",
        "AWS::EC2::SecurityGroup",
        "aws_security_group",
        "AWS::ElastiCache::SubnetGroup",
        "aws_elasticache_subnet_group",
    }
)

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def kind_of(resource_type: str) -> Kind:
    known = KINDS.get(resource_type)
    if known:
        return known
    if resource_type.startswith("AWS::") and resource_type.count("::") == 2:
        _, service, name = resource_type.split("::")
        return Kind(f"{service} {_CAMEL.sub(' ', name)}", "other")
    if resource_type.startswith("aws_"):
        return Kind(resource_type.removeprefix("aws_").replace("_", " "), "other")
    return Kind(resource_type or "resource", "other")


def edge_label(source_type: str, target_type: str) -> str:
    """How ``source`` (which references ``target``) reads, e.g. a function "assumes" its role."""
    source, target = kind_of(source_type), kind_of(target_type)
    if source.label == "Lambda trigger":
        return "invokes" if target.label == "Lambda function" else "reads from"
    if source.label == "SNS subscription":
        return "from" if target.label == "SNS topic" else "delivers to"
    if source.label == "Lambda permission":
        return "allows invoke" if target.label == "Lambda function" else "from"
    if target.family == "iam" and target.label in ("IAM role", "instance profile"):
        return "assumes" if source.family == "compute" else "for"
    if source.family == "iam" and target.family in ("data", "messaging", "compute", "logs"):
        return "grants access"
    if target.family == "logs":
        return "logs to"
    if target.label == "security group":
        return "guarded by"
    if target.label == "KMS key":
        return "encrypted by"
    if target.label in ("DB subnet group", "subnet"):
        return "placed in"
    if target.label in ("secret", "SSM parameter"):
        return "reads"
    if source.family == "compute" and target.family in ("data", "messaging"):
        return "uses"
    return ""
