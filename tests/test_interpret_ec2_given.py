"""EC2 values bind to the attribute they belong to, whatever the verb and the order: an AMI by id, termination
protection, a Name per instance, rule sources (a group by id however it is introduced, the group of a resource of
the change, a VPN named only as a network), and a role whose instance profile says who assumes it."""

from __future__ import annotations

import pytest

from gate.interpret.offline import interpret
from gate.spec import Ec2Instance, IamRole, RdsInstance, SecurityGroup
from gate.synth.cloudformation import template_for

AMI, GROUP, VPC = "ami-0123abcd4567ef890", "sg-0f9e8d7c6b5a49382", "vpc-0e1f2a3b4c5d6e7f8"


@pytest.mark.parametrize(
    "text",
    [
        f"Two t3.medium instances for the reporting service, Name tags reporting-a and reporting-b, from {AMI}. "
        "Turn on detailed monitoring and termination protection on both.",
        f"with termination protection and AMI {AMI}: a pair of t3.medium servers named reporting-a and reporting-b",
    ],
)
def test_an_ami_by_id_termination_protection_and_one_name_per_instance(text: str) -> None:
    spec = interpret(text)
    instance = next(r for r in spec.resources if isinstance(r, Ec2Instance))
    assert (instance.ami_id, instance.termination_protection, instance.instance_names) == (
        AMI, True, ["reporting-a", "reporting-b"],
    )  # fmt: skip
    template = template_for(spec, "us-east-1")
    bodies = [b["Properties"] for b in template["Resources"].values() if b["Type"] == "AWS::EC2::Instance"]
    assert [b["ImageId"] for b in bodies] == [AMI, AMI] and all(b["DisableApiTermination"] for b in bodies)
    assert not any("AmiId" in p for p in template.get("Parameters", {}))  # no SSM parameter for a given AMI


def _ingress(text: str) -> list[tuple[int | None, str | None, str | None]]:
    groups = [r for r in interpret(text).resources if isinstance(r, SecurityGroup)]
    return [(i.from_port, i.cidr, i.source_group_id) for g in groups for i in g.ingress]


def test_ports_said_again_after_their_rules_open_nothing_more() -> None:
    text = f"SG for the public ALB in {VPC}: allow 443 from anywhere and 80 from anywhere (80 only redirects to https)"
    assert sorted(_ingress(text)) == [(80, "0.0.0.0/0", None), (443, "0.0.0.0/0", None)]


def test_a_port_said_after_the_rules_without_a_source_is_still_refused() -> None:
    with pytest.raises(Exception, match="does not say from where"):
        interpret(f"SG in {VPC}: allow 443 from anywhere and SSH")


@pytest.mark.parametrize(
    "said",
    [
        f"from {GROUP}",
        f"from the app tier's security group {GROUP}",
        f"from the payments team's worker SG {GROUP}",
        f"from the load balancer security group {GROUP}",
    ],
)
def test_an_existing_group_by_id_is_the_source_however_it_is_introduced(said: str) -> None:
    assert _ingress(f"New SG orders-db-sg in {VPC} that allows 5432 only {said}") == [(5432, None, GROUP)]


def test_the_group_of_a_resource_of_the_change_is_the_source() -> None:
    spec = interpret(
        "in vpc-0a2b4c6d8e0f13579: an app server t3.large in subnet-0b3c5d7e9f1a24680 with a new security group "
        "allowing 443 only from sg-0c4d6e8f0a2b35791. A Postgres db.t3.medium with its own new security group that "
        "allows 5432 only from the app server's security group"
    )
    app = next(r for r in spec.resources if isinstance(r, Ec2Instance))
    db = next(r for r in spec.resources if isinstance(r, RdsInstance))
    groups = {g.name: g for g in spec.resources if isinstance(g, SecurityGroup)}
    assert len(groups) == 2 and all(g.vpc_id == "vpc-0a2b4c6d8e0f13579" for g in groups.values())
    (db_group,) = db.security_group_refs
    assert [r.source_group_ref for r in groups[db_group].ingress] == app.security_group_refs


def test_a_vpn_named_as_a_network_is_a_source_not_a_part() -> None:
    text = "sg for the jump host in vpc-0a9b8c7d6e5f40312: SSH only from 198.51.100.0/24 and the VPN 203.0.113.16/28"
    assert sorted(_ingress(text)) == [(22, "198.51.100.0/24", None), (22, "203.0.113.16/28", None)]


def test_a_heading_that_announces_the_list_is_not_one_more_resource() -> None:
    spec = interpret("Web tier + DB for the tally app:\n- a Postgres db.t3.medium\n- an app server t3.large")
    assert sorted(r.kind for r in spec.resources if r.kind in ("rds_instance", "ec2_instance")) == [
        "ec2_instance", "rds_instance",
    ]  # fmt: skip


def test_an_instance_profile_role_is_assumed_by_ec2() -> None:
    spec = interpret(
        f"Spin up a c7g.xlarge (Graviton) build runner from AMI {AMI}. It needs an instance profile whose role has "
        "AmazonSSMManagedInstanceCore so we can use Session Manager instead of SSH."
    )
    role = next(r for r in spec.resources if isinstance(r, IamRole))
    assert role.assumed_by == ["ec2.amazonaws.com"] and "AmazonSSMManagedInstanceCore" in role.aws_managed_policies
    instance = next(r for r in spec.resources if isinstance(r, Ec2Instance))
    assert instance.instance_role_ref == role.name and instance.ami_id == AMI
