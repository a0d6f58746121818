"""VPC: subnets over AZs, route tables, internet/NAT gateways, gateway endpoints, NACLs, VPN, flow logs.

Subnet CIDRs are computed here (deterministic): the VPC range is cut into 16 equal blocks; public subnet i
takes block i, private subnet i takes block 8 + i.  The route to the internet gateway waits for the gateway
attachment (``DependsOn``), as do NAT gateway addresses and VPN route propagation.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from gate.spec import Vpc
from gate.synth.common import assume_role_policy, cfn_tags, checkov_skips, role_name, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, JsonEncode, Raw, Value, ref, tf_name

_TIERS = ("public", "private")


def subnet_cidrs(res: Vpc) -> dict[str, list[str]]:
    net = ipaddress.IPv4Network(res.cidr)
    blocks = [str(b) for b in net.subnets(new_prefix=min(net.prefixlen + 4, 28))]
    return {"public": blocks[: res.public_subnets], "private": blocks[8 : 8 + res.private_subnets]}


def _count(res: Vpc, tier: str) -> int:
    return res.public_subnets if tier == "public" else res.private_subnets


def _nat_index(res: Vpc, i: int) -> int | None:
    if res.nat_gateway == "none":
        return None
    return 0 if res.nat_gateway == "single" else i


# Tiered NACL entries: (rule number, protocol, from, to, cidr or "vpc", egress)
_NACL = {
    "public": [
        (100, 6, 443, 443, "0.0.0.0/0", False),
        (110, 6, 80, 80, "0.0.0.0/0", False),
        (120, 6, 1024, 65535, "0.0.0.0/0", False),
        (130, -1, 0, 0, "vpc", False),
        (100, -1, 0, 0, "0.0.0.0/0", True),
    ],
    "private": [
        (100, -1, 0, 0, "vpc", False),
        (110, 6, 1024, 65535, "0.0.0.0/0", False),
        (100, -1, 0, 0, "0.0.0.0/0", True),
    ],
}


def flow_log_group_name(res: Vpc) -> str:
    """The VPC's flow-log group, the same in both formats."""
    return f"/vpc/{res.name}/flow-logs"


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
        for tier in _TIERS:
            n = _count(res, tier)
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
        for tier in _TIERS:
            for i, cidr in enumerate(cidrs[tier]):
                sid = f"{base}{tier.capitalize()}Subnet{i + 1}"
                out[sid] = {
                    "Type": "AWS::EC2::Subnet",
                    "Properties": {
                        "VpcId": vpc,
                        "CidrBlock": cidr,
                        "AvailabilityZone": {"Fn::Select": [i, {"Fn::GetAZs": ""}]},
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
            out.update(self._cfn_nacls(res, base, vpc))
        if res.vpn:
            out.update(self._cfn_vpn(res, base, vpc, private_tables))
        if res.flow_logs:
            out.update(self._cfn_flow_logs(res, base, vpc, ctx.region))
        ctx.outputs[f"{vpc_id}Id"] = {"Description": f"VPC id of {res.name}", "Value": vpc}
        return out

    def _cfn_nacls(self, res: Vpc, base: str, vpc: Any) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for tier in _TIERS:
            if not _count(res, tier):
                continue
            acl = f"{base}{tier.capitalize()}NetworkAcl"
            out[acl] = {
                "Type": "AWS::EC2::NetworkAcl",
                "Properties": {"VpcId": vpc, "Tags": cfn_tags(res, {"tier": tier})},
            }
            for num, proto, first, last, cidr, egress in _NACL[tier]:
                entry: dict[str, Any] = {
                    "NetworkAclId": {"Ref": acl},
                    "RuleNumber": num,
                    "Protocol": proto,
                    "RuleAction": "allow",
                    "Egress": egress,
                    "CidrBlock": res.cidr if cidr == "vpc" else cidr,
                }
                if proto != -1:
                    entry["PortRange"] = {"From": first, "To": last}
                out[f"{acl}{'Out' if egress else 'In'}{num}"] = {
                    "Type": "AWS::EC2::NetworkAclEntry",
                    "Properties": entry,
                }
            for i in range(_count(res, tier)):
                out[f"{acl}Association{i + 1}"] = {
                    "Type": "AWS::EC2::SubnetNetworkAclAssociation",
                    "Properties": {
                        "SubnetId": {"Ref": f"{base}{tier.capitalize()}Subnet{i + 1}"},
                        "NetworkAclId": {"Ref": acl},
                    },
                }
        return out

    def _cfn_vpn(self, res: Vpc, base: str, vpc: Any, private_tables: list[Any]) -> dict[str, dict[str, Any]]:
        assert res.vpn is not None
        vpn = res.vpn
        out: dict[str, dict[str, Any]] = {
            f"{base}CustomerGateway": {
                "Type": "AWS::EC2::CustomerGateway",
                "Properties": {
                    "Type": "ipsec.1",
                    "BgpAsn": vpn.bgp_asn,
                    "IpAddress": vpn.customer_gateway_ip,
                    "Tags": cfn_tags(res),
                },
            },
            f"{base}VpnGateway": {
                "Type": "AWS::EC2::VPNGateway",
                "Properties": {"Type": "ipsec.1", "Tags": cfn_tags(res)},
            },
            f"{base}VpnGatewayAttachment": {
                "Type": "AWS::EC2::VPCGatewayAttachment",
                "Properties": {"VpcId": vpc, "VpnGatewayId": {"Ref": f"{base}VpnGateway"}},
            },
            f"{base}VpnConnection": {
                "Type": "AWS::EC2::VPNConnection",
                "DependsOn": [f"{base}VpnGatewayAttachment"],
                "Properties": {
                    "Type": "ipsec.1",
                    "StaticRoutesOnly": bool(vpn.static_routes),
                    "CustomerGatewayId": {"Ref": f"{base}CustomerGateway"},
                    "VpnGatewayId": {"Ref": f"{base}VpnGateway"},
                    "Tags": cfn_tags(res),
                },
            },
        }
        for i, cidr in enumerate(vpn.static_routes):
            out[f"{base}VpnRoute{i + 1}"] = {
                "Type": "AWS::EC2::VPNConnectionRoute",
                "Properties": {"DestinationCidrBlock": cidr, "VpnConnectionId": {"Ref": f"{base}VpnConnection"}},
            }
        if private_tables:
            out[f"{base}VpnRoutePropagation"] = {
                "Type": "AWS::EC2::VPNGatewayRoutePropagation",
                "DependsOn": [f"{base}VpnGatewayAttachment"],
                "Properties": {"RouteTableIds": private_tables, "VpnGatewayId": {"Ref": f"{base}VpnGateway"}},
            }
        return out

    def _cfn_flow_logs(self, res: Vpc, base: str, vpc: Any, region: str) -> dict[str, dict[str, Any]]:
        group = f"{base}FlowLogGroup"
        return {
            group: {
                "Type": "AWS::Logs::LogGroup",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Metadata": checkov_skips("CKV_AWS_158"),
                "Properties": {
                    "LogGroupName": flow_log_group_name(res),  # as in Terraform
                    "RetentionInDays": res.flow_logs_retention_days,
                    "Tags": cfn_tags(res),
                },
            },
            f"{base}FlowLogRole": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "RoleName": role_name(res.name, "flow-logs", region),  # as in Terraform
                    "Description": f"Lets VPC flow logs of {res.name} write to their log group",
                    "AssumeRolePolicyDocument": assume_role_policy("vpc-flow-logs.amazonaws.com"),
                    "Policies": [
                        {
                            "PolicyName": "flow-logs",
                            "PolicyDocument": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Action": [
                                            "logs:CreateLogStream",
                                            "logs:DescribeLogStreams",
                                            "logs:PutLogEvents",
                                        ],
                                        "Resource": [{"Fn::GetAtt": [group, "Arn"]}],
                                    }
                                ],
                            },
                        }
                    ],
                    "Tags": cfn_tags(res),
                },
            },
            f"{base}FlowLog": {
                "Type": "AWS::EC2::FlowLog",
                "Properties": {
                    "ResourceId": vpc,
                    "ResourceType": "VPC",
                    "TrafficType": "ALL",
                    "LogDestinationType": "cloud-watch-logs",
                    "LogGroupName": {"Ref": group},
                    "DeliverLogsPermissionArn": {"Fn::GetAtt": [f"{base}FlowLogRole", "Arn"]},
                    "Tags": cfn_tags(res),
                },
            },
        }

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
        for tier in _TIERS:
            n = _count(res, tier)
            if not n:
                continue
            subnet = Block("resource", ("aws_subnet", f"{tid}_{tier}")).attrs(
                count=n,
                vpc_id=vpc,
                cidr_block=Raw(f"{_hcl_list(cidrs[tier])}[count.index]"),
                availability_zone=Raw("data.aws_availability_zones.available.names[count.index]"),
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
            out.extend(self._tf_nacls(res, tid, vpc))
        if res.vpn:
            out.extend(self._tf_vpn(res, tid, vpc))
        if res.flow_logs:
            out.extend(self._tf_flow_logs(res, tid, vpc, ctx.region))
        return out

    def _tf_nacls(self, res: Vpc, tid: str, vpc: Value) -> list[Block]:
        out: list[Block] = []
        for tier in _TIERS:
            if not _count(res, tier):
                continue
            acl = Block("resource", ("aws_network_acl", f"{tid}_{tier}")).attrs(
                vpc_id=vpc, subnet_ids=Raw(f"aws_subnet.{tid}_{tier}[*].id"), tags=tf_tags(res, {"tier": tier})
            )
            for num, proto, first, last, cidr, egress in _NACL[tier]:
                rule = acl.block("egress" if egress else "ingress")
                rule.attrs(
                    rule_no=num,
                    protocol=str(proto),
                    action="allow",
                    cidr_block=res.cidr if cidr == "vpc" else cidr,
                    from_port=first,
                    to_port=last,
                )
            out.append(acl)
        return out

    def _tf_vpn(self, res: Vpc, tid: str, vpc: Value) -> list[Block]:
        assert res.vpn is not None
        vpn = res.vpn
        out = [
            Block("resource", ("aws_customer_gateway", tid)).attrs(
                bgp_asn=vpn.bgp_asn, ip_address=vpn.customer_gateway_ip, type="ipsec.1", tags=tf_tags(res)
            ),
            Block("resource", ("aws_vpn_gateway", tid)).attrs(vpc_id=vpc, tags=tf_tags(res)),
            Block("resource", ("aws_vpn_connection", tid)).attrs(
                customer_gateway_id=ref("aws_customer_gateway", tid, "id"),
                vpn_gateway_id=ref("aws_vpn_gateway", tid, "id"),
                type="ipsec.1",
                static_routes_only=bool(vpn.static_routes),
                tags=tf_tags(res),
            ),
        ]
        for i, cidr in enumerate(vpn.static_routes):
            out.append(
                Block("resource", ("aws_vpn_connection_route", f"{tid}_{i + 1}")).attrs(
                    destination_cidr_block=cidr, vpn_connection_id=ref("aws_vpn_connection", tid, "id")
                )
            )
        if res.private_subnets:
            out.append(
                Block("resource", ("aws_vpn_gateway_route_propagation", tid)).attrs(
                    count=res.private_subnets,
                    vpn_gateway_id=ref("aws_vpn_gateway", tid, "id"),
                    route_table_id=Raw(f"aws_route_table.{tid}_private[count.index].id"),
                )
            )
        return out

    def _tf_flow_logs(self, res: Vpc, tid: str, vpc: Value, region: str) -> list[Block]:
        group = f"{tid}_flow_logs"
        policy: dict[str, Value] = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                    "Resource": [Raw(f'"${{aws_cloudwatch_log_group.{group}.arn}}:*"')],
                }
            ],
        }
        return [
            Block("resource", ("aws_cloudwatch_log_group", group), [*tf_skips("CKV_AWS_158")]).attrs(
                name=flow_log_group_name(res), retention_in_days=res.flow_logs_retention_days, tags=tf_tags(res)
            ),
            Block("resource", ("aws_iam_role", group)).attrs(
                name=role_name(res.name, "flow-logs", region),
                assume_role_policy=JsonEncode(assume_role_policy("vpc-flow-logs.amazonaws.com")),
                tags=tf_tags(res),
            ),
            Block("resource", ("aws_iam_role_policy", group)).attrs(
                name="flow-logs", role=ref("aws_iam_role", group, "id"), policy=JsonEncode(policy)
            ),
            Block("resource", ("aws_flow_log", tid)).attrs(
                vpc_id=vpc,
                traffic_type="ALL",
                log_destination_type="cloud-watch-logs",
                log_destination=ref("aws_cloudwatch_log_group", group, "arn"),
                iam_role_arn=ref("aws_iam_role", group, "arn"),
                tags=tf_tags(res),
            ),
        ]


def _hcl_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"
