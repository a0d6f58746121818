"""Parts added to a network outside this change: subnets on an existing VPC, a NAT gateway in an existing subnet,
gateway endpoints on existing route tables, flow logs on an existing VPC, an Elastic IP for an existing instance.

Part of the typed change spec; ``gate/spec.py`` gathers every kind into ``ResourceSpec`` and re-exports it.  A VPC
this change creates carries its own parts (``gate.spec_compute.Vpc``); this kind never creates a VPC.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from gate.spec_base import _Base
from gate.spec_parts import Arn, GatewayEndpoint, InstanceId, Part, Ref, SubnetBlock, SubnetId, VpcId, check_cidr

RouteTableId = Annotated[str, Field(pattern=r"^rtb-[0-9a-f]{8,17}$", description="an existing route table, by id")]
FlowTraffic = Literal["ALL", "ACCEPT", "REJECT"]


class NaclRule(Part):
    """One network ACL entry: allow (or deny) a protocol and port range from (or to) a CIDR."""

    rule_number: int = Field(ge=1, le=32766, description="evaluated lowest first")
    protocol: Literal["tcp", "udp", "all"] = "tcp"
    from_port: int = Field(default=0, ge=0, le=65535)
    to_port: int = Field(default=0, ge=0, le=65535)
    cidr: str = Field(description="IPv4 CIDR of the peer")
    action: Literal["allow", "deny"] = "allow"
    egress: bool = Field(default=False, description="outbound (replies leave through ephemeral ports)")

    @field_validator("cidr")
    @classmethod
    def _cidr_ok(cls, value: str) -> str:
        return check_cidr(value)


class NetworkParts(_Base):
    """Parts on an existing VPC (by id): private subnets, a NAT gateway with a new Elastic IP, S3/DynamoDB gateway
    endpoints, flow logs; or an Elastic IP for an existing instance.  Subnets never map public IPs on launch."""

    kind: Literal["network_parts"] = "network_parts"
    vpc_id: VpcId | None = Field(default=None, description="the existing VPC the parts belong to")
    subnets: list[SubnetBlock] = Field(default_factory=list, max_length=6, description="new subnets in vpc_id")
    nat_subnet_id: SubnetId | None = Field(default=None, description="a NAT gateway (and a new EIP) in this subnet")
    nat_route_table_ids: list[RouteTableId] = Field(
        default_factory=list, max_length=10, description="route tables whose default route goes to the NAT gateway"
    )
    gateway_endpoints: list[GatewayEndpoint] = Field(default_factory=list, max_length=2, description="in vpc_id")
    endpoint_route_table_ids: list[RouteTableId] = Field(
        default_factory=list, max_length=10, description="route tables the gateway endpoints are associated with"
    )
    flow_logs: FlowTraffic | None = Field(default=None, description="flow logs on vpc_id, of this traffic")
    flow_log_group_ref: Ref | None = Field(default=None, description="log_group in this spec receiving them")
    flow_logs_retention_days: int = Field(default=365, ge=1, le=3653, description="of the flow logs' own group")
    flow_log_bucket_arn: Arn | None = Field(default=None, description="an existing S3 bucket receiving them, by ARN")
    flow_log_interval_s: Literal[60, 600] = Field(default=600, description="flow log aggregation interval")
    elastic_ip_instance_id: InstanceId | None = Field(default=None, description="a new Elastic IP for this instance")
    network_acl_rules: list[NaclRule] = Field(
        default_factory=list, max_length=40, description="a new network ACL in vpc_id: its entries (the rest denied)"
    )
    network_acl_subnet_ids: list[SubnetId] = Field(
        default_factory=list, max_length=10, description="subnets the new network ACL is associated with"
    )
    peer_vpc_id: VpcId | None = Field(default=None, description="a peering connection from vpc_id to this VPC")
    peer_account_id: str | None = Field(default=None, pattern=r"^\d{12}$", description="the peer VPC's account")
    peer_region: str | None = Field(default=None, pattern=r"^[a-z]{2}(?:-[a-z]+)+-\d$", description="its region")

    @model_validator(mode="after")
    def _parts_ok(self) -> NetworkParts:
        on_vpc = bool(
            self.subnets or self.gateway_endpoints or self.flow_logs or self.peer_vpc_id or self.network_acl_rules
        )
        if on_vpc and self.vpc_id is None:
            raise ValueError("subnets, gateway endpoints and flow logs need the existing VPC's id (vpc-...)")
        if self.gateway_endpoints and not self.endpoint_route_table_ids:
            raise ValueError("a gateway endpoint needs the route tables (rtb-...) it is associated with")
        if self.nat_route_table_ids and not self.nat_subnet_id:
            raise ValueError("routes to a NAT gateway need the NAT gateway's subnet (subnet-...)")
        if (self.flow_log_group_ref or self.flow_log_bucket_arn) and not self.flow_logs:
            raise ValueError("a flow log destination is for flow logs")
        if self.flow_log_group_ref and self.flow_log_bucket_arn:
            raise ValueError("flow logs go to a log group or an S3 bucket, not both")
        if self.flow_log_bucket_arn and not self.flow_log_bucket_arn.startswith(("arn:aws:s3:::", "arn:aws-")):
            raise ValueError("flow_log_bucket_arn must be an S3 bucket ARN (arn:aws:s3:::bucket)")
        if (self.peer_account_id or self.peer_region) and not self.peer_vpc_id:
            raise ValueError("the peer's account and region need the peer VPC (peer_vpc_id)")
        if self.peer_vpc_id and (self.vpc_id is None or self.peer_vpc_id == self.vpc_id):
            raise ValueError("a peering connection needs the requester VPC (vpc_id) and another VPC to peer with")
        if self.network_acl_subnet_ids and not self.network_acl_rules:
            raise ValueError("a network ACL associated with subnets needs its rules (an empty one denies everything)")
        if not (on_vpc or self.nat_subnet_id or self.elastic_ip_instance_id):
            raise ValueError("network parts need at least one part")
        return self
