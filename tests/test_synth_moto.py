"""Synthesised CloudFormation creates on the embedded AWS (the moto server): ``create_stack`` reaches
CREATE_COMPLETE for every representative spec, every resource of a type moto implements is created, and the
types moto cannot create are the ones the README lists under "What the embedded AWS covers"."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from moto.cloudformation.parsing import get_model_map

from gate.cloud.aws import AwsTarget
from gate.spec import AL2023_X86, ChangeSpec
from gate.synth import cloudformation
from tests.conftest import ROOT
from tests.synth_cases import CASES

REGION = "us-east-1"
# Specs moto cannot create, and why (the README says the same).
MOTO_GAPS = {
    "vpc-parts-existing": "names a VPC, subnet and route table outside the change by id; "
    "tests/test_interpret_network_parts.py creates them on moto first",
    "vpc-parts-peering-s3-logs": "names two VPCs and a bucket outside the change by id; "
    "tests/test_interpret_network_parts.py creates them on moto first",
    "vpc-parts-flow-log-group": "names a VPC and an instance outside the change by id; "
    "tests/test_interpret_network_parts.py creates them on moto first",
    "rds-parameters": "moto's !Ref of an AWS::RDS::DBParameterGroup is not a name the DB instance accepts (HTTP 500)",
    "rds-aurora": "moto's CloudFormation has no AWS::RDS::DBCluster; the instances' !Ref of it answers HTTP 500",
    "rds-replica-existing": "the replica's source database is outside the change, so not on the moto server",
    "elasticache-existing-network": "the subnet group and security group it names are outside the change",
    "lambda-serverless-extras": "moto implements neither AWS::Lambda::Url nor AWS::Lambda::Alias, and its GetAtt of "
    "the missing URL (the stack output FunctionUrl) answers HTTP 500",
    "lambda-existing-role": "its package's bucket and key are deploy-time parameters without a default, and the "
    "role it names exists in no account moto has",
}


def _wait(client: Any, stack: str, timeout_s: float = 30.0, poll_s: float = 0.1) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        found: dict[str, Any] = client.describe_stacks(StackName=stack)["Stacks"][0]
        if not found["StackStatus"].endswith("_IN_PROGRESS") or time.monotonic() > deadline:
            return found
        time.sleep(poll_s)


def _create(moto: AwsTarget, name: str, spec: ChangeSpec | None = None) -> tuple[str, dict[str, Any], dict[str, Any]]:
    spec = spec or CASES[name]
    template = cloudformation.template_for(spec, REGION)
    client = moto.client("cloudformation")
    stack = f"synth-{name}-{uuid.uuid4().hex[:8]}"
    client.create_stack(
        StackName=stack,
        TemplateBody=cloudformation.render(spec, REGION),
        Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"],
    )
    return stack, template, _wait(client, stack)


@pytest.mark.parametrize("name", sorted(CASES))
def test_template_creates_on_moto(name: str, moto: AwsTarget) -> None:
    if name in MOTO_GAPS:
        pytest.skip(f"moto cannot create it: {MOTO_GAPS[name]}")
    stack, template, status = _create(moto, name)
    assert status["StackStatus"] == "CREATE_COMPLETE", status.get("StackStatusReason")
    listed = moto.client("cloudformation").list_stack_resources(StackName=stack)["StackResourceSummaries"]
    created = {r["LogicalResourceId"] for r in listed if r["ResourceStatus"] == "CREATE_COMPLETE"}
    supported = get_model_map()
    expected = {lid for lid, body in template["Resources"].items() if body["Type"] in supported}
    assert expected - created == set()


def test_ssm_ami_parameter_resolves_on_moto(moto: AwsTarget) -> None:
    """moto ships the public Amazon Linux SSM parameters, so the AMI-typed template parameter resolves."""
    # its own instance name: roles are named after the spec, and the case itself is created above on this server
    spec = ChangeSpec.model_validate(
        {"summary": "One instance", "resources": [{"kind": "ec2_instance", "name": "ssm"}]}
    )
    stack, _, status = _create(moto, "ec2-ssm", spec)
    assert status["StackStatus"] == "CREATE_COMPLETE"
    listed = moto.client("cloudformation").list_stack_resources(StackName=stack)["StackResourceSummaries"]
    instance_id = next(r["PhysicalResourceId"] for r in listed if r["ResourceType"] == "AWS::EC2::Instance")
    reservations = moto.client("ec2").describe_instances(InstanceIds=[instance_id])["Reservations"]
    image = reservations[0]["Instances"][0]["ImageId"]
    assert image == moto.client("ssm").get_parameter(Name=AL2023_X86)["Parameter"]["Value"]


def test_readme_lists_every_type_moto_cannot_create() -> None:
    supported = get_model_map()
    emitted = {
        body["Type"]
        for spec in CASES.values()
        for body in cloudformation.template_for(spec, REGION)["Resources"].values()
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### What the embedded AWS covers", 1)[1].split("\n## ", 1)[0]
    missing = sorted(t for t in emitted - set(supported) if f"`{t}`" not in section)
    assert missing == [], "add these to the README section 'What the embedded AWS covers'"
