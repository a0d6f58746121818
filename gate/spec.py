"""The typed change spec: what a change request asks for, independent of CloudFormation or Terraform.

Every resource kind the gate can build is one model here, told apart by its ``kind`` field; the union
``ResourceSpec`` is what interpreters produce and synthesisers consume (``gate/synth/registry.py`` maps each
kind to its synthesiser).  References between resources are by ``name`` (fields ending in ``_ref``).
The JSON schema of :class:`ChangeSpec` is what an LLM is asked to fill, so every field is described and
bounded: nothing outside this schema can reach the synthesisers.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gate.spec_parts import (
    NAME_RE,
    Arn,
    BucketPolicyStatement,
    DbOption,
    DeadLetter,
    ExistingResource,
    GatewayEndpoint,
    InstanceId,
    KeyAttribute,
    KmsKey,
    LambdaCode,
    LambdaPermission,
    LambdaTrigger,
    LifecycleRule,
    LifecycleTransition,
    PolicyStatement,
    Ref,
    S3Trigger,
    ScheduleTrigger,
    SecurityGroupId,
    SecurityGroupRule,
    ServicePrincipal,
    SnapshotId,
    SqsTrigger,
    StorageClass,
    SubnetId,
    SubnetRef,
    Subscription,
    VpcId,
    VpnConnection,
    ZoneName,
    check_cidr,
)

# The parts the kinds are built from, re-exported so `from gate.spec import X` finds every spec type.
__all__ = [
    "NAME_RE",
    "Arn",
    "BucketPolicyStatement",
    "DbOption",
    "DeadLetter",
    "ExistingResource",
    "GatewayEndpoint",
    "KeyAttribute",
    "KmsKey",
    "LambdaCode",
    "LambdaPermission",
    "LambdaTrigger",
    "LifecycleRule",
    "LifecycleTransition",
    "PolicyStatement",
    "Ref",
    "S3Trigger",
    "ScheduleTrigger",
    "SecurityGroupId",
    "SecurityGroupRule",
    "ServicePrincipal",
    "SqsTrigger",
    "StorageClass",
    "SubnetId",
    "SubnetRef",
    "Subscription",
    "VpcId",
    "VpnConnection",
    "check_cidr",
]

BUCKET_RE = re.compile(r"^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Short kebab-case name, unique in the spec; other resources refer to it.")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags to put on the resource.")

    @field_validator("name")
    @classmethod
    def _name_ok(cls, value: str) -> str:
        if not NAME_RE.match(value):
            raise ValueError(f"name {value!r} must be lowercase letters, digits and '-', at most 63 characters")
        return value


class S3Bucket(_Base):
    """An S3 bucket. Secure by default: private, encrypted, versioned, TLS-only, retained on delete."""

    kind: Literal["s3_bucket"] = "s3_bucket"
    bucket_name: str | None = Field(default=None, description="Globally unique bucket name; generated if absent.")
    versioning: bool = Field(default=True, description="keep every version of every object")
    encryption: Literal["aes256", "kms"] = Field(default="aes256", description="SSE-S3 (aes256) or SSE-KMS")
    kms_key_arn: KmsKey | None = Field(default=None, description="KMS key for SSE-KMS; absent: the AWS managed key")
    block_public_access: bool = Field(default=True, description="all four S3 block-public-access settings")
    lifecycle_rules: list[LifecycleRule] = Field(default_factory=list, max_length=50)
    access_log_bucket: str | None = Field(default=None, description="Bucket name that receives access logs.")
    access_log_bucket_ref: Ref | None = Field(default=None, description="s3_bucket in this spec receiving access logs")
    policy_statements: list[BucketPolicyStatement] = Field(
        default_factory=list, max_length=20, description="grants to named principals (TLS-only is always added)"
    )

    @field_validator("bucket_name", "access_log_bucket")
    @classmethod
    def _bucket_ok(cls, value: str | None) -> str | None:
        if value is not None and not BUCKET_RE.match(value):
            raise ValueError(f"bucket name {value!r} is not valid: use 3-63 lowercase letters, digits, '.' and '-'")
        return value


AL2023_X86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
AL2023_ARM = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
_GRAVITON_RE = re.compile(r"^(?:a1|[a-z]+\d+g[a-z]*)\.")


def is_graviton(instance_type: str) -> bool:
    """True for Arm (Graviton) instance types such as t4g, c6g, m7gd, which need an arm64 AMI."""
    return bool(_GRAVITON_RE.match(instance_type))


VolumeType = Literal["gp3", "gp2", "io1", "io2", "st1", "sc1"]


class Ec2Instance(_Base):
    """One or more identical EC2 instances. Secure by default: IMDSv2, encrypted gp3 root, monitoring, no SSH."""

    kind: Literal["ec2_instance"] = "ec2_instance"
    instance_type: str = Field(default="t3.micro", pattern=r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")
    count: int = Field(default=1, ge=1, le=50, description="identical instances, spread over the subnet tier's AZs")
    ami_ssm_parameter: str = Field(
        default=AL2023_X86, pattern=r"^/[A-Za-z0-9_./-]{1,1010}$", description="SSM parameter holding the AMI id"
    )
    root_volume_gb: int = Field(default=20, ge=8, le=16384)
    root_volume_type: VolumeType = "gp3"
    subnet_ref: SubnetRef | None = Field(default=None, description="'<vpc-name>:private' (absent: default VPC)")
    security_group_refs: list[Ref] = Field(default_factory=list, max_length=5, description="security_group names")
    subnet_ids: list[SubnetId] = Field(default_factory=list, max_length=6, description="existing subnets, by id")
    security_group_ids: list[SecurityGroupId] = Field(default_factory=list, max_length=5, description="existing, by id")
    instance_role_ref: Ref | None = Field(
        default=None, description="iam_role for the instance profile; absent: a role with SSM access only"
    )
    public_ip: bool = Field(default=False, description="give the instances a public IPv4 address")
    availability_zone: ZoneName | None = Field(default=None, description="pin the instances to this AZ")
    key_name: str | None = Field(default=None, max_length=255, description="EC2 key pair (SSM needs none)")
    user_data: str | None = Field(default=None, max_length=16384)
    purpose: str | None = Field(default=None, max_length=200, description="What the instances are for.")

    @model_validator(mode="after")
    def _one_placement(self) -> Ec2Instance:
        if self.subnet_ref and self.subnet_ids:
            raise ValueError("give the instances a subnet tier of a VPC in this spec or existing subnet ids, not both")
        return self


class SecurityGroup(_Base):
    """A security group. No ingress unless asked; egress HTTPS only unless rules are given."""

    kind: Literal["security_group"] = "security_group"
    description: str = Field(default="managed by devops-gate", max_length=255)
    vpc_ref: Ref | None = Field(default=None, description="vpc in this spec; absent: the default VPC")
    vpc_id: VpcId | None = Field(default=None, description="an existing VPC by id (instead of vpc_ref)")
    ingress: list[SecurityGroupRule] = Field(default_factory=list, max_length=60)
    egress: list[SecurityGroupRule] = Field(
        default_factory=lambda: [
            SecurityGroupRule(protocol="tcp", from_port=443, cidr="0.0.0.0/0", description="HTTPS out")
        ],
        max_length=60,
        description="outbound rules (default: HTTPS to anywhere)",
    )


class EbsVolume(_Base):
    """An encrypted EBS volume, attached to an instance in this spec or created in an AZ."""

    kind: Literal["ebs_volume"] = "ebs_volume"
    size_gb: int = Field(default=100, ge=1, le=65536)
    volume_type: VolumeType = "gp3"
    iops: int | None = Field(default=None, ge=100, le=256000, description="io1/io2/gp3 provisioned IOPS")
    throughput_mbps: int | None = Field(default=None, ge=125, le=1000, description="gp3 throughput")
    kms_key_arn: KmsKey | None = Field(default=None, description="absent: the AWS managed EBS key")
    instance_ref: Ref | None = Field(default=None, description="ec2_instance to attach to (its first instance)")
    instance_id: InstanceId | None = Field(default=None, description="an existing instance to attach to, by id")
    snapshot_id: SnapshotId | None = Field(default=None, description="restore the volume from this snapshot")
    availability_zone: ZoneName | None = Field(default=None, description="the volume's AZ (an existing instance's)")
    device_name: str = Field(default="/dev/sdf", pattern=r"^/dev/(sd[f-p]|xvd[f-p])$")
    availability_zone_index: int = Field(default=0, ge=0, le=5, description="AZ when not attached to an instance")

    @model_validator(mode="after")
    def _attach_ok(self) -> EbsVolume:
        if self.instance_id and self.instance_ref:
            raise ValueError("attach the volume to an instance of this spec or an existing one by id, not both")
        if self.instance_id and not self.availability_zone:
            raise ValueError("a volume for an existing instance needs that instance's availability_zone")
        return self


class Vpc(_Base):
    """A VPC with public/private subnets over AZs. Flow logs on; internet gateway only with public subnets."""

    kind: Literal["vpc"] = "vpc"
    cidr: str = Field(default="10.0.0.0/16", description="IPv4 CIDR, /16 to /24")
    az_count: int = Field(default=2, ge=1, le=6, description="availability zones to spread subnets over")
    public_subnets: int = Field(default=0, ge=0, le=6, description="number of public subnets, one per AZ")
    private_subnets: int = Field(default=2, ge=0, le=6, description="number of private subnets, one per AZ")
    nat_gateway: Literal["none", "single", "per_az"] = Field(
        default="none", description="NAT for private subnets: none, one shared, or one per AZ (needs public subnets)"
    )
    vpc_endpoints: list[GatewayEndpoint] = Field(
        default_factory=list, max_length=2, description="gateway endpoints (s3, dynamodb) on the private routes"
    )
    network_acls: Literal["default", "tiered"] = Field(
        default="default", description="tiered: public allows 80/443 + ephemeral in; private allows the VPC only"
    )
    vpn: VpnConnection | None = Field(default=None, description="site-to-site VPN to your network")
    flow_logs: bool = Field(default=True, description="VPC flow logs to CloudWatch Logs")
    flow_logs_retention_days: int = Field(default=365, ge=1, le=3653)

    @field_validator("cidr")
    @classmethod
    def _cidr_ok(cls, value: str) -> str:
        return check_cidr(value, 16, 24)

    @model_validator(mode="after")
    def _layout_ok(self) -> Vpc:
        if max(self.public_subnets, self.private_subnets) > self.az_count:
            raise ValueError("at most one public and one private subnet per AZ: raise az_count or lower the counts")
        if self.nat_gateway != "none" and (self.public_subnets == 0 or self.private_subnets == 0):
            raise ValueError("a NAT gateway needs public subnets (to live in) and private subnets (to serve)")
        if self.nat_gateway == "per_az" and self.public_subnets < self.private_subnets:
            raise ValueError("nat_gateway per_az needs a public subnet in every AZ with a private subnet")
        if self.public_subnets + self.private_subnets == 0:
            raise ValueError("a VPC needs at least one subnet")
        return self


class RdsInstance(_Base):
    """An RDS database. Secure by default: private, encrypted, multi-AZ, deletion protection, snapshot on delete."""

    kind: Literal["rds_instance"] = "rds_instance"
    engine: Literal["postgres", "mysql", "mariadb"] = "postgres"
    engine_version: str | None = Field(
        default=None, pattern=r"^\d+(\.\d+){0,2}$", description="absent: a current version of the engine"
    )
    instance_class: str = Field(default="db.t4g.micro", pattern=r"^db\.[a-z0-9]+\.[a-z0-9]+$")
    storage_gb: int = Field(default=20, ge=20, le=65536)
    storage_type: Literal["gp3", "gp2", "io1", "io2"] = "gp3"
    iops: int | None = Field(default=None, ge=1000, le=256000, description="provisioned IOPS (io1/io2)")
    multi_az: bool = True
    read_replicas: int = Field(default=0, ge=0, le=5)
    backup_retention_days: int = Field(default=7, ge=1, le=35)
    backup_window: str = Field(default="03:00-04:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
    maintenance_window: str = Field(
        default="sun:04:30-sun:05:30", pattern=r"^([a-z]{3}):\d\d:\d\d-([a-z]{3}):\d\d:\d\d$", description="weekly, UTC"
    )
    parameters: dict[str, str] = Field(default_factory=dict, max_length=100, description="-> DB parameter group")
    options: list[DbOption] = Field(default_factory=list, max_length=20, description="-> option group (mysql/mariadb)")
    vpc_ref: Ref | None = Field(default=None, description="vpc in this spec; the DB subnet group is its private tier")
    security_group_refs: list[Ref] = Field(default_factory=list, max_length=5)
    subnet_ids: list[SubnetId] = Field(default_factory=list, max_length=16, description="new DB subnet group of these")
    db_subnet_group_name: str | None = Field(
        default=None, pattern=r"^[a-z0-9][a-z0-9_ .-]{0,254}$", description="an existing DB subnet group, by name"
    )
    security_group_ids: list[SecurityGroupId] = Field(default_factory=list, max_length=5, description="existing, by id")
    database_name: str | None = Field(default=None, pattern=r"^[A-Za-z][A-Za-z0-9_]{0,62}$")
    master_username: str = Field(default="dbadmin", pattern=r"^[A-Za-z][A-Za-z0-9_]{0,15}$")
    deletion_protection: bool = True
    storage_encrypted: bool = True
    kms_key_arn: KmsKey | None = Field(default=None, description="KMS key (ARN, alias ARN or alias/...) for storage")

    @model_validator(mode="after")
    def _options_ok(self) -> RdsInstance:
        if self.options and self.engine == "postgres":
            raise ValueError("option groups have no options for postgres; use parameters instead")
        if self.storage_type in ("io1", "io2") and self.iops is None:
            raise ValueError(f"storage_type {self.storage_type} needs iops")
        if sum(map(bool, (self.vpc_ref, self.subnet_ids, self.db_subnet_group_name))) > 1:
            raise ValueError("place the database by one of vpc_ref, subnet_ids or db_subnet_group_name")
        return self


class LambdaFunction(_Base):
    """A Lambda function with its own least-privilege role, log group, X-Ray tracing and triggers."""

    kind: Literal["lambda_function"] = "lambda_function"
    runtime: Literal["python3.12", "python3.11", "nodejs20.x", "nodejs18.x", "java21", "provided.al2023"] = "python3.12"
    handler: str = Field(default="index.handler", pattern=r"^[A-Za-z0-9_.$:/-]{1,128}$")
    memory_mb: int = Field(default=256, ge=128, le=10240)
    timeout_s: int = Field(default=30, ge=1, le=900)
    architecture: Literal["x86_64", "arm64"] = "arm64"
    environment: dict[str, str] = Field(default_factory=dict, max_length=50, description="environment variables")
    code: LambdaCode = Field(description="S3 object or inline source")
    triggers: list[LambdaTrigger] = Field(default_factory=list, max_length=10)
    permissions: list[LambdaPermission] = Field(default_factory=list, max_length=20, description="least privilege")
    reserved_concurrency: int | None = Field(default=None, ge=0, le=1000)
    vpc_ref: Ref | None = Field(default=None, description="vpc in this spec: runs in its private subnets")
    security_group_refs: list[Ref] = Field(default_factory=list, max_length=5)
    subnet_ids: list[SubnetId] = Field(default_factory=list, max_length=16, description="existing subnets (VpcConfig)")
    security_group_ids: list[SecurityGroupId] = Field(default_factory=list, max_length=5, description="existing, by id")
    log_retention_days: int = Field(default=365, ge=1, le=3653)

    @field_validator("environment")
    @classmethod
    def _env_ok(cls, value: dict[str, str]) -> dict[str, str]:
        for key in value:
            if not re.match(r"^[A-Za-z][A-Za-z0-9_]{0,127}$", key) or key.startswith("AWS_"):
                raise ValueError(f"environment variable name {key!r} is not allowed")
        return value

    @model_validator(mode="after")
    def _one_vpc(self) -> LambdaFunction:
        if self.vpc_ref and self.subnet_ids:
            raise ValueError("run the function in a VPC of this spec or in existing subnets by id, not both")
        return self


class IamRole(_Base):
    """An IAM role assumed by named AWS services, with least-privilege inline statements and managed policies."""

    kind: Literal["iam_role"] = "iam_role"
    assumed_by: list[ServicePrincipal] = Field(min_length=1, max_length=10, description="service principals")
    statements: list[PolicyStatement] = Field(default_factory=list, max_length=50)
    policy_refs: list[Ref] = Field(default_factory=list, max_length=10, description="iam_policy names to attach")
    aws_managed_policies: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9+=,.@_/-]{1,128}$")]] = Field(
        default_factory=list, max_length=10, description="AWS managed policy names, e.g. AmazonSSMManagedInstanceCore"
    )
    max_session_hours: int = Field(default=1, ge=1, le=12)
    description: str = Field(default="managed by devops-gate", max_length=1000)

    @field_validator("aws_managed_policies")
    @classmethod
    def _no_admin(cls, value: list[str]) -> list[str]:
        for name in value:
            if name.split("/")[-1] in ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess"):
                raise ValueError(f"managed policy {name!r} is refused (least privilege)")
        return value


class IamUser(_Base):
    """An IAM user: permissions come from groups only; no access keys or console password are created."""

    kind: Literal["iam_user"] = "iam_user"
    group_refs: list[Ref] = Field(default_factory=list, max_length=10, description="iam_group names")


class IamGroup(_Base):
    kind: Literal["iam_group"] = "iam_group"
    statements: list[PolicyStatement] = Field(default_factory=list, max_length=50)
    policy_refs: list[Ref] = Field(default_factory=list, max_length=10, description="iam_policy names to attach")


class IamPolicy(_Base):
    """A customer managed policy: named actions on named resources."""

    kind: Literal["iam_policy"] = "iam_policy"
    description: str = Field(default="managed by devops-gate", max_length=1000)
    statements: list[PolicyStatement] = Field(min_length=1, max_length=50)
    existing_roles: list[Annotated[str, Field(pattern=r"^[\w+=,.@-]{1,64}$")]] = Field(
        default_factory=list, max_length=10, description="existing IAM roles (by name) the policy is attached to"
    )


class CloudwatchAlarm(_Base):
    """A metric alarm on a resource in this spec (target_ref) or on explicit dimensions, notifying an SNS topic."""

    kind: Literal["cloudwatch_alarm"] = "cloudwatch_alarm"
    namespace: str = Field(default="AWS/EC2", pattern=r"^[A-Za-z0-9/._#:-]{1,255}$")
    metric: str = Field(default="CPUUtilization", pattern=r"^[A-Za-z0-9._/#:-]{1,255}$")
    statistic: Literal["Average", "Sum", "Minimum", "Maximum", "SampleCount"] = "Average"
    comparison: Literal[
        "GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"
    ] = "GreaterThanThreshold"
    threshold: float = 80.0
    period_s: int = Field(default=300, ge=10, le=86400)
    evaluation_periods: int = Field(default=2, ge=1, le=100)
    dimensions: dict[str, str] = Field(default_factory=dict, max_length=30)
    target_ref: Ref | None = Field(default=None, description="resource in this spec the metric is about")
    alarm_topic_ref: Ref | None = Field(default=None, description="sns_topic notified on ALARM and OK")
    alarm_topic_arns: list[Arn] = Field(default_factory=list, max_length=5, description="existing SNS topics, by ARN")
    treat_missing_data: Literal["missing", "breaching", "notBreaching", "ignore"] = "missing"

    @field_validator("period_s")
    @classmethod
    def _period_ok(cls, value: int) -> int:
        if value not in (10, 30) and value % 60:
            raise ValueError("period_s must be 10, 30 or a multiple of 60")
        return value


class LogGroup(_Base):
    kind: Literal["log_group"] = "log_group"
    log_group_name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_./#-]{1,512}$")
    retention_days: Literal[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                            2922, 3288, 3653] = 365  # fmt: skip
    kms_key_arn: Arn | None = Field(default=None, description="KMS key for the logs (the key policy must allow logs)")


class SqsQueue(_Base):
    """An SQS queue, encrypted, with an optional dead-letter queue."""

    kind: Literal["sqs_queue"] = "sqs_queue"
    fifo: bool = False
    content_based_deduplication: bool = False
    visibility_timeout_s: int = Field(default=30, ge=0, le=43200)
    retention_s: int = Field(default=345600, ge=60, le=1209600)
    delay_s: int = Field(default=0, ge=0, le=900)
    dead_letter: DeadLetter | None = Field(default_factory=DeadLetter, description="DLQ redrive; null: none")
    kms_key_arn: KmsKey | None = Field(default=None, description="absent: the AWS managed key alias/aws/sqs")


class SnsTopic(_Base):
    kind: Literal["sns_topic"] = "sns_topic"
    display_name: str | None = Field(default=None, max_length=100)
    fifo: bool = False
    subscriptions: list[Subscription] = Field(default_factory=list, max_length=50)
    kms_key_arn: KmsKey | None = Field(default=None, description="absent: the AWS managed key alias/aws/sns")


class DynamodbTable(_Base):
    """A DynamoDB table: KMS-encrypted, point-in-time recovery, retained on delete."""

    kind: Literal["dynamodb_table"] = "dynamodb_table"
    partition_key: KeyAttribute
    sort_key: KeyAttribute | None = None
    billing_mode: Literal["PAY_PER_REQUEST", "PROVISIONED"] = "PAY_PER_REQUEST"
    read_capacity: int = Field(default=5, ge=1, le=40000, description="PROVISIONED only")
    write_capacity: int = Field(default=5, ge=1, le=40000, description="PROVISIONED only")
    point_in_time_recovery: bool = True
    ttl_attribute: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{1,255}$")
    stream: Literal["none", "KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"] = "none"
    kms_key_arn: KmsKey | None = Field(default=None, description="absent: the AWS managed key alias/aws/dynamodb")
    deletion_protection: bool = True


class ElasticacheCluster(_Base):
    """An ElastiCache replication group (Valkey or Redis OSS): private, encrypted at rest and in transit, Multi-AZ
    with automatic failover when it has a replica, daily snapshots, a snapshot kept on delete."""

    kind: Literal["elasticache_cluster"] = "elasticache_cluster"
    engine: Literal["valkey", "redis"] = "valkey"
    engine_version: str | None = Field(default=None, pattern=r"^\d+\.\d+$", description="absent: valkey 8.0, redis 7.1")
    node_type: str = Field(default="cache.t4g.micro", pattern=r"^cache\.[a-z0-9]+\.[a-z0-9]+$")
    replicas: int = Field(default=1, ge=0, le=5, description="read replicas; one or more: Multi-AZ, automatic failover")
    snapshot_retention_days: int = Field(default=7, ge=0, le=35, description="0: no automatic snapshots")
    vpc_ref: Ref | None = Field(default=None, description="vpc in this spec; the cache subnets are its private tier")
    security_group_refs: list[Ref] = Field(default_factory=list, max_length=5)
    kms_key_arn: KmsKey | None = Field(default=None, description="absent: the AWS managed key for ElastiCache")


ResourceSpec = Annotated[
    S3Bucket
    | Ec2Instance
    | SecurityGroup
    | EbsVolume
    | Vpc
    | RdsInstance
    | LambdaFunction
    | IamRole
    | IamUser
    | IamGroup
    | IamPolicy
    | CloudwatchAlarm
    | LogGroup
    | SqsQueue
    | SnsTopic
    | DynamodbTable
    | ElasticacheCluster,
    Field(discriminator="kind"),
]


class Assumption(BaseModel):
    """A default the interpreter chose that the reviewer may want to change."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    resource: str | None = None
    field: str
    value: str
    reason: str


class Reading(BaseModel):
    """One phrase of the request and what it became: the span (character offsets in the normalised request, one
    space between words), the resource it was read into, the field, and the value that field carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = Field(max_length=500)
    resource: str | None = Field(default=None, description="spec resource name (none: the whole change)")
    field: str = Field(max_length=100, description="spec field, 'resource' / 'reference' for a noun")
    value: str = Field(max_length=200)


class OptionConsidered(BaseModel):
    """One architecture weighed for a business-level request ("somewhere to store campaign images")."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str = Field(max_length=120)
    chosen: bool = False
    pros: list[str] = Field(default_factory=list, max_length=6)
    cons: list[str] = Field(default_factory=list, max_length=6)
    monthly_usd: float | None = Field(default=None, ge=0, description="rough monthly cost; null when not estimated")
    cost_basis: str = Field(default="", max_length=300, description="where the cost figure comes from")


class ChangeSpec(BaseModel):
    """What the change request asks for, as typed resources."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    summary: str = Field(max_length=500, description="One sentence that says what the change does.")
    resources: list[ResourceSpec] = Field(min_length=1, max_length=200)
    assumptions: list[Assumption] = Field(default_factory=list)
    options_considered: list[OptionConsidered] = Field(
        default_factory=list, max_length=5, description="architectures weighed for a business-level request"
    )
    readings: list[Reading] = Field(
        default_factory=list,
        max_length=2000,
        description="each phrase of the request and the resource field it became (what the comment shows as Read as)",
    )

    @field_validator("resources")
    @classmethod
    def _unique_names(cls, value: list[ResourceSpec]) -> list[ResourceSpec]:
        seen: set[str] = set()
        for res in value:
            if res.name in seen:
                raise ValueError(f"two resources are named {res.name!r}; names must be unique")
            seen.add(res.name)
        return value
