"""Recommendations with their savings; right-sizing and the deployed base read from a real (moto) AWS."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
import yaml

from gate.cloud.aws import AwsTarget
from gate.config import GateConfig
from gate.cost.compute import cost_of_bundle
from gate.cost.deployed import cpu_stats, fetch_stack
from gate.cost.estimator import price_cloudformation
from gate.cost.prices import load_table
from gate.cost.recommendations import CpuStats, recommend
from gate.cost.usage import Usage, parse_usage
from gate.iac import make_file
from gate.models import IaCBundle
from gate.synth import cfn_yaml
from tests.conftest import FIXTURES

STACK = FIXTURES / "cost" / "web-stack.yaml"


def _by(recs: list, kind: str) -> dict[str, object]:
    return {r.resource: r for r in recs if r.kind == kind}


def test_recommendations_come_with_savings_from_the_price_table() -> None:
    table = load_table("us-east-1")
    usage = Usage()
    head = price_cloudformation(cfn_yaml.load(STACK.read_text(), "s"), table, usage)
    recs = recommend(head, table, usage)
    graviton = _by(recs, "graviton")
    # m5.large -> the cheapest priced Graviton of the same size (m6g.large), 730 h
    assert graviton["Web"].title == "m5.large → m6g.large (Graviton)"
    assert graviton["Web"].monthly_saving == pytest.approx((0.096 - 0.077) * 730, abs=0.01)
    assert graviton["Db"].monthly_saving == pytest.approx((0.178 - 0.159) * 730 * 2, abs=0.01)  # Multi-AZ
    gp3 = _by(recs, "gp3")
    assert gp3["Web"].monthly_saving == pytest.approx(100 * (0.10 - 0.08))
    assert "Batch" not in gp3, "the assumed AMI root volume is not a declared gp2 volume"
    assert "Db" not in gp3, "RDS gp2 and gp3 cost the same in us-east-1: no saving, no hint"
    spot = _by(recs, "spot")
    assert set(spot) == {"Batch"}  # tagged interruptible=true
    assert spot["Batch"].monthly_saving == pytest.approx(0.17 * 730 * 0.6, abs=0.01)
    plans = _by(recs, "savings-plan")
    assert set(plans) == {"Web", "Db"}, "steady 24x7 instances; not the Spot candidate"
    assert plans["Web"].monthly_saving == pytest.approx(0.096 * 730 * 0.27, abs=0.01)
    assert all(r.monthly_saving >= 1.0 for r in recs)


def test_part_time_instances_get_no_commitment_hint_and_usage_can_mark_spot() -> None:
    table = load_table("us-east-1")
    usage = parse_usage("resource_usage:\n  Web: {monthly_hrs: 200}\n  Worker: {interruptible: true}\n", "u.yml")
    template = {
        "Resources": {
            "Web": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m6i.large"}},
            "Worker": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "r5.large"}},
        }
    }
    head = price_cloudformation(template, table, usage)
    assert head["Web"].estimate.components[0].monthly_quantity == 200
    recs = recommend(head, table, usage)
    assert "Web" not in _by(recs, "savings-plan")
    assert _by(recs, "spot")["Worker"].monthly_saving == pytest.approx(0.126 * 730 * 0.6, abs=0.01)
    # of m7g.large and m6g.large, m6g.large is the cheaper Arm option; 200 hours, not 730
    assert _by(recs, "graviton")["Web"].monthly_saving == pytest.approx((0.096 - 0.077) * 200, abs=0.01)


def test_right_size_needs_low_cpu() -> None:
    table = load_table("us-east-1")
    template = {"Resources": {"Web": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m5.xlarge"}}}}
    head = price_cloudformation(template, table, Usage())
    low = recommend(head, table, Usage(), {"Web": CpuStats("i-1", 4.0, 20.0, 14)})
    assert _by(low, "right-size")["Web"].title == "m5.xlarge → m5.large"
    assert _by(low, "right-size")["Web"].monthly_saving == pytest.approx((0.192 - 0.096) * 730, abs=0.01)
    busy = recommend(head, table, Usage(), {"Web": CpuStats("i-1", 4.0, 95.0, 14)})
    assert "Web" not in _by(busy, "right-size"), "a high peak means the headroom is used"


TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  App:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: {itype}
      ImageId: {ami}
  Ip:
    Type: AWS::EC2::EIP
"""


@pytest.mark.moto
def test_base_is_the_deployed_stack_and_low_cpu_suggests_a_smaller_size(moto: AwsTarget, tmp_path: Path) -> None:
    stack = f"cost-{uuid.uuid4().hex[:8]}"
    ec2 = moto.client("ec2")
    ami = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    cfn = moto.client("cloudformation")
    cfn.create_stack(StackName=stack, TemplateBody=TEMPLATE.format(itype="m5.xlarge", ami=ami))
    deployed = fetch_stack(moto, stack)
    assert deployed is not None and deployed.template["Resources"]["App"]["Properties"]["InstanceType"] == "m5.xlarge"
    instance_id = deployed.physical_ids["App"]
    now = dt.datetime.now(dt.UTC)
    moto.client("cloudwatch").put_metric_data(
        Namespace="AWS/EC2",
        MetricData=[
            {
                "MetricName": "CPUUtilization",
                "Dimensions": [{"Name": "InstanceId", "Value": instance_id}],
                "Timestamp": now - dt.timedelta(hours=h),
                "Value": value,
                "Unit": "Percent",
            }
            for h, value in ((1, 3.0), (2, 5.0), (30, 4.0))
        ],
    )
    stats = cpu_stats(moto, {"App": instance_id}, now=now)
    assert stats["App"].average == pytest.approx(4.0) and stats["App"].maximum == pytest.approx(5.0)
    assert cpu_stats(moto, {"Other": "i-00000000000000000"}, now=now) == {}, "no data points: nothing to say"

    # the change: m5.xlarge -> m5.2xlarge, the EIP goes away
    head = TEMPLATE.format(itype="m5.2xlarge", ami=ami).split("  Ip:")[0]
    bundle = IaCBundle(origin="hand-written", files=(make_file("t.yaml", "cloudformation", head),))
    config = GateConfig(stack_name=stack)
    report = cost_of_bundle(bundle, config, "us-east-1", tmp_path, moto)
    assert report.base == f"deployed stack {stack}"
    lines = {line.logical_id: line for line in report.lines}
    assert lines["App"].change == "modify"
    assert lines["App"].monthly_delta == pytest.approx((0.384 - 0.192) * 730, abs=0.01)
    assert lines["Ip"].change == "remove" and lines["Ip"].monthly_delta == pytest.approx(-3.65)
    right = _by(list(report.recommendations), "right-size")["App"]
    assert right.title == "m5.2xlarge → m5.xlarge" and instance_id in right.detail


@pytest.mark.moto
def test_no_stack_yet_means_an_empty_base(moto: AwsTarget, tmp_path: Path) -> None:
    assert fetch_stack(moto, f"absent-{uuid.uuid4().hex[:8]}") is None
    body = yaml.safe_dump({"Resources": {"Key": {"Type": "AWS::KMS::Key"}}})
    bundle = IaCBundle(origin="hand-written", files=(make_file("k.yaml", "cloudformation", body),))
    config = GateConfig(stack_name=f"absent-{uuid.uuid4().hex[:8]}")
    report = cost_of_bundle(bundle, config, "us-east-1", tmp_path, moto)
    assert report.base.startswith("empty") and report.monthly_before == 0 and report.monthly_after == 1.0
