"""The spec refuses what the gate must never build (wildcard IAM, public grants, impossible layouts), and
references between resources resolve or fail with a clear message."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from gate.errors import GateError
from gate.spec import ChangeSpec
from gate.synth import cloudformation, terraform


def _spec(*resources: dict[str, Any]) -> ChangeSpec:
    return ChangeSpec.model_validate({"summary": "test", "resources": list(resources)})


def _policy(actions: list[str], resources: list[str] | None = None) -> dict[str, Any]:
    return {
        "kind": "iam_policy",
        "name": "p",
        "statements": [{"actions": actions, "resources": resources or ["arn:aws:s3:::bucket"]}],
    }


@pytest.mark.parametrize("action", ["*", "*:*", "s3:*", "s3:Get*", "iam:*"])
def test_wildcard_actions_are_refused(action: str) -> None:
    with pytest.raises(ValidationError, match="wildcard"):
        _spec(_policy([action]))


def test_star_resource_is_refused_and_statements_need_resources() -> None:
    with pytest.raises(ValidationError, match="resource '\\*' is refused"):
        _spec(_policy(["s3:GetObject"], ["*"]))
    with pytest.raises(ValidationError, match="needs resources, resource_refs or existing"):
        _spec({"kind": "iam_policy", "name": "p", "statements": [{"actions": ["s3:GetObject"]}]})


def test_lambda_permissions_refuse_wildcards_too() -> None:
    with pytest.raises(ValidationError, match="wildcard"):
        _spec(
            {
                "kind": "lambda_function",
                "name": "f",
                "code": {"inline": "x"},
                "permissions": [
                    {"actions": ["dynamodb:*"], "resources": ["arn:aws:dynamodb:us-east-1:123456789012:table/t"]}
                ],
            }
        )


def test_admin_managed_policies_are_refused() -> None:
    with pytest.raises(ValidationError, match="least privilege"):
        _spec(
            {
                "kind": "iam_role",
                "name": "r",
                "assumed_by": ["ec2.amazonaws.com"],
                "aws_managed_policies": ["AdministratorAccess"],
            }
        )


def test_bucket_policy_grant_needs_a_named_principal() -> None:
    with pytest.raises(ValidationError, match="names no principal"):
        _spec({"kind": "s3_bucket", "name": "b", "policy_statements": [{"sid": "Open", "actions": ["s3:GetObject"]}]})


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"protocol": "tcp", "from_port": 22}, "exactly one of cidr, source_group_ref or source_group_id"),
        ({"protocol": "tcp", "from_port": 22, "cidr": "10.0.0.0/8", "source_group_id": "sg-0123456789abcd"}, "exactly"),
        ({"protocol": "tcp", "from_port": 22, "cidr": "0.0.0.0/0", "source_group_ref": "x"}, "exactly one"),
        ({"protocol": "tcp", "cidr": "10.0.0.0/8"}, "needs from_port"),
        ({"protocol": "tcp", "from_port": 443, "cidr": "10.0.0.1/8"}, "not an IPv4 CIDR"),
    ],
)
def test_security_group_rules_are_checked(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _spec({"kind": "security_group", "name": "sg", "ingress": [rule]})


@pytest.mark.parametrize(
    ("vpc", "message"),
    [
        ({"public_subnets": 0, "private_subnets": 2, "nat_gateway": "single"}, "NAT gateway needs public subnets"),
        ({"az_count": 2, "private_subnets": 3}, "one public and one private subnet per AZ"),
        ({"cidr": "10.0.0.0/8"}, "between /16 and /24"),
        ({"vpn": {"customer_gateway_ip": "10.1.2.3"}}, "public IPv4 address"),
    ],
)
def test_vpc_layouts_that_cannot_work_are_refused(vpc: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _spec({"kind": "vpc", "name": "v", **vpc})


def test_a_reference_to_a_missing_or_wrong_resource_is_a_clear_error() -> None:
    missing = _spec({"kind": "ec2_instance", "name": "box", "security_group_refs": ["nope"]})
    with pytest.raises(GateError, match="'box' refers to 'nope', which is not a security_group"):
        cloudformation.render(missing, "us-east-1")
    wrong_kind = _spec(
        {"kind": "sqs_queue", "name": "q"}, {"kind": "ec2_instance", "name": "box", "subnet_ref": "q:private"}
    )
    with pytest.raises(GateError, match="which is not a vpc"):
        terraform.render(wrong_kind, "us-east-1")


def test_references_become_ref_getatt_and_terraform_addresses() -> None:
    spec = _spec(
        {"kind": "vpc", "name": "net", "private_subnets": 2},
        {"kind": "security_group", "name": "app", "vpc_ref": "net"},
        {
            "kind": "ec2_instance",
            "name": "api",
            "count": 2,
            "subnet_ref": "net:private",
            "security_group_refs": ["app"],
        },
        {"kind": "sns_topic", "name": "ops"},
        {"kind": "cloudwatch_alarm", "name": "cpu", "target_ref": "api", "alarm_topic_ref": "ops"},
    )
    resources = cloudformation.template_for(spec, "us-east-1")["Resources"]
    nics = [resources[f"ApiInstance{i}"]["Properties"]["NetworkInterfaces"][0] for i in (1, 2)]
    assert [n["SubnetId"] for n in nics] == [{"Ref": "NetPrivateSubnet1"}, {"Ref": "NetPrivateSubnet2"}]
    assert nics[0]["GroupSet"] == [{"Fn::GetAtt": ["AppSecurityGroup", "GroupId"]}]
    alarms = [b for b in resources.values() if b["Type"] == "AWS::CloudWatch::Alarm"]
    assert [a["Properties"]["Dimensions"] for a in alarms] == [
        [{"Name": "InstanceId", "Value": {"Ref": "ApiInstance1"}}],
        [{"Name": "InstanceId", "Value": {"Ref": "ApiInstance2"}}],
    ]
    assert all(a["Properties"]["AlarmActions"] == [{"Ref": "OpsTopic"}] for a in alarms)
    tf = " ".join(terraform.render(spec, "us-east-1").split())  # alignment spaces do not matter here
    assert "subnet_id = element([aws_subnet.net_private[0].id, aws_subnet.net_private[1].id], count.index)" in tf
    assert "vpc_security_group_ids = [aws_security_group.app.id]" in tf
    assert "InstanceId = aws_instance.api[1].id" in tf
