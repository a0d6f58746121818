"""VPC: the VPC itself, subnets over AZs, route tables, internet/NAT gateways, gateway endpoints.

Subnet CIDRs are computed here (deterministic): the VPC range is cut into 16 equal blocks; public subnet i
takes block i, private subnet i takes block 8 + i.  The route to the internet gateway waits for the gateway
attachment (``DependsOn``), as do NAT gateway addresses.  What the VPC carries besides (tiered NACLs, the VPN,
flow logs) is written by ``attachments.py``.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from gate.services.vpc import attachments
from gate.services.vpc.attachments import TIERS, tier_count
from gate.spec import Vpc
from gate.synth.common import cfn_tags, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, Raw, Value, ref, tf_name


def subnet_cidrs(res: Vpc) -> dict[str, list[str]]:
    """Each tier's subnet CIDRs: as the request gives them, else cut from the VPC range."""
    net = ipaddress.IPv4Network(res.cidr)
    blocks = [str(b) for b in net.subnets(new_prefix=min(net.prefixlen + 4, 28))]
    given = {"public": res.public_subnet_blocks, "private": res.private_subnet_blocks}
    cut = {"public": blocks[: res.public_subnets], "private": blocks[8 : 8 + res.private_subnets]}
    return {tier: [b.cidr for b in given[tier]] or cut[tier] for tier in TIERS}


def subnet_zones(res: Vpc, tier: str) -> list[str] | None:
    """The tier's subnets' zones when the request names every one of them (else the region's i-th zones)."""
    blocks = res.public_subnet_blocks if tier == "public" else res.private_subnet_blocks
    zones = [b.availability_zone for b in blocks]
    return [z for z in zones if z] if blocks and all(zones) else None


def _nat_index(res: Vpc, i: int) -> int | None:
    if res.nat_gateway == "none":
        return None
    return 0 if res.nat_gateway == "single" else i


class VpcSynth:
    kind = "vpc"

    def refs(self, res: Vpc, ctx: SynthContext) -> Refs:
        base, tid = logical_id(res.name), tf_name(res.name)
        cfn: dict[str, Any] = {"id": {"Ref": f"{base}Vpc"}, "cidr": {"Fn::GetAtt": [f"{base}Vpc", "CidrBlock"]}}
        tf: dict[str, Value] = {
            "id": ref("aws_vpc", tid, "id"),
            "arn": ref("aws_vpc", tid, "arn"),
            "cidr": ref("aws_vpc", tid, "cidr_block"),
        }
        for tier in TIERS:
            n = tier_count(res, tier)
            cfn[f"{tier}_subnets"] = [{"Ref": f"{base}{tier.capitalize()}Subnet{i + 1}"} for i in range(n)]
            tf[f"{tier}_subnets"] = [Raw(f"aws_subnet.{tid}_{tier}[{i}].id") for i in range(n)]
        return Refs(cfn=cfn, tf=tf)

    def cloudformation(self, res: Vpc, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        base = logical_id(res.name)
        vpc_id = f"{base}Vpc"
        vpc = {"Ref": vpc_id}
        cidrs = subnet_cidrs(res)
        out: dict[str, dict[str, Any]] = {
            vpc_id: {
                "Type": "AWS::EC2::VPC",
                "Properties": {
                    "CidrBlock": res.cidr,
                    "EnableDnsSupport": True,
                    "EnableDnsHostnames": True,
                    "Tags": cfn_tags(res, {"Name": res.name}),
                },
            }
        }
        igw_attach = f"{base}GatewayAttachment"
        if res.public_subnets:
            out[f"{base}InternetGateway"] = {
                "Type": "AWS::EC2::InternetGateway",
                "Properties": {"Tags": cfn_tags(res, {"Name": res.name})},
            }
            out[igw_attach] = {
                "Type": "AWS::EC2::VPCGatewayAttachment",
                "Properties": {"VpcId": vpc, "InternetGatewayId": {"Ref": f"{base}InternetGateway"}},
            }
            out[f"{base}PublicRouteTable"] = {
                "Type": "AWS::EC2::RouteTable",
                "Properties": {"VpcId": vpc, "Tags": cfn_tags(res, {"Name": f"{res.name}-public"})},
            }
            out[f"{base}PublicDefaultRoute"] = {
                "Type": "AWS::EC2::Route",
                "DependsOn": [igw_attach],
                "Properties": {
                    "RouteTableId": {"Ref": f"{base}PublicRouteTable"},
                    "DestinationCidrBlock": "0.0.0.0/0",
                    "GatewayId": {"Ref": f"{base}InternetGateway"},
                },
            }
        private_tables: list[Any] = []
        for tier in TIERS:
            zones = subnet_zones(res, tier)
            for i, cidr in enumerate(cidrs[tier]):
                sid = f"{base}{tier.capitalize()}Subnet{i + 1}"
                out[sid] = {
                    "Type": "AWS::EC2::Subnet",
                    "Properties": {
                        "VpcId": vpc,
                        "CidrBlock": cidr,
                        "AvailabilityZone": zones[i] if zones else {"Fn::Select": [i, {"Fn::GetAZs": ""}]},
                        "MapPublicIpOnLaunch": False,
                        "Tags": cfn_tags(res, {"Name": f"{res.name}-{tier}-{i + 1}", "tier": tier}),
                    },
                }
                table = f"{base}PublicRouteTable"
                if tier == "private":
                    table = f"{base}PrivateRouteTable{i + 1}"
                    private_tables.append({"Ref": table})
                    out[table] = {
                        "Type": "AWS::EC2::RouteTable",
                        "Properties": {"VpcId": vpc, "Tags": cfn_tags(res, {"Name": f"{res.name}-private-{i + 1}"})},
                    }
                    nat = _nat_index(res, i)
                    if nat is not None:
                        out[f"{table}NatRoute"] = {
                            "Type": "AWS::EC2::Route",
                            "Properties": {
                                "RouteTableId": {"Ref": table},
                                "DestinationCidrBlock": "0.0.0.0/0",
                                "NatGatewayId": {"Ref": f"{base}NatGateway{nat + 1}"},
                            },
                        }
                out[f"{sid}RouteTableAssociation"] = {
                    "Type": "AWS::EC2::SubnetRouteTableAssociation",
                    "Properties": {"SubnetId": {"Ref": sid}, "RouteTableId": {"Ref": table}},
                }
        nats = {k for i in range(res.private_subnets) if (k := _nat_index(res, i)) is not None}
        for n in sorted(nats):
            out[f"{base}NatAddress{n + 1}"] = {
                "Type": "AWS::EC2::EIP",
                "DependsOn": [igw_attach],
                "Properties": {"Domain": "vpc", "Tags": cfn_tags(res)},
            }
            out[f"{base}NatGateway{n + 1}"] = {
                "Type": "AWS::EC2::NatGateway",
                "Properties": {
                    "AllocationId": {"Fn::GetAtt": [f"{base}NatAddress{n + 1}", "AllocationId"]},
                    "SubnetId": {"Ref": f"{base}PublicSubnet{n + 1}"},
                    "Tags": cfn_tags(res, {"Name": f"{res.name}-nat-{n + 1}"}),
                },
            }
        for service in res.vpc_endpoints:
            tables = private_tables or [{"Ref": f"{base}PublicRouteTable"}]
            out[f"{base}{service.capitalize()}Endpoint"] = {
                "Type": "AWS::EC2::VPCEndpoint",
                "Properties": {
                    "VpcId": vpc,
                    "VpcEndpointType": "Gateway",
                    "RouteTableIds": tables,
                    "ServiceName": {"Fn::Sub": f"com.amazonaws.${{AWS::Region}}.{service}"},
                },
            }
        if res.network_acls == "tiered":
            out.update(attachments.cfn_nacls(res, base, vpc))
        if res.vpn:
            out.update(attachments.cfn_vpn(res, base, vpc, private_tables))
        if res.flow_logs:
            out.update(attachments.cfn_flow_logs(res, base, vpc, ctx.region))
        ctx.outputs[f"{vpc_id}Id"] = {"Description": f"VPC id of {res.name}", "Value": vpc}
        return out

    def terraform(self, res: Vpc, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        vpc = ref("aws_vpc", tid, "id")
        cidrs = subnet_cidrs(res)
        ctx.data("azs", Block("data", ("aws_availability_zones", "available")).attr("state", "available"))
        out = [
            Block("resource", ("aws_vpc", tid)).attrs(
                cidr_block=res.cidr,
                enable_dns_support=True,
                enable_dns_hostnames=True,
                tags=tf_tags(res, {"Name": res.name}),
            )
        ]
        out.append(Block("resource", ("aws_default_security_group", tid)).attrs(vpc_id=vpc, tags=tf_tags(res)))
        if res.public_subnets:
            out.append(
                Block("resource", ("aws_internet_gateway", tid)).attrs(
                    vpc_id=vpc, tags=tf_tags(res, {"Name": res.name})
                )
            )
            table = Block("resource", ("aws_route_table", f"{tid}_public")).attrs(
                vpc_id=vpc, tags=tf_tags(res, {"Name": f"{res.name}-public"})
            )
            out.append(table)
            out.append(
                Block("resource", ("aws_route", f"{tid}_public_default")).attrs(
                    route_table_id=ref("aws_route_table", f"{tid}_public", "id"),
                    destination_cidr_block="0.0.0.0/0",
                    gateway_id=ref("aws_internet_gateway", tid, "id"),
                )
            )
        for tier in TIERS:
            n = tier_count(res, tier)
            if not n:
                continue
            zones = subnet_zones(res, tier)
            subnet = Block("resource", ("aws_subnet", f"{tid}_{tier}")).attrs(
                count=n,
                vpc_id=vpc,
                cidr_block=Raw(f"{_hcl_list(cidrs[tier])}[count.index]"),
                availability_zone=Raw(
                    f"{_hcl_list(zones)}[count.index]"
                    if zones
                    else "data.aws_availability_zones.available.names[count.index]"
                ),
                map_public_ip_on_launch=False,
                tags={**tf_tags(res, {"tier": tier}), "Name": Raw(f'"{res.name}-{tier}-${{count.index + 1}}"')},
            )
            out.append(subnet)
            if tier == "private":
                out.append(
                    Block("resource", ("aws_route_table", f"{tid}_private")).attrs(
                        count=n,
                        vpc_id=vpc,
                        tags={**tf_tags(res), "Name": Raw(f'"{res.name}-private-${{count.index + 1}}"')},
                    )
                )
            table_id = (
                Raw(f"aws_route_table.{tid}_private[count.index].id")
                if tier == "private"
                else ref("aws_route_table", f"{tid}_public", "id")
            )
            out.append(
                Block("resource", ("aws_route_table_association", f"{tid}_{tier}")).attrs(
                    count=n, subnet_id=Raw(f"aws_subnet.{tid}_{tier}[count.index].id"), route_table_id=table_id
                )
            )
        nats = sorted({k for i in range(res.private_subnets) if (k := _nat_index(res, i)) is not None})
        if nats:
            out.append(
                Block("resource", ("aws_eip", f"{tid}_nat")).attrs(
                    count=len(nats), domain="vpc", tags=tf_tags(res), depends_on=[ref("aws_internet_gateway", tid)]
                )
            )
            out.append(
                Block("resource", ("aws_nat_gateway", tid)).attrs(
                    count=len(nats),
                    allocation_id=Raw(f"aws_eip.{tid}_nat[count.index].id"),
                    subnet_id=Raw(f"aws_subnet.{tid}_public[count.index].id"),
                    tags=tf_tags(res),
                    depends_on=[ref("aws_internet_gateway", tid)],
                )
            )
            nat = "0" if res.nat_gateway == "single" else "count.index"
            out.append(
                Block("resource", ("aws_route", f"{tid}_private_nat")).attrs(
                    count=res.private_subnets,
                    route_table_id=Raw(f"aws_route_table.{tid}_private[count.index].id"),
                    destination_cidr_block="0.0.0.0/0",
                    nat_gateway_id=Raw(f"aws_nat_gateway.{tid}[{nat}].id"),
                )
            )
        tables: Value = (
            Raw(f"aws_route_table.{tid}_private[*].id")
            if res.private_subnets
            else [ref("aws_route_table", f"{tid}_public", "id")]
        )
        for service in res.vpc_endpoints:
            out.append(
                Block("resource", ("aws_vpc_endpoint", f"{tid}_{service}")).attrs(
                    vpc_id=vpc,
                    service_name=f"com.amazonaws.{ctx.region}.{service}",
                    vpc_endpoint_type="Gateway",
                    route_table_ids=tables,
                    tags=tf_tags(res),
                )
            )
        if res.network_acls == "tiered":
            out.extend(attachments.tf_nacls(res, tid, vpc))
        if res.vpn:
            out.extend(attachments.tf_vpn(res, tid, vpc))
        if res.flow_logs:
            out.extend(attachments.tf_flow_logs(res, tid, vpc, ctx.region))
        return out


def _hcl_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"
