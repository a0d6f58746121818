"""The typed change spec: what a change request asks for, independent of CloudFormation or Terraform.

Every resource kind the gate can build is one model, told apart by its ``kind`` field; the union
``ResourceSpec`` here is what interpreters produce and synthesisers consume (``gate/synth/registry.py`` maps each
kind to its synthesiser).  References between resources are by ``name`` (fields ending in ``_ref``).
The JSON schema of :class:`ChangeSpec` is what an LLM is asked to fill, so every field is described and
bounded: nothing outside this schema can reach the synthesisers.

The kinds are defined by group, on the base in ``gate/spec_base.py``: ``gate/spec_compute.py`` (EC2, VPC,
Lambda), ``gate/spec_data.py`` (S3, RDS, DynamoDB, ElastiCache, SQS, SNS), ``gate/spec_ops.py`` (IAM,
CloudWatch); their parts are in ``gate/spec_parts.py``.  This module builds the union and :class:`ChangeSpec`
and re-exports every one of those names, so ``from gate.spec import X`` finds every spec type.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from gate.spec_bucket import CorsRule, ObjectLock
from gate.spec_compute import (
    AL2023_ARM,
    AL2023_X86,
    EbsVolume,
    Ec2Instance,
    LambdaFunction,
    SecurityGroup,
    VolumeType,
    Vpc,
    is_graviton,
)
from gate.spec_data import (
    BUCKET_RE,
    DynamodbTable,
    ElasticacheCluster,
    RdsCluster,
    RdsInstance,
    RdsReadReplica,
    S3Bucket,
    SnsTopic,
    SqsQueue,
)
from gate.spec_events import (
    DeadLetter,
    FunctionUrl,
    KeyAttribute,
    LambdaAlias,
    LambdaCode,
    LambdaTrigger,
    S3Trigger,
    ScheduleTrigger,
    SecondaryIndex,
    SqsTrigger,
    StreamTrigger,
    Subscription,
)
from gate.spec_network import FlowTraffic, NaclRule, NetworkParts, RouteTableId
from gate.spec_ops import CloudwatchAlarm, IamGroup, IamPolicy, IamRole, IamUser, LogGroup, LogMetricFilter
from gate.spec_parts import (
    NAME_RE,
    Arn,
    BucketPolicyStatement,
    DbOption,
    ExistingResource,
    GatewayEndpoint,
    InstanceId,
    KmsKey,
    LambdaPermission,
    LifecycleRule,
    LifecycleTransition,
    OidcTrust,
    PolicyStatement,
    Ref,
    RegionName,
    SecurityGroupId,
    SecurityGroupRule,
    ServicePrincipal,
    SnapshotId,
    StorageClass,
    SubnetBlock,
    SubnetId,
    SubnetRef,
    VpcId,
    VpnConnection,
    ZoneName,
    check_cidr,
)

# The kinds and the parts they are built from, re-exported so `from gate.spec import X` finds every spec type.
__all__ = [
    "AL2023_ARM",
    "AL2023_X86",
    "BUCKET_RE",
    "NAME_RE",
    "Arn",
    "Assumption",
    "BucketPolicyStatement",
    "ChangeSpec",
    "CloudwatchAlarm",
    "CorsRule",
    "DbOption",
    "DeadLetter",
    "DynamodbTable",
    "EbsVolume",
    "Ec2Instance",
    "ElasticacheCluster",
    "ExistingResource",
    "FlowTraffic",
    "FunctionUrl",
    "GatewayEndpoint",
    "IamGroup",
    "IamPolicy",
    "IamRole",
    "IamUser",
    "InstanceId",
    "KeyAttribute",
    "KmsKey",
    "LambdaAlias",
    "LambdaCode",
    "LambdaFunction",
    "LambdaPermission",
    "LambdaTrigger",
    "LifecycleRule",
    "LifecycleTransition",
    "LogGroup",
    "LogMetricFilter",
    "NaclRule",
    "NetworkParts",
    "ObjectLock",
    "OidcTrust",
    "OptionConsidered",
    "PolicyStatement",
    "RdsCluster",
    "RdsInstance",
    "RdsReadReplica",
    "Reading",
    "Ref",
    "RegionName",
    "ResourceSpec",
    "RouteTableId",
    "S3Bucket",
    "S3Trigger",
    "ScheduleTrigger",
    "SecondaryIndex",
    "SecurityGroup",
    "SecurityGroupId",
    "SecurityGroupRule",
    "ServicePrincipal",
    "SnapshotId",
    "SnsTopic",
    "SqsQueue",
    "SqsTrigger",
    "StorageClass",
    "StreamTrigger",
    "SubnetBlock",
    "SubnetId",
    "SubnetRef",
    "Subscription",
    "VolumeType",
    "Vpc",
    "VpcId",
    "VpnConnection",
    "ZoneName",
    "check_cidr",
    "is_graviton",
]


ResourceSpec = Annotated[
    S3Bucket
    | Ec2Instance
    | SecurityGroup
    | EbsVolume
    | Vpc
    | NetworkParts
    | RdsInstance
    | RdsReadReplica
    | RdsCluster
    | LambdaFunction
    | IamRole
    | IamUser
    | IamGroup
    | IamPolicy
    | CloudwatchAlarm
    | LogGroup
    | LogMetricFilter
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
    space between words; for a refinement's phrases, in that refinement), the resource it was read into, the field,
    and the value that field carries."""

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
    resources: list[ResourceSpec] = Field(default_factory=list, max_length=200)
    answer: str | None = Field(
        default=None,
        max_length=1000,
        description="a request that asks for no infrastructure change (list or upload objects, a question): why "
        "nothing is built and what to do instead; the spec then has no resources",
    )
    assumptions: list[Assumption] = Field(default_factory=list)
    options_considered: list[OptionConsidered] = Field(
        default_factory=list, max_length=5, description="architectures weighed for a business-level request"
    )
    readings: list[Reading] = Field(
        default_factory=list,
        max_length=2000,
        description="each phrase of the request and the resource field it became (what the comment shows as Read as)",
    )

    @model_validator(mode="after")
    def _something(self) -> ChangeSpec:
        if not self.resources and not self.answer:
            raise ValueError("a change spec needs resources (at least one), or an answer saying why there are none")
        return self

    @field_validator("resources")
    @classmethod
    def _unique_names(cls, value: list[ResourceSpec]) -> list[ResourceSpec]:
        seen: set[str] = set()
        for res in value:
            if res.name in seen:
                raise ValueError(f"two resources are named {res.name!r}; names must be unique")
            seen.add(res.name)
        return value
