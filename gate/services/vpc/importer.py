"""VPCs and their subnets (not the default VPC, nor default subnets). The spec's ``vpc`` is a whole layout
(subnets per AZ, NAT, flow logs, ACLs), so an existing VPC and its subnets are kept as they are, outside the
spec; a subnet's VPC, a security group's VPC and a function's subnets become references to them."""

from __future__ import annotations

from typing import Any

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, pages, tag_map
from gate.synth.hcl import Block

_OUTSIDE = "kept as imported: the spec's vpc is a whole layout (subnets per AZ, NAT, flow logs), not an existing VPC"


def _arn(target: AwsTarget, owner: str, kind: str, rid: str) -> str:
    return f"arn:aws:ec2:{target.region}:{owner}:{kind}/{rid}"


class _Vpc:
    service = "vpc"
    import_order = 10  # first: subnets, groups, databases and functions refer to it
    cfn_type = "AWS::EC2::VPC"
    tf_type = "aws_vpc"
    logical_suffix = "Vpc"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        ec2 = target.client("ec2")
        found = []
        for vpc in pages(target, ec2, "describe_vpcs", "Vpcs"):
            if vpc.get("IsDefault"):
                continue
            vid = str(vpc["VpcId"])
            tags = tag_map(vpc.get("Tags"))
            if not wanted(tags.get("Name", vid)):
                continue
            doing = f"reading VPC {vid}"
            dns = {
                attr: bool(
                    call(target, doing, ec2.describe_vpc_attribute, VpcId=vid, Attribute=attr)[
                        attr[0].upper() + attr[1:]
                    ]["Value"]
                )
                for attr in ("enableDnsSupport", "enableDnsHostnames")
            }
            arn = _arn(target, str(vpc.get("OwnerId", "")), "vpc", vid)
            found.append(Live(self.service, "vpc", vid, arn, tags.get("Name", vid), tags, {**vpc, "dns": dns}))
        return found

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        data = live.data
        props: dict[str, Any] = {
            "CidrBlock": data["CidrBlock"],
            "EnableDnsSupport": data["dns"]["enableDnsSupport"],
            "EnableDnsHostnames": data["dns"]["enableDnsHostnames"],
            "InstanceTenancy": data.get("InstanceTenancy", "default"),
        }
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        return Cfn(self.cfn_type, props, {"VpcId": live.physical_id}, frozenset())

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        return SpecResult(None, {"*": _OUTSIDE})

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        data = live.data
        block = Block("resource", (self.tf_type, tf_name)).attrs(
            cidr_block=data["CidrBlock"],
            enable_dns_support=data["dns"]["enableDnsSupport"],
            enable_dns_hostnames=data["dns"]["enableDnsHostnames"],
            instance_tenancy=data.get("InstanceTenancy", "default"),
        )
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        return Tf([(block, live.physical_id)])


class _Subnet:
    service = "subnet"
    import_order = 20  # after its VPC
    cfn_type = "AWS::EC2::Subnet"
    tf_type = "aws_subnet"
    logical_suffix = "Subnet"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        ec2 = target.client("ec2")
        found = []
        for subnet in pages(target, ec2, "describe_subnets", "Subnets"):
            if subnet.get("DefaultForAz"):
                continue
            sid = str(subnet["SubnetId"])
            tags = tag_map(subnet.get("Tags"))
            if not wanted(tags.get("Name", sid)):
                continue
            arn = str(subnet.get("SubnetArn") or _arn(target, str(subnet.get("OwnerId", "")), "subnet", sid))
            found.append(Live(self.service, "subnet", sid, arn, tags.get("Name", sid), tags, subnet))
        return found

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        data = live.data
        props: dict[str, Any] = {
            "VpcId": links.cfn(str(data["VpcId"])),
            "CidrBlock": data["CidrBlock"],
            "AvailabilityZone": data["AvailabilityZone"],
            "MapPublicIpOnLaunch": bool(data.get("MapPublicIpOnLaunch", False)),
        }
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        return Cfn(self.cfn_type, props, {"SubnetId": live.physical_id}, frozenset())

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        return SpecResult(None, {"*": _OUTSIDE})

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        data = live.data
        block = Block("resource", (self.tf_type, tf_name)).attrs(
            vpc_id=links.tf(str(data["VpcId"])),
            cidr_block=data["CidrBlock"],
            availability_zone=data["AvailabilityZone"],
            map_public_ip_on_launch=bool(data.get("MapPublicIpOnLaunch", False)),
        )
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        return Tf([(block, live.physical_id)])


READER = _Vpc()
SUBNET_READER = _Subnet()
