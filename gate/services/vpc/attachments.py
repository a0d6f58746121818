"""What a VPC carries besides its subnets and routes: tiered network ACLs, the site-to-site VPN, flow logs.

Both formats of each, called by :class:`gate.services.vpc.synth.VpcSynth`; also the subnet tiers both modules
walk.  The VPN's route propagation waits for the VPN gateway attachment (``DependsOn``).
"""

from __future__ import annotations

from typing import Any

from gate.spec import Vpc
from gate.synth.common import assume_role_policy, cfn_tags, checkov_skips, role_name, tf_skips, tf_tags
from gate.synth.hcl import Block, JsonEncode, Raw, Value, ref

TIERS = ("public", "private")


def tier_count(res: Vpc, tier: str) -> int:
    return res.public_subnets if tier == "public" else res.private_subnets


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


def cfn_nacls(res: Vpc, base: str, vpc: Any) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for tier in TIERS:
        if not tier_count(res, tier):
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
        for i in range(tier_count(res, tier)):
            out[f"{acl}Association{i + 1}"] = {
                "Type": "AWS::EC2::SubnetNetworkAclAssociation",
                "Properties": {
                    "SubnetId": {"Ref": f"{base}{tier.capitalize()}Subnet{i + 1}"},
                    "NetworkAclId": {"Ref": acl},
                },
            }
    return out


def cfn_vpn(res: Vpc, base: str, vpc: Any, private_tables: list[Any]) -> dict[str, dict[str, Any]]:
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


def cfn_flow_logs(res: Vpc, base: str, vpc: Any, region: str) -> dict[str, dict[str, Any]]:
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


def tf_nacls(res: Vpc, tid: str, vpc: Value) -> list[Block]:
    out: list[Block] = []
    for tier in TIERS:
        if not tier_count(res, tier):
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


def tf_vpn(res: Vpc, tid: str, vpc: Value) -> list[Block]:
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


def tf_flow_logs(res: Vpc, tid: str, vpc: Value, region: str) -> list[Block]:
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
