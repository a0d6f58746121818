"""Parts built on an existing network (gate.spec.NetworkParts): values bind to the part they stand with, in any
order and with any verb, and no VPC is ever created for them."""

from __future__ import annotations

import uuid

import pytest

from gate.cloud.aws import AwsTarget
from gate.interpret.offline import interpret
from gate.spec import ChangeSpec, NetworkParts, Vpc
from gate.synth import cloudformation
from gate.synth.cloudformation import template_for

VPC, SUBNET, RTB, INSTANCE = (
    "vpc-0d4c3b2a1f0e98765",
    "subnet-0e5f6a7b8c9d0e1f2",
    "rtb-0c1d2e3f4a5b6c7d8",
    "i-0aa1bb2cc3dd4ee5f",
)


def _parts(spec: ChangeSpec) -> NetworkParts:
    parts = [r for r in spec.resources if isinstance(r, NetworkParts)]
    assert len(parts) == 1 and not any(isinstance(r, Vpc) for r in spec.resources), spec.resources
    return parts[0]


def _types(spec: ChangeSpec) -> list[str]:
    return sorted(r["Type"] for r in template_for(spec, "us-east-1")["Resources"].values())


@pytest.mark.parametrize(
    "text",
    [
        f"Add two private subnets to the existing {VPC}: 10.8.32.0/20 in us-east-1a and 10.8.48.0/20 in us-east-1c.",
        f"On {VPC} create subnets 10.8.32.0/20 (us-east-1a) and 10.8.48.0/20 (us-east-1c), no public IPs",
    ],
)
def test_subnets_on_an_existing_vpc_keep_their_cidrs_and_zones(text: str) -> None:
    parts = _parts(interpret(text))
    assert parts.vpc_id == VPC
    assert [(b.cidr, b.availability_zone) for b in parts.subnets] == [
        ("10.8.32.0/20", "us-east-1a"),
        ("10.8.48.0/20", "us-east-1c"),
    ]
    subnets = [
        r for r in template_for(interpret(text), "us-east-1")["Resources"].values() if r["Type"] == "AWS::EC2::Subnet"
    ]
    assert all(s["Properties"]["MapPublicIpOnLaunch"] is False and s["Properties"]["VpcId"] == VPC for s in subnets)


@pytest.mark.parametrize(
    "text",
    [
        f"Add a NAT gateway in the public subnet {SUBNET} with a new Elastic IP.",
        f"New Elastic IP and NAT gw for {SUBNET}, with the default route of {RTB} going to it",
    ],
)
def test_a_nat_gateway_in_an_existing_subnet(text: str) -> None:
    spec = interpret(text)
    assert _parts(spec).nat_subnet_id == SUBNET
    assert {"AWS::EC2::EIP", "AWS::EC2::NatGateway"} <= set(_types(spec))
    assert (RTB in text) == ("AWS::EC2::Route" in _types(spec))


def test_a_gateway_endpoint_on_existing_route_tables_whatever_the_order() -> None:
    for text in (
        f"gateway endpoint for S3 in {VPC}; associate it with route table {RTB}.",
        f"on route table {RTB} of {VPC}, an S3 gateway endpoint",
    ):
        parts = _parts(interpret(text))
        assert parts.gateway_endpoints == ["s3"] and parts.endpoint_route_table_ids == [RTB] and parts.vpc_id == VPC


@pytest.mark.parametrize(("said", "traffic"), [("REJECT traffic only", "REJECT"), ("only accepted traffic", "ACCEPT"),
                                               ("all traffic", "ALL")])  # fmt: skip
def test_flow_logs_on_an_existing_vpc_create_no_vpc(said: str, traffic: str) -> None:
    spec = interpret(
        f"Enable VPC flow logs on {VPC}, {said}, to a new CloudWatch log group /vpc/flow/core kept 14 days"
    )
    parts = _parts(spec)
    assert parts.flow_logs == traffic and parts.flow_log_group_ref is not None
    log = next(r for r in template_for(spec, "us-east-1")["Resources"].values() if r["Type"] == "AWS::EC2::FlowLog")
    assert log["Properties"]["ResourceId"] == VPC and log["Properties"]["TrafficType"] == traffic


def test_an_elastic_ip_for_an_existing_instance() -> None:
    spec = interpret(f"The existing mail relay ({INSTANCE}) needs a stable public address. Give it an Elastic IP.")
    assert _parts(spec).elastic_ip_instance_id == INSTANCE
    assert _types(spec) == ["AWS::EC2::EIP"]


def test_a_vpc_said_isolated_gets_no_internet_gateway_or_nat() -> None:
    for text in (
        "VPC 172.20.0.0/16 with one subnet 172.20.10.0/24. Nothing public: no internet gateway, no NAT.",
        "an isolated VPC 172.20.0.0/16, subnet 172.20.10.0/24",
    ):
        types = _types(interpret(text))
        assert "AWS::EC2::InternetGateway" not in types and "AWS::EC2::NatGateway" not in types, text


def test_the_parts_create_on_moto_on_a_vpc_that_exists_there(moto: AwsTarget) -> None:
    """The synth cases name ids outside the change (tests/test_synth_moto.py cannot create them): here the VPC,
    subnet, route table and instance exist on moto first, and the parts the interpreter reads are created on them."""
    ec2 = moto.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.91.0.0/16")["Vpc"]["VpcId"]
    public = ec2.create_subnet(VpcId=vpc, CidrBlock="10.91.0.0/24")["Subnet"]["SubnetId"]
    table = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    text = (
        f"On {vpc} add a private subnet 10.91.16.0/20 in us-east-1a, a NAT gateway in {public} with a new Elastic "
        f"IP, an S3 gateway endpoint on route table {table}, and flow logs of rejected traffic kept 30 days"
    )
    spec = interpret(text)
    parts = _parts(spec)
    assert (parts.vpc_id, parts.nat_subnet_id, parts.endpoint_route_table_ids) == (vpc, public, [table])
    assert parts.flow_logs == "REJECT" and parts.flow_logs_retention_days == 30
    client = moto.client("cloudformation")
    stack = f"parts-{uuid.uuid4().hex[:8]}"
    client.create_stack(StackName=stack, TemplateBody=cloudformation.render(spec, "us-east-1"),
                        Capabilities=["CAPABILITY_NAMED_IAM"])  # fmt: skip
    status = client.describe_stacks(StackName=stack)["Stacks"][0]
    assert status["StackStatus"] == "CREATE_COMPLETE", status.get("StackStatusReason")
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    assert {s["CidrBlock"] for s in subnets} == {"10.91.0.0/24", "10.91.16.0/20"}
    assert ec2.describe_nat_gateways(Filters=[{"Name": "subnet-id", "Values": [public]}])["NatGateways"]
    endpoints = ec2.describe_vpc_endpoints(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["VpcEndpoints"]
    assert [e["RouteTableIds"] for e in endpoints] == [[table]]


def test_a_peering_connection_between_two_vpcs_named_by_id_with_the_peers_account_and_region() -> None:
    spec = interpret(
        "Peer vpc-0a1b2c3d4e5f67890 with vpc-0998877665544332a which lives in account 123456789012, region us-west-2.",
        region="us-east-1",  # the peer's region is not this change's: no region conflict
    )
    parts = _parts(spec)
    assert (parts.vpc_id, parts.peer_vpc_id, parts.peer_account_id, parts.peer_region) == (
        "vpc-0a1b2c3d4e5f67890", "vpc-0998877665544332a", "123456789012", "us-west-2",
    )  # fmt: skip
    assert any(a.field == "region" and a.value == "us-east-1" for a in spec.assumptions)


def test_flow_logs_to_an_existing_bucket_need_no_role() -> None:
    spec = interpret(
        "Turn on VPC flow logs for vpc-0a1b2c3d4e5f67890 - rejected traffic only - delivered to "
        "arn:aws:s3:::netops-flowlogs-archive with 1-minute aggregation."
    )
    assert _types(spec) == ["AWS::EC2::FlowLog"]
    log = next(iter(template_for(spec, "us-east-1")["Resources"].values()))["Properties"]
    assert (log["LogDestinationType"], log["TrafficType"], log["MaxAggregationInterval"]) == ("s3", "REJECT", 60)


def test_a_network_acl_on_an_existing_vpc_lets_the_replies_out() -> None:
    spec = interpret(
        "Network ACL for the data tier in vpc-0c3d4e5f6a7b89012: allow inbound TCP 5432 from 10.0.0.0/16, deny "
        "everything else inbound. Associate it with subnet-0abc1234def567890."
    )
    parts = _parts(spec)
    assert [(r.from_port, r.to_port, r.cidr, r.egress) for r in parts.network_acl_rules] == [
        (5432, 5432, "10.0.0.0/16", False),
        (1024, 65535, "10.0.0.0/16", True),
    ]
    assert parts.network_acl_subnet_ids == ["subnet-0abc1234def567890"] and not parts.subnets
    assert {"AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation"} <= set(
        _types(spec)
    )
