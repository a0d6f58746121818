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


PRICING = Pricing(
    rules=(
        PriceRule("nat", nat, ("AWS::EC2::NatGateway",), ("aws_nat_gateway",)),
        PriceRule("eip", eip, ("AWS::EC2::EIP",), ("aws_eip",)),
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
