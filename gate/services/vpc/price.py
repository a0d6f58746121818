"""VPCs: NAT gateways (hours and data processed) and public IPv4 addresses; the rest is free."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.rule_kit import _comp, _price, _usage
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing


def nat(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    hourly = _price(t.number("nat_gateway", "hourly"), "NAT gateway hours", t)
    per_gb = _price(t.number("nat_gateway", "per_gb"), "NAT gateway data", t)
    out = [_comp("NAT gateway", "hours", HOURS_PER_MONTH, hourly)]
    gb = usage.get("monthly_data_processed_gb")
    out.append(
        _comp("Data processed", "GB", float(gb), per_gb) if gb is not None else _usage("Data processed", "GB", per_gb)
    )
    return out


def eip(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    return [_comp("Public IPv4 address", "hours", HOURS_PER_MONTH, _price(t.number("public_ipv4_hourly"), "IPv4", t))]


def endpoint(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    """A gateway endpoint (S3, DynamoDB) costs nothing; an interface endpoint is billed per AZ-hour and per GB."""
    if str(p.attrs.get("type") or "Gateway").lower() == "gateway":
        return [_comp("Gateway endpoint (no charge)", "months", 1, 0.0)]
    hourly = _price(t.number("vpc_endpoint", "interface_az_hourly"), "interface endpoint hours", t)
    per_gb = _price(t.number("vpc_endpoint", "interface_per_gb"), "interface endpoint data", t)
    return [
        _comp("Interface endpoint (one AZ)", "hours", HOURS_PER_MONTH, hourly),
        _usage("Data processed", "GB", per_gb),
    ]


PRICING = Pricing(
    rules=(
        PriceRule("nat", nat, ("AWS::EC2::NatGateway",), ("aws_nat_gateway",)),
        PriceRule("eip", eip, ("AWS::EC2::EIP",), ("aws_eip",)),
        PriceRule(
            "vpc_endpoint",
            endpoint,
            ("AWS::EC2::VPCEndpoint",),
            ("aws_vpc_endpoint",),
            {"type": "VpcEndpointType"},
            {"type": "vpc_endpoint_type"},
        ),
    ),
    free=frozenset(
        {
            "AWS::EC2::VPC",
            "AWS::EC2::Subnet",
            "AWS::EC2::RouteTable",
            "AWS::EC2::Route",
            "AWS::EC2::InternetGateway",
            "AWS::EC2::VPCGatewayAttachment",
            "AWS::EC2::SubnetRouteTableAssociation",
            "AWS::EC2::FlowLog",
            "aws_flow_log",
            "aws_vpc",
            "aws_subnet",
            "aws_route_table",
            "aws_route",
            "aws_route_table_association",
            "aws_internet_gateway",
            "aws_eip_association",
        }
    ),
)
