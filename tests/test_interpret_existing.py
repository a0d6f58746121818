"""Existing network resources by id (issue 13): references bound where AWS takes them, never re-created; VPC parts
asked for on an existing VPC are refused with every part and id named; a refusal names the words it could not place."""

from __future__ import annotations

import pytest

from gate.errors import GateError
from gate.interpret.offline import interpret
from gate.spec import Ec2Instance, LambdaFunction, RdsInstance, SecurityGroup
from gate.synth.cloudformation import template_for

SUBNET_A, SUBNET_B, GROUP, VPC = (
    "subnet-0abc1234def567890",
    "subnet-0def567890abc1234",
    "sg-0123456789abcdef0",
    "vpc-0a1b2c3d4e5f67890",
)


def _unread(text: str) -> list[str]:
    return [a.value for a in interpret(text).assumptions if a.field == "not-understood"]


@pytest.mark.parametrize(
    "text",
    [
        f"EC2 instance m5.large in {SUBNET_A} with {GROUP}, no public IP",
        f"with the security group {GROUP}, launch an m5.large placed in subnet {SUBNET_A}",
    ],
)
def test_an_instance_takes_existing_subnet_and_group_whatever_the_order(text: str) -> None:
    spec = interpret(text)
    assert [r.kind for r in spec.resources] == ["ec2_instance"]  # no group or subnet re-created
    instance = spec.resources[0]
    assert isinstance(instance, Ec2Instance)
    assert instance.subnet_ids == [SUBNET_A] and instance.security_group_ids == [GROUP]
    nic = next(r for r in template_for(spec, "us-east-1")["Resources"].values() if r["Type"] == "AWS::EC2::Instance")
    assert nic["Properties"]["NetworkInterfaces"][0]["SubnetId"] == SUBNET_A
    assert nic["Properties"]["NetworkInterfaces"][0]["GroupSet"] == [GROUP]
    assert not _unread(text)


def test_a_function_runs_in_existing_subnets() -> None:
    spec = interpret(
        f"a python3.12 lambda named sync that runs in subnets {SUBNET_A} and {SUBNET_B}, security group {GROUP}"
    )
    fn = spec.resources[0]
    assert isinstance(fn, LambdaFunction) and len(spec.resources) == 1
    assert fn.subnet_ids == [SUBNET_A, SUBNET_B] and fn.security_group_ids == [GROUP]
    props = template_for(spec, "us-east-1")["Resources"]["SyncFunction"]["Properties"]
    assert props["VpcConfig"] == {"SubnetIds": [SUBNET_A, SUBNET_B], "SecurityGroupIds": [GROUP]}


def test_a_group_in_an_existing_vpc_and_a_rule_from_an_existing_group() -> None:
    spec = interpret(f"security group app-sg in {VPC}: port 8080 only from sg-0fedcba9876543210, nothing else inbound")
    group = spec.resources[0]
    assert isinstance(group, SecurityGroup) and group.vpc_id == VPC
    assert [(r.from_port, r.source_group_id) for r in group.ingress] == [(8080, "sg-0fedcba9876543210")]


def test_a_database_in_an_existing_subnet_group_or_over_existing_subnets() -> None:
    named = interpret(f"a MySQL database in the existing DB subnet group data-sng with VPC security group {GROUP}")
    db = named.resources[0]
    assert isinstance(db, RdsInstance) and db.db_subnet_group_name == "data-sng" and db.security_group_ids == [GROUP]
    over = interpret(f"a Postgres database with a DB subnet group over {SUBNET_A} and {SUBNET_B}")
    db = over.resources[0]
    assert isinstance(db, RdsInstance) and db.subnet_ids == [SUBNET_A, SUBNET_B]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (f"an internet gateway and a route table for {VPC}", ["internet gateway", "route table", VPC]),
        (f"a NAT gateway in {SUBNET_A} and a network ACL", ["network ACL", SUBNET_A, "CIDR sources"]),
        (f"a NAT gateway in {SUBNET_A} with a default route", ["route table or route", "rtb-"]),
        (f"interface endpoints for ssm and ssmmessages in {VPC}", ["interface endpoints", "PrivateLink"]),
        (f"peer {VPC} with the shared services VPC", ["VPC peering", "two VPCs named by id"]),
    ],
)
def test_vpc_parts_on_an_existing_vpc_are_refused_by_name(text: str, named: list[str]) -> None:
    with pytest.raises(GateError) as caught:
        interpret(text)
    assert all(n in caught.value.message for n in named), caught.value.message


def test_a_rule_added_to_an_existing_group_is_refused_by_name() -> None:
    with pytest.raises(GateError, match="adds a rule to the existing security group sg-0123456789abcdef0"):
        interpret(f"open 443 on {GROUP} from 10.0.0.0/16")


def test_a_refusal_names_the_words_it_could_not_place() -> None:
    with pytest.raises(GateError, match=r"the words it could not place: 'ship', 'logs'\)"):
        interpret("ship logs somewhere")
