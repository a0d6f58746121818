"""Building blocks of the resource kinds in :mod:`gate.spec`: rules, statements, triggers, keys.

The kinds themselves (what an interpreter produces and a synthesiser consumes) stay in ``gate/spec.py``;
this module holds the nested, bounded pieces they are made of, and the validators they share.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
NAME_RE = re.compile(NAME_PATTERN)

Ref = Annotated[str, Field(pattern=NAME_PATTERN, description="name of another resource in this spec")]
SubnetRef = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9-]{0,62}:(public|private)$",
        description="a vpc in this spec and its subnet tier, '<vpc-name>:private' or '<vpc-name>:public'",
    ),
]
# resources outside this change, by their AWS id ('subnet-0abc1234def567890'): used where AWS takes an id
SubnetId = Annotated[str, Field(pattern=r"^subnet-[0-9a-f]{8,17}$", description="an existing subnet, by id")]
SecurityGroupId = Annotated[str, Field(pattern=r"^sg-[0-9a-f]{8,17}$", description="an existing security group, by id")]
VpcId = Annotated[str, Field(pattern=r"^vpc-[0-9a-f]{8,17}$", description="an existing VPC, by id")]
InstanceId = Annotated[str, Field(pattern=r"^i-[0-9a-f]{8,17}$", description="an existing EC2 instance, by id")]
SnapshotId = Annotated[str, Field(pattern=r"^snap-[0-9a-f]{8,17}$", description="an existing EBS snapshot, by id")]
RegionName = Annotated[str, Field(pattern=r"^[a-z]{2}(?:-[a-z]+)+-\d$", description="AWS Region, e.g. eu-west-1")]
ZoneName = Annotated[str, Field(pattern=r"^[a-z]{2}(?:-[a-z]+)+-\d[a-z]$", description="availability zone")]
# IAM actions are named one by one: 'service:Action', no wildcards anywhere (least privilege).
Action = Annotated[str, Field(pattern=r"^[a-z0-9-]+:[A-Za-z0-9]+$", description="IAM action, e.g. s3:GetObject")]
Arn = Annotated[
    str,
    Field(pattern=r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$", max_length=2048, description="an ARN"),
]

# a customer managed KMS key by ARN, alias ARN or alias name (services that take a key id accept all three)
KmsKey = Annotated[
    str,
    Field(
        pattern=r"^(?:arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key|alias)/[A-Za-z0-9/_-]+|alias/[A-Za-z0-9/_-]+)$",
        max_length=2048,
        description="KMS key ARN, alias ARN or alias name (alias/...)",
    ),
]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_cidr(value: str, min_prefix: int = 0, max_prefix: int = 32) -> str:
    try:
        net = ipaddress.IPv4Network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block such as 10.0.0.0/16 ({exc})") from None
    if not min_prefix <= net.prefixlen <= max_prefix:
        raise ValueError(f"CIDR {value!r} must have a prefix between /{min_prefix} and /{max_prefix}")
    return value


# --- S3 ---------------------------------------------------------------------------------------------------

StorageClass = Literal["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"]


class LifecycleTransition(Part):
    days: int = Field(ge=0, le=36500, description="days after creation")
    storage_class: StorageClass = Field(description="storage class to move objects to")


class LifecycleRule(Part):
    id: str = Field(default="rule", max_length=255, description="rule id")
    prefix: str | None = Field(default=None, max_length=1024, description="only objects under this prefix")
    expiration_days: int | None = Field(default=None, ge=1, le=36500, description="delete objects after N days")
    transitions: list[LifecycleTransition] = Field(default_factory=list, max_length=10)
    noncurrent_expiration_days: int | None = Field(
        default=None, ge=1, le=36500, description="delete old versions N days after they stop being current"
    )
    abort_incomplete_multipart_days: int | None = Field(default=7, ge=1, le=365)


class BucketPolicyStatement(Part):
    """Grant (or deny) named S3 actions on this bucket to named principals; never to everyone."""

    sid: str = Field(pattern=r"^[A-Za-z0-9]{1,64}$", description="statement id")
    effect: Literal["Allow", "Deny"] = "Allow"
    actions: list[Annotated[str, Field(pattern=r"^s3:[A-Za-z0-9]+$")]] = Field(
        min_length=1, max_length=20, description="named S3 actions, e.g. s3:GetObject"
    )
    principal_arns: list[Arn] = Field(default_factory=list, max_length=20, description="IAM principals (ARNs)")
    principal_role_refs: list[Ref] = Field(default_factory=list, max_length=20, description="iam_role names")
    prefix: str | None = Field(
        default=None, max_length=1024, description="objects under this key prefix; absent: the whole bucket"
    )

    @model_validator(mode="after")
    def _has_principal(self) -> BucketPolicyStatement:
        if not self.principal_arns and not self.principal_role_refs:
            raise ValueError(f"bucket policy statement {self.sid!r} names no principal (public access is refused)")
        return self


# --- EC2 / VPC --------------------------------------------------------------------------------------------


class SecurityGroupRule(Part):
    """One ingress or egress rule: protocol and port range, to/from a CIDR or another security group."""

    protocol: Literal["tcp", "udp", "icmp", "all"] = "tcp"
    from_port: int | None = Field(default=None, ge=-1, le=65535, description="first port (tcp/udp)")
    to_port: int | None = Field(default=None, ge=-1, le=65535, description="last port; default: from_port")
    cidr: str | None = Field(default=None, description="IPv4 CIDR of the peer")
    source_group_ref: Ref | None = Field(default=None, description="security_group in this spec as the peer")
    source_group_id: SecurityGroupId | None = Field(default=None, description="an existing security group as the peer")
    description: str = Field(
        default="managed by devops-gate", max_length=255, pattern=r"^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$"
    )

    @field_validator("cidr")
    @classmethod
    def _cidr_ok(cls, value: str | None) -> str | None:
        return None if value is None else check_cidr(value)

    @model_validator(mode="after")
    def _peer_and_ports(self) -> SecurityGroupRule:
        if sum(p is not None for p in (self.cidr, self.source_group_ref, self.source_group_id)) != 1:
            raise ValueError("a security group rule needs exactly one of cidr, source_group_ref or source_group_id")
        if self.protocol in ("tcp", "udp") and self.from_port is None:
            raise ValueError(f"a {self.protocol} rule needs from_port")
        if self.from_port is not None and self.to_port is not None and self.to_port < self.from_port:
            raise ValueError("to_port must not be below from_port")
        return self

    @property
    def ports(self) -> tuple[int, int]:
        if self.protocol == "all":
            return (-1, -1)
        first = self.from_port if self.from_port is not None else -1
        return (first, self.to_port if self.to_port is not None else first)


_INTERNAL = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")


class VpnConnection(Part):
    """A site-to-site VPN: customer gateway (your side) + virtual private gateway (AWS side)."""

    customer_gateway_ip: str = Field(description="public IPv4 address of your VPN device")
    bgp_asn: int = Field(default=65000, ge=1, le=4294967294, description="BGP ASN of your device")
    static_routes: list[str] = Field(
        default_factory=list, max_length=50, description="your networks (CIDRs); empty: routes come from BGP"
    )

    @field_validator("customer_gateway_ip")
    @classmethod
    def _ip_ok(cls, value: str) -> str:
        try:
            addr = ipaddress.IPv4Address(value)
        except ValueError:
            raise ValueError(f"{value!r} is not an IPv4 address") from None
        internal = any(addr in ipaddress.IPv4Network(n) for n in _INTERNAL)
        if internal or addr.is_loopback or addr.is_link_local or addr.is_multicast or addr.is_unspecified:
            raise ValueError(f"customer gateway address {value!r} must be a public IPv4 address")
        return value

    @field_validator("static_routes")
    @classmethod
    def _routes_ok(cls, value: list[str]) -> list[str]:
        return [check_cidr(v) for v in value]


GatewayEndpoint = Literal["s3", "dynamodb"]


class SubnetBlock(Part):
    """One subnet's CIDR block as the request gives it, and its availability zone when named."""

    cidr: str = Field(description="IPv4 CIDR of the subnet, /16 to /28, inside its VPC's range")
    availability_zone: ZoneName | None = Field(default=None, description="absent: the tier's i-th zone of the region")

    @field_validator("cidr")
    @classmethod
    def _cidr_ok(cls, value: str) -> str:
        return check_cidr(value, 16, 28)


# --- RDS --------------------------------------------------------------------------------------------------


class DbOption(Part):
    """One option of an RDS option group (e.g. MARIADB_AUDIT_PLUGIN) with its settings."""

    name: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,63}$", description="option name")
    settings: dict[str, str] = Field(default_factory=dict, max_length=30, description="option settings")


# --- IAM --------------------------------------------------------------------------------------------------


def reject_wildcard_actions(value: object) -> object:
    """'*', '*:*', 's3:*', 's3:Get*' are refused with a message that says why (before the pattern check)."""
    for action in value if isinstance(value, list) else []:
        if isinstance(action, str) and "*" in action:
            raise ValueError(f"action {action!r} uses a wildcard; name each action (least privilege)")
    return value


ExistingKind = Literal["s3_bucket", "dynamodb_table", "sqs_queue", "sns_topic"]
# What names each kind accepts (AWS's rules); never '*', '$' or '/': the name goes into an ARN as it is.
_EXISTING_NAME = {
    "s3_bucket": r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
    "dynamodb_table": r"^[A-Za-z0-9_.-]{3,255}$",
    "sqs_queue": r"^[A-Za-z0-9_-]{1,80}(\.fifo)?$",
    "sns_topic": r"^[A-Za-z0-9_-]{1,256}(\.fifo)?$",
}


class ExistingResource(Part):
    """A resource outside this change, named by kind and name (no account id needed): synthesis writes its ARN
    from the stack's own partition, region and account (a bucket: its ARN and its objects')."""

    kind: ExistingKind
    name: str = Field(min_length=1, max_length=256, description="its name in this account and region")
    indexes: bool = Field(default=False, description="dynamodb_table: also its indexes (<table ARN>/index/*)")

    @model_validator(mode="after")
    def _name_ok(self) -> ExistingResource:
        if not re.match(_EXISTING_NAME[self.kind], self.name):
            raise ValueError(f"{self.name!r} is not a valid {self.kind.replace('_', ' ')} name")
        if self.indexes and self.kind != "dynamodb_table":
            raise ValueError("indexes applies to a dynamodb_table only")
        return self


class _Grant(Part):
    """Named actions on named resources: ARNs, resources in this spec, or existing ones by kind and name."""

    actions: list[Action] = Field(min_length=1, max_length=50, description="named actions; wildcards refused")
    resources: list[Arn] = Field(default_factory=list, max_length=50, description="ARNs (no '*')")
    resource_refs: list[Ref] = Field(default_factory=list, max_length=50, description="resources in this spec")
    existing: list[ExistingResource] = Field(
        default_factory=list, max_length=20, description="resources outside this change, by kind and name"
    )

    @field_validator("actions", mode="before")
    @classmethod
    def _no_wildcards(cls, value: object) -> object:
        return reject_wildcard_actions(value)

    @field_validator("resources", mode="before")
    @classmethod
    def _no_star_resource(cls, value: object) -> object:
        for arn in value if isinstance(value, list) else []:
            if arn == "*":
                raise ValueError("resource '*' is refused; name the resources (ARNs or resource_refs)")
        return value

    @model_validator(mode="after")
    def _has_resources(self) -> Self:
        if not self.resources and not self.resource_refs and not self.existing:
            raise ValueError("a policy statement needs resources, resource_refs or existing")
        return self


class PolicyStatement(_Grant):
    """Least privilege: named actions on named resources (ARNs or resources in this spec)."""

    sid: str | None = Field(default=None, pattern=r"^[A-Za-z0-9]{1,64}$")
    effect: Literal["Allow", "Deny"] = "Allow"


class LambdaPermission(_Grant):
    """What the function may do: named actions on resources in this spec (or ARNs)."""

    def statement(self) -> PolicyStatement:
        return PolicyStatement(
            actions=self.actions, resources=self.resources, resource_refs=self.resource_refs, existing=self.existing
        )


class OidcTrust(Part):
    """Web identity federation: tokens of an existing OIDC provider whose subject matches may assume the role."""

    provider_arn: str = Field(
        pattern=r"^(?:arn:aws[a-z-]*:iam::\d{12}:oidc-provider/[A-Za-z0-9./_-]+|[A-Za-z0-9./_-]+)$",
        description="the provider's ARN, or its host (an existing provider of the stack's own account)",
    )
    audience: str = Field(default="sts.amazonaws.com", max_length=255, description="the token's aud")
    subjects: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:/*@=+-]{1,255}$")]] = Field(
        min_length=1, max_length=20, description="allowed token sub values, e.g. repo:org/repo:ref:refs/heads/main"
    )


ServicePrincipal = Annotated[
    str, Field(pattern=r"^[a-z0-9.-]+\.amazonaws\.com$", description="e.g. lambda.amazonaws.com")
]
