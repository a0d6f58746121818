"""The built-in estimator: price table, pricing rules per kind (CloudFormation and Terraform), usage file,
base-vs-head diff, and 'not estimated' never shown as $0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.cost.estimator import diff, price_cloudformation, price_terraform
from gate.cost.prices import HOURS_PER_MONTH, available_regions, load_table, parse_table
from gate.cost.usage import Usage, load_usage, parse_usage
from gate.errors import GateError
from gate.synth import cfn_yaml
from tests.conftest import FIXTURES

STACK = FIXTURES / "cost" / "web-stack.yaml"
USAGE = FIXTURES / "cost" / "usage.yml"


@pytest.fixture(scope="module")
def us() -> object:
    return load_table("us-east-1")


def _stack() -> dict[str, object]:
    return cfn_yaml.load(STACK.read_text(), str(STACK))


def test_bundled_tables_are_dated_and_cover_the_required_regions() -> None:
    assert {"us-east-1", "us-west-2", "eu-west-1", "eu-central-1"} <= set(available_regions())
    for region in ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1"):
        table = load_table(region)
        assert table.region == region and table.currency == "USD"
        assert table.as_of == "2025-01-15" and "not fetched" in table.source
        for family in ("t3", "t4g", "m5", "m6i", "c5", "c6g", "r5", "r6g"):
            assert table.ec2_hourly(f"{family}.large") is not None, (region, family)
        for vtype in ("gp2", "gp3", "io1", "io2", "st1", "sc1"):
            assert table.number("ebs", "gb_month", vtype) is not None
        assert table.rds_hourly("postgres", "db.t3.micro") is not None
        assert table.number("nat_gateway", "hourly") and table.number("lambda", "per_million_requests")
    # a few published us-east-1 list prices, as a guard against typos in the table
    us_east = load_table("us-east-1")
    assert us_east.ec2_hourly("m5.large") == 0.096
    assert us_east.ec2_hourly("t3.micro") == 0.0104
    assert us_east.number("ebs", "gb_month", "gp3") == 0.08
    assert us_east.number("nat_gateway", "hourly") == 0.045


def test_unknown_region_and_broken_table_are_refused_with_a_fix() -> None:
    with pytest.raises(GateError, match="no price table for region mars-north-1") as info:
        load_table("mars-north-1")
    assert "prices refresh" in (info.value.fix or "")
    with pytest.raises(GateError, match="must be a JSON object"):
        parse_table(json.dumps({"region": "x"}), "t.json")


def test_cloudformation_stack_is_priced_per_resource(us: object) -> None:
    table = load_table("us-east-1")
    usage = load_usage(str(USAGE))
    head = price_cloudformation(_stack(), table, usage)
    monthly = {lid: p.estimate.monthly for lid, p in head.items()}
    h = HOURS_PER_MONTH
    assert monthly["Web"] == pytest.approx(0.096 * h + 100 * 0.10)  # parameter default resolved, gp2 root
    assert monthly["Batch"] == pytest.approx(0.17 * h + 8 * 0.10)  # no mapping: 8 GB gp2 root assumed
    assert any("assumed 8 GB gp2" in c.name for c in head["Batch"].estimate.components)
    assert monthly["Data"] == pytest.approx(500 * 0.08 + 3000 * 0.005 + 125 * 0.04)  # gp3 extra IOPS/throughput
    assert monthly["Db"] == pytest.approx(0.178 * h * 2 + 100 * 0.115 * 2)  # Multi-AZ doubles both
    assert monthly["Nat"] == pytest.approx(0.045 * h + 200 * 0.045)
    gb_seconds = 5_000_000 * 0.4 * 1024 / 1024
    assert monthly["Thumbnails"] == pytest.approx(5 * 0.2 + gb_seconds * 0.0000133334, abs=0.01)  # arm64 rate
    assert monthly["Jobs"] == pytest.approx(10 * 0.40)  # from the type default in the usage file
    assert monthly["Sessions"] == pytest.approx(2 * 0.625 + 8 * 0.125 + 10 * 0.25)
    assert monthly["HighCpu"] == pytest.approx(0.10)
    assert head["WebRole"].estimate.free


def test_unpriceable_resources_are_not_estimated_never_zero(us: object) -> None:
    table = load_table("us-east-1")
    head = price_cloudformation(_stack(), table, Usage())
    report = diff({}, head, table=table, region="us-east-1", base_label="empty", usage=Usage())
    missing = {line.logical_id: line for line in report.not_estimated}
    assert set(missing) == {"Thumbnails", "Jobs", "Events", "Sessions", "Search"}
    for line in missing.values():
        assert line.monthly_after is None and line.monthly_delta is None, "never $0"
    assert "usage file" in (missing["Thumbnails"].not_estimated or "")
    assert "instance type is not set" in (missing["Search"].not_estimated or "")  # a domain without ClusterConfig
    assert report.monthly_after == pytest.approx(sum(line.monthly_after or 0 for line in report.priced))
    assert "5 resource(s) not estimated" in (report.detail or "")
    assert report.free_resources == 1 and all(line.logical_id != "WebRole" for line in report.lines)
    # a NAT gateway without data usage is priced for its hours, with the data part shown as usage-based
    nat = next(line for line in report.lines if line.logical_id == "Nat")
    assert nat.monthly_after == pytest.approx(32.85)
    assert any(c.monthly_cost is None and "depends on usage" in c.name for c in nat.components)


def test_values_known_only_at_deploy_time_and_missing_prices_are_explained() -> None:
    table = load_table("eu-west-1")
    template = {
        "Parameters": {"Size": {"Type": "String"}},
        "Resources": {
            "A": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": {"Ref": "Size"}}},
            "B": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m7g.large"}},
            "C": {
                "Type": "AWS::RDS::DBInstance",
                "Properties": {"DBInstanceClass": "db.r6g.large", "Engine": "aurora-mysql"},
            },
            "D": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "t3.micro", "Tenancy": "dedicated"}},
        },
    }
    head = price_cloudformation(template, table, Usage())
    assert "instance_type is only known at deploy time" in (head["A"].estimate.not_estimated or "")
    assert head["B"].estimate.not_estimated == "no price for EC2 m7g.large in the eu-west-1 price table (2025-01-15)"
    assert "aurora-mysql" in (head["C"].estimate.not_estimated or "")
    assert "dedicated tenancy" in (head["D"].estimate.not_estimated or "")


def test_regions_price_differently() -> None:
    template = {"Resources": {"W": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "t3.large"}}}}
    prices = {
        region: price_cloudformation(template, load_table(region), Usage())["W"].estimate.monthly
        for region in ("us-east-1", "eu-west-1", "eu-central-1")
    }
    assert prices["us-east-1"] < prices["eu-west-1"] < prices["eu-central-1"]


def test_terraform_is_priced_with_the_same_rules() -> None:
    from hcl2.api import loads

    parsed = loads(
        """
variable "size" { default = "t3.medium" }
resource "aws_instance" "app" {
  instance_type = var.size
  count         = 3
  root_block_device {
    volume_size = 30
    volume_type = "gp3"
  }
}
resource "aws_db_instance" "db" {
  instance_class    = "db.t3.micro"
  engine            = "mysql"
  allocated_storage = 20
}
resource "aws_ebs_volume" "logs" {
  availability_zone = "us-east-1a"
  size              = 1000
  type              = "st1"
}
resource "aws_instance" "other" { instance_type = aws_launch_template.x.instance_type }
resource "aws_security_group" "web" { name = "web" }
"""
    )
    table = load_table("us-east-1")
    head = price_terraform(parsed, table, Usage())
    assert head["aws_instance.app"].estimate.monthly == pytest.approx(3 * (0.0416 * 730 + 30 * 0.08), abs=0.01)
    assert head["aws_db_instance.db"].estimate.monthly == pytest.approx(0.017 * 730 + 20 * 0.115)
    assert head["aws_ebs_volume.logs"].estimate.monthly == pytest.approx(1000 * 0.045)
    assert "only known at deploy time" in (head["aws_instance.other"].estimate.not_estimated or "")
    assert head["aws_security_group.web"].estimate.free


def test_diff_against_a_base_shows_before_after_and_delta() -> None:
    table = load_table("us-east-1")
    usage = Usage()
    base_t = {
        "Resources": {
            "Web": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m5.large"}},
            "Old": {"Type": "AWS::EC2::EIP"},
            "Same": {"Type": "AWS::KMS::Key"},
        }
    }
    head_t = {
        "Resources": {
            "Web": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m5.xlarge"}},
            "Same": {"Type": "AWS::KMS::Key"},
            "New": {"Type": "AWS::SecretsManager::Secret"},
        }
    }
    base = price_cloudformation(base_t, table, usage)
    head = price_cloudformation(head_t, table, usage)
    report = diff(base, head, table=table, region="us-east-1", base_label="deployed stack s", usage=usage)
    lines = {line.logical_id: line for line in report.lines}
    assert [line.logical_id for line in report.lines] == ["Web", "Same", "New", "Old"]
    assert lines["Web"].change == "modify"
    assert lines["Web"].monthly_delta == pytest.approx((0.192 - 0.096) * 730)
    assert lines["Old"].change == "remove" and lines["Old"].monthly_after is None
    assert lines["Old"].monthly_delta == pytest.approx(-0.005 * 730)
    assert lines["Same"].change == "same" and lines["Same"].monthly_delta == 0
    assert lines["New"].change == "add" and lines["New"].monthly_before is None
    assert report.monthly_delta == pytest.approx(report.monthly_after - report.monthly_before)
    assert report.percent_change == pytest.approx(report.monthly_delta / report.monthly_before * 100, abs=0.1)


def test_usage_file_is_validated_with_the_key_that_is_wrong() -> None:
    assert parse_usage("resource_usage:\n  Fn: {monthly_requests: 10}\n", "u.yml").by_resource["Fn"] == {
        "monthly_requests": 10.0
    }
    with pytest.raises(GateError, match=r"resource_usage\.Fn\.monthly_requests' must be a number >= 0"):
        parse_usage("resource_usage:\n  Fn: {monthly_requests: lots}\n", "u.yml")
    with pytest.raises(GateError, match="unknown key"):
        parse_usage("resources: {}\n", "u.yml")
    with pytest.raises(GateError, match="cannot read the usage file"):
        load_usage("/nonexistent/usage.yml")


def test_a_region_without_a_table_is_not_estimated_rather_than_failing_the_plan(tmp_path: Path) -> None:
    from gate.config import GateConfig
    from gate.cost.compute import cost_of_bundle
    from gate.iac import make_file
    from gate.models import IaCBundle

    body = "Resources:\n  Web:\n    Type: AWS::EC2::Instance\n    Properties: {InstanceType: t3.micro}\n"
    bundle = IaCBundle(origin="hand-written", files=(make_file("t.yaml", "cloudformation", body),))
    report = cost_of_bundle(bundle, GateConfig(), "ap-southeast-2", tmp_path)
    assert report.lines[0].not_estimated == "no price table for region ap-southeast-2"
    assert report.monthly_after == 0 and report.price_table_date is None
    assert "prices refresh" in (report.detail or "")


def test_nested_stacks_are_not_estimated_never_free_or_zero() -> None:
    from hcl2.api import loads

    table = load_table("us-east-1")
    template = {
        "Resources": {
            "Network": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://x/n.yaml"}},
            "Fleet": {"Type": "AWS::CloudFormation::StackSet", "Properties": {"StackSetName": "fleet"}},
            "Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"},
        }
    }
    head = price_cloudformation(template, table, Usage())
    for logical_id in ("Network", "Fleet"):
        estimate = head[logical_id].estimate
        assert not estimate.free and estimate.monthly is None
        assert "nested stack: its cost is that of its own resources" in (estimate.not_estimated or "")
    assert head["Handle"].estimate.free, "a wait condition handle costs nothing"
    report = diff({}, head, table=table, region="us-east-1", base_label="empty", usage=Usage())
    assert {line.logical_id for line in report.not_estimated} == {"Network", "Fleet"}
    assert all(line.monthly_after is None for line in report.not_estimated)

    parsed = loads('resource "aws_cloudformation_stack" "net" {\n  name = "net"\n  template_url = "https://x"\n}\n')
    tf = price_terraform(parsed, table, Usage())["aws_cloudformation_stack.net"].estimate
    assert not tf.free and "nested stack" in (tf.not_estimated or "")


@pytest.mark.parametrize(
    ("props", "monthly", "free", "why"),
    [
        ({"Type": "String", "Value": "x"}, None, True, None),  # no Tier: Standard
        ({"Type": "String", "Value": "x", "Tier": "Standard"}, None, True, None),
        ({"Type": "String", "Value": "x", "Tier": "Advanced"}, 0.05, False, None),
        ({"Type": "String", "Value": "x", "Tier": "Intelligent-Tiering"}, None, True, None),
        ({"Type": "String", "Value": "x" * 5000, "Tier": "Intelligent-Tiering"}, 0.05, False, None),
        ({"Type": "String", "Value": "x", "Tier": "Intelligent-Tiering", "Policies": "[{}]"}, 0.05, False, None),
        ({"Type": "String", "Value": "x", "Tier": {"Ref": "TierParam"}}, None, False, "only known at deploy time"),
        ({"Type": "String", "Value": "x", "Tier": "Premium"}, None, False, "unknown parameter tier"),
    ],
    ids=["default", "standard", "advanced", "intelligent-small", "intelligent-large", "policies", "ref", "bad"],
)
def test_ssm_parameters_are_priced_by_tier(
    props: dict[str, object], monthly: float | None, free: bool, why: str | None
) -> None:
    template = {"Parameters": {"TierParam": {"Type": "String"}}, "Resources": {"P": {"Type": "AWS::SSM::Parameter"}}}
    template["Resources"]["P"]["Properties"] = props  # type: ignore[index]
    estimate = price_cloudformation(template, load_table("eu-west-1"), Usage())["P"].estimate
    assert estimate.free is free
    assert estimate.monthly == (monthly if monthly is not None else (0.0 if free else None))
    if why:
        assert why in (estimate.not_estimated or "")


def test_terraform_ssm_parameter_tier() -> None:
    from hcl2.api import loads

    parsed = loads(
        'resource "aws_ssm_parameter" "std" {\n  name = "a"\n  type = "String"\n  value = "x"\n}\n'
        'resource "aws_ssm_parameter" "adv" {\n  name = "b"\n  type = "String"\n  value = "x"\n  tier = "Advanced"\n}\n'
    )
    head = price_terraform(parsed, load_table("us-east-1"), Usage())
    assert head["aws_ssm_parameter.std"].estimate.free
    assert head["aws_ssm_parameter.adv"].estimate.monthly == pytest.approx(0.05)


def test_an_assumed_usage_reads_as_quantities() -> None:
    from gate.cost.format import usage_assumed

    usage = {"AWS::S3::Bucket": {"storage_gb": 100.0, "monthly_tier_2_requests": 1_000_000.0, "odd_key": 2.5}}
    assert usage_assumed(usage) == "Bucket: 100 GB stored, 1,000,000 GET requests/month, 2.5 odd key"
    assert usage_assumed({}) == "no usage-priced part"
