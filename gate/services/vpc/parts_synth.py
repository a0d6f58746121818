"""Parts on an existing network (:class:`gate.spec.NetworkParts`), in both formats: subnets on an existing VPC,
a NAT gateway with a new Elastic IP in an existing subnet (and the default routes to it), gateway endpoints on
existing route tables, flow logs on an existing VPC, an Elastic IP for an existing instance.

Nothing here creates a VPC; every existing resource is referred to by its id, as written.
"""

from __future__ import annotations

from typing import Any

from gate.services.vpc import parts_nacl
from gate.spec import NetworkParts
from gate.synth.common import assume_role_policy, cfn_tags, checkov_skips, role_name, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, JsonEncode, Raw, Value, ref, tf_name

_LOG_ACTIONS = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]


def own_log_group(res: NetworkParts) -> str:
    """The flow logs' own group when the request names none, the same in both formats."""
    return f"/vpc/{res.vpc_id}/flow-logs"


class NetworkPartsSynth:
    kind = "network_parts"

    def refs(self, res: NetworkParts, ctx: SynthContext) -> Refs:
        base, tid = logical_id(res.name), tf_name(res.name)
        cfn: dict[str, Any] = {"id": res.vpc_id or res.name}
        tf: dict[str, Value] = {"id": res.vpc_id or res.name}
        if res.subnets:
            cfn["private_subnets"] = [{"Ref": f"{base}Subnet{i + 1}"} for i in range(len(res.subnets))]
            tf["private_subnets"] = [Raw(f"aws_subnet.{tid}_{i + 1}.id") for i in range(len(res.subnets))]
        return Refs(cfn=cfn, tf=tf)

    def cloudformation(self, res: NetworkParts, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        base = logical_id(res.name)
        out: dict[str, dict[str, Any]] = {}
        for i, block in enumerate(res.subnets):
            zone = block.availability_zone or {"Fn::Select": [i, {"Fn::GetAZs": ""}]}
            out[f"{base}Subnet{i + 1}"] = {
                "Type": "AWS::EC2::Subnet",
                "Properties": {
                    "VpcId": res.vpc_id,
                    "CidrBlock": block.cidr,
                    "AvailabilityZone": zone,
                    "MapPublicIpOnLaunch": False,
                    "Tags": cfn_tags(res, {"Name": f"{res.name}-{i + 1}", "tier": "private"}),
                },
            }
        if res.nat_subnet_id:
            out[f"{base}NatAddress"] = {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc", "Tags": cfn_tags(res)}}
            out[f"{base}NatGateway"] = {
                "Type": "AWS::EC2::NatGateway",
                "Properties": {
                    "AllocationId": {"Fn::GetAtt": [f"{base}NatAddress", "AllocationId"]},
                    "SubnetId": res.nat_subnet_id,
                    "Tags": cfn_tags(res, {"Name": f"{res.name}-nat"}),
                },
            }
            for i, table in enumerate(res.nat_route_table_ids):
                out[f"{base}NatRoute{i + 1}"] = {
                    "Type": "AWS::EC2::Route",
                    "Properties": {
                        "RouteTableId": table,
                        "DestinationCidrBlock": "0.0.0.0/0",
                        "NatGatewayId": {"Ref": f"{base}NatGateway"},
                    },
                }
        for service in res.gateway_endpoints:
            out[f"{base}{service.capitalize()}Endpoint"] = {
                "Type": "AWS::EC2::VPCEndpoint",
                "Properties": {
                    "VpcId": res.vpc_id,
                    "VpcEndpointType": "Gateway",
                    "RouteTableIds": list(res.endpoint_route_table_ids),
                    "ServiceName": f"com.amazonaws.{ctx.region}.{service}",
                },
            }
        if res.flow_logs:
            out.update(_cfn_flow_logs(res, base, ctx))
        if res.network_acl_rules:
            out.update(parts_nacl.cfn_nacl(res, base))
        if res.peer_vpc_id:
            peering: dict[str, Any] = {"VpcId": res.vpc_id, "PeerVpcId": res.peer_vpc_id, "Tags": cfn_tags(res)}
            if res.peer_account_id:
                peering["PeerOwnerId"] = res.peer_account_id
            if res.peer_region:
                peering["PeerRegion"] = res.peer_region
            out[f"{base}Peering"] = {"Type": "AWS::EC2::VPCPeeringConnection", "Properties": peering}
        if res.elastic_ip_instance_id:
            out[f"{base}ElasticIp"] = {
                "Type": "AWS::EC2::EIP",
                "Properties": {"Domain": "vpc", "InstanceId": res.elastic_ip_instance_id, "Tags": cfn_tags(res)},
            }
        return out

    def terraform(self, res: NetworkParts, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        out: list[Block] = []
        if res.subnets and any(b.availability_zone is None for b in res.subnets):
            ctx.data("azs", Block("data", ("aws_availability_zones", "available")).attr("state", "available"))
        for i, block in enumerate(res.subnets):
            zone: Value = block.availability_zone or Raw(f"data.aws_availability_zones.available.names[{i}]")
            out.append(
                Block("resource", ("aws_subnet", f"{tid}_{i + 1}")).attrs(
                    vpc_id=res.vpc_id,
                    cidr_block=block.cidr,
                    availability_zone=zone,
                    map_public_ip_on_launch=False,
                    tags=tf_tags(res, {"Name": f"{res.name}-{i + 1}", "tier": "private"}),
                )
            )
        if res.nat_subnet_id:
            out.append(Block("resource", ("aws_eip", f"{tid}_nat")).attrs(domain="vpc", tags=tf_tags(res)))
            out.append(
                Block("resource", ("aws_nat_gateway", tid)).attrs(
                    allocation_id=ref("aws_eip", f"{tid}_nat", "id"),
                    subnet_id=res.nat_subnet_id,
                    tags=tf_tags(res, {"Name": f"{res.name}-nat"}),
                )
            )
            for i, table in enumerate(res.nat_route_table_ids):
                out.append(
                    Block("resource", ("aws_route", f"{tid}_nat_{i + 1}")).attrs(
                        route_table_id=table,
                        destination_cidr_block="0.0.0.0/0",
                        nat_gateway_id=ref("aws_nat_gateway", tid, "id"),
                    )
                )
        for service in res.gateway_endpoints:
            out.append(
                Block("resource", ("aws_vpc_endpoint", f"{tid}_{service}")).attrs(
                    vpc_id=res.vpc_id,
                    service_name=f"com.amazonaws.{ctx.region}.{service}",
                    vpc_endpoint_type="Gateway",
                    route_table_ids=list(res.endpoint_route_table_ids),
                    tags=tf_tags(res),
                )
            )
        if res.flow_logs:
            out.extend(_tf_flow_logs(res, tid, ctx))
        if res.network_acl_rules:
            out.extend(parts_nacl.tf_nacl(res, tid))
        if res.peer_vpc_id:
            peering = Block("resource", ("aws_vpc_peering_connection", tid)).attrs(
                vpc_id=res.vpc_id, peer_vpc_id=res.peer_vpc_id
            )
            if res.peer_account_id:
                peering.attr("peer_owner_id", res.peer_account_id)
            if res.peer_region:
                peering.attr("peer_region", res.peer_region)
            out.append(peering.attr("tags", tf_tags(res)))
        if res.elastic_ip_instance_id:
            out.append(
                Block("resource", ("aws_eip", tid), [*tf_skips("CKV2_AWS_19")]).attrs(
                    domain="vpc", instance=res.elastic_ip_instance_id, tags=tf_tags(res)
                )
            )
        return out


def _cfn_flow_logs(res: NetworkParts, base: str, ctx: SynthContext) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if res.flow_log_bucket_arn:  # the bucket's policy lets the log delivery service write: no role
        props = {"ResourceId": res.vpc_id, "ResourceType": "VPC", "TrafficType": res.flow_logs,
                 "LogDestinationType": "s3", "LogDestination": res.flow_log_bucket_arn,
                 "MaxAggregationInterval": res.flow_log_interval_s, "Tags": cfn_tags(res)}  # fmt: skip
        return {f"{base}FlowLog": {"Type": "AWS::EC2::FlowLog", "Properties": props}}
    if res.flow_log_group_ref:
        group: Any = ctx.cfn(res.flow_log_group_ref, "log_group", res.name)
        arn: Any = ctx.cfn(res.flow_log_group_ref, "log_group", res.name, "arn")
    else:
        gid = f"{base}FlowLogGroup"
        group, arn = {"Ref": gid}, {"Fn::GetAtt": [gid, "Arn"]}
        out[gid] = {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Metadata": checkov_skips("CKV_AWS_158"),
            "Properties": {
                "LogGroupName": own_log_group(res),
                "RetentionInDays": res.flow_logs_retention_days,
                "Tags": cfn_tags(res),
            },
        }
    statement = {"Effect": "Allow", "Action": _LOG_ACTIONS, "Resource": [arn]}
    out[f"{base}FlowLogRole"] = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "RoleName": role_name(res.name, "flow-logs", ctx.region),
            "Description": f"Lets VPC flow logs of {res.vpc_id} write to their log group",
            "AssumeRolePolicyDocument": assume_role_policy("vpc-flow-logs.amazonaws.com"),
            "Policies": [
                {"PolicyName": "flow-logs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]}}
            ],
            "Tags": cfn_tags(res),
        },
    }
    out[f"{base}FlowLog"] = {
        "Type": "AWS::EC2::FlowLog",
        "Properties": {
            "ResourceId": res.vpc_id,
            "ResourceType": "VPC",
            "TrafficType": res.flow_logs,
            "LogDestinationType": "cloud-watch-logs",
            "LogGroupName": group,
            "DeliverLogsPermissionArn": {"Fn::GetAtt": [f"{base}FlowLogRole", "Arn"]},
            "MaxAggregationInterval": res.flow_log_interval_s,
            "Tags": cfn_tags(res),
        },
    }
    return out


def _tf_flow_logs(res: NetworkParts, tid: str, ctx: SynthContext) -> list[Block]:
    out: list[Block] = []
    if res.flow_log_bucket_arn:
        return [
            Block("resource", ("aws_flow_log", tid)).attrs(
                vpc_id=res.vpc_id,
                traffic_type=res.flow_logs,
                log_destination_type="s3",
                log_destination=res.flow_log_bucket_arn,
                max_aggregation_interval=res.flow_log_interval_s,
                tags=tf_tags(res),
            )
        ]
    group = f"{tid}_flow_logs"
    if res.flow_log_group_ref:
        arn = ctx.tf(res.flow_log_group_ref, "log_group", res.name, "arn")
    else:
        arn = ref("aws_cloudwatch_log_group", group, "arn")
        out.append(
            Block("resource", ("aws_cloudwatch_log_group", group), [*tf_skips("CKV_AWS_158")]).attrs(
                name=own_log_group(res), retention_in_days=res.flow_logs_retention_days, tags=tf_tags(res)
            )
        )
    policy: dict[str, Value] = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": _LOG_ACTIONS, "Resource": [Raw(f'"${{{_raw(arn)}}}:*"')]}],
    }
    out += [
        Block("resource", ("aws_iam_role", group)).attrs(
            name=role_name(res.name, "flow-logs", ctx.region),
            assume_role_policy=JsonEncode(assume_role_policy("vpc-flow-logs.amazonaws.com")),
            tags=tf_tags(res),
        ),
        Block("resource", ("aws_iam_role_policy", group)).attrs(
            name="flow-logs", role=ref("aws_iam_role", group, "id"), policy=JsonEncode(policy)
        ),
        Block("resource", ("aws_flow_log", tid)).attrs(
            vpc_id=res.vpc_id,
            traffic_type=res.flow_logs,
            log_destination_type="cloud-watch-logs",
            log_destination=arn,
            iam_role_arn=ref("aws_iam_role", group, "arn"),
            max_aggregation_interval=res.flow_log_interval_s,
            tags=tf_tags(res),
        ),
    ]
    return out


def _raw(value: Value) -> str:
    """A Terraform reference as the text to interpolate ('aws_cloudwatch_log_group.x.arn')."""
    return value.text if isinstance(value, Raw) else str(value)
