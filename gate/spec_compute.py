"""Resource kinds for compute and the network: EC2 (instances, security groups, EBS volumes), VPC, Lambda.

Part of the typed change spec; ``gate/spec.py`` gathers every kind into ``ResourceSpec`` and re-exports it.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from gate.spec_base import _Base
from gate.spec_events import (
    FunctionUrl,
    LambdaAlias,
    LambdaCode,
    LambdaTrigger,
)
from gate.spec_parts import (
    Arn,
    GatewayEndpoint,
    InstanceId,
    KmsKey,
    LambdaPermission,
    Ref,
    SecurityGroupId,
    SecurityGroupRule,
    SnapshotId,
    SubnetBlock,
    SubnetId,
    SubnetRef,
    VpcId,
    VpnConnection,
    ZoneName,
    check_cidr,
)

AL2023_X86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
AL2023_ARM = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
RoleArn = Annotated[
    str,
    Field(pattern=r"^arn:aws[a-z-]*:iam::\d{12}:role/[A-Za-z0-9+=,.@/_-]+$", max_length=2048, description="role ARN"),
]
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
    ami_id: str | None = Field(
        default=None, pattern=r"^ami-[0-9a-f]{8,17}$", description="this AMI, by id (instead of ami_ssm_parameter)"
    )
    termination_protection: bool = Field(default=False, description="DisableApiTermination")
    instance_names: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")]] = Field(
        default_factory=list, max_length=50, description="each instance's Name tag, in order; absent: <name>-<i>"
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
        if self.instance_names and len(self.instance_names) != self.count:
            raise ValueError(f"{len(self.instance_names)} instance names given for {self.count} instances")
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
    public_subnet_blocks: list[SubnetBlock] = Field(
        default_factory=list, max_length=6, description="public subnets' CIDRs and zones as asked; absent: computed"
    )
    private_subnet_blocks: list[SubnetBlock] = Field(
        default_factory=list, max_length=6, description="private subnets' CIDRs and zones as asked; absent: computed"
    )
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
        net = ipaddress.IPv4Network(self.cidr)
        blocks = [*self.public_subnet_blocks, *self.private_subnet_blocks]
        for tier, given, count in (
            ("public", self.public_subnet_blocks, self.public_subnets),
            ("private", self.private_subnet_blocks, self.private_subnets),
        ):
            if given and len(given) != count:
                raise ValueError(f"{len(given)} {tier} subnet blocks given for {count} {tier} subnets")
        for block in blocks:
            if not ipaddress.IPv4Network(block.cidr).subnet_of(net):
                raise ValueError(f"subnet {block.cidr} is not inside the VPC's range {self.cidr}")
        nets = [ipaddress.IPv4Network(b.cidr) for b in blocks]
        if any(a.overlaps(b) for i, a in enumerate(nets) for b in nets[i + 1 :]):
            raise ValueError("the subnets' CIDR blocks overlap")
        return self


# the runtimes Lambda offers (nodejs20.x / nodejs18.x are deprecated but still accepted for updates and creates)
LambdaRuntime = Literal[
    "python3.14", "python3.13", "python3.12", "python3.11", "nodejs24.x", "nodejs22.x", "nodejs20.x", "nodejs18.x",
    "java25", "java21", "java17", "java11", "dotnet10", "ruby3.4", "ruby3.3", "provided.al2023",
]  # fmt: skip


class LambdaFunction(_Base):
    """A Lambda function with its own least-privilege role (or an existing one), log group, X-Ray tracing and
    triggers; optionally a function URL and a published version behind an alias."""

    kind: Literal["lambda_function"] = "lambda_function"
    runtime: LambdaRuntime = "python3.12"
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
    role_arn: RoleArn | None = Field(
        default=None, description="an existing execution role: used as it is, no role is created"
    )
    dead_letter_arn: Arn | None = Field(
        default=None, description="existing SQS queue or SNS topic for failed asynchronous invocations"
    )
    url: FunctionUrl | None = Field(default=None, description="a function URL (AWS::Lambda::Url)")
    alias: LambdaAlias | None = Field(default=None, description="publish a version and point this alias at it")

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
        if self.role_arn and self.permissions:
            raise ValueError("an existing role (role_arn) keeps its own permissions: grant them on that role")
        if self.dead_letter_arn and not re.match(r"^arn:aws[a-z-]*:(?:sqs|sns):", self.dead_letter_arn):
            raise ValueError("dead_letter_arn must be an SQS queue or SNS topic ARN")
        return self
