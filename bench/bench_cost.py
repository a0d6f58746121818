"""The built-in cost estimator on 1,000 resources (target: under 0.5 s), base vs head with recommendations.

Times the estimate (rules + diff + recommendations) on a parsed template, and, separately, the whole
`cost_of_bundle` stage including parsing the YAML template; then the same resources as Terraform, priced by
us and, when it is installed with an API key, by ``infracost breakdown`` (one run: it calls infracost's
pricing API).  Where infracost is missing the output says so: there is no ratio without a peer.  Best of N.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from gate.config import GateConfig
from gate.cost.compute import cost_of_bundle
from gate.cost.estimator import diff, price_cloudformation, price_terraform
from gate.cost.infracost import run_breakdown
from gate.cost.prices import load_table
from gate.cost.recommendations import recommend
from gate.cost.usage import Usage
from gate.errors import GateError
from gate.iac import make_file
from gate.models import IaCBundle
from gate.synth import cfn_yaml

RESOURCES = 1000
ROUNDS = 5
TARGET_S = 0.5

_KINDS: list[dict[str, Any]] = [
    {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m5.large", "BlockDeviceMappings": [
        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 50, "VolumeType": "gp2"}}]}},
    {"Type": "AWS::EC2::Volume", "Properties": {"Size": 200, "VolumeType": "gp3", "Iops": 4000}},
    {"Type": "AWS::RDS::DBInstance", "Properties": {"DBInstanceClass": "db.r5.large", "Engine": "mysql",
                                                    "MultiAZ": True, "AllocatedStorage": 100}},
    {"Type": "AWS::EC2::NatGateway", "Properties": {}},
    {"Type": "AWS::Lambda::Function", "Properties": {"MemorySize": 512}},
    {"Type": "AWS::S3::Bucket", "Properties": {}},
    {"Type": "AWS::DynamoDB::Table", "Properties": {
        "BillingMode": "PROVISIONED", "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 5}}},
    {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Period": 60}},
    {"Type": "AWS::IAM::Role", "Properties": {}},
    {"Type": "AWS::EKS::Cluster", "Properties": {}},
]  # fmt: skip


def template(n: int, itype: str = "m5.large") -> dict[str, Any]:
    resources: dict[str, Any] = {}
    for i in range(n):
        body = _KINDS[i % len(_KINDS)]
        if body["Type"] == "AWS::EC2::Instance":
            body = {**body, "Properties": {**body["Properties"], "InstanceType": itype}}
        resources[f"Res{i:04d}"] = body
    return {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}


# The same kinds as Terraform (the one format both we and infracost price).
_TF_KINDS: list[str] = [
    'resource "aws_instance" "r{i}" {{\n  ami = "ami-12345678"\n  instance_type = "{itype}"\n'
    '  root_block_device {{\n    volume_size = 50\n    volume_type = "gp2"\n  }}\n}}\n',
    'resource "aws_ebs_volume" "r{i}" {{\n  availability_zone = "us-east-1a"\n  size = 200\n  type = "gp3"\n'
    "  iops = 4000\n}}\n",
    'resource "aws_db_instance" "r{i}" {{\n  instance_class = "db.r5.large"\n  engine = "mysql"\n'
    "  multi_az = true\n  allocated_storage = 100\n}}\n",
    'resource "aws_nat_gateway" "r{i}" {{\n  allocation_id = "eipalloc-1"\n  subnet_id = "subnet-1"\n}}\n',
    'resource "aws_lambda_function" "r{i}" {{\n  function_name = "f{i}"\n  role = "arn:aws:iam::1:role/r"\n'
    '  memory_size = 512\n  runtime = "python3.12"\n  handler = "i.h"\n  filename = "f.zip"\n}}\n',
    'resource "aws_s3_bucket" "r{i}" {{\n  bucket = "b{i}"\n}}\n',
    'resource "aws_dynamodb_table" "r{i}" {{\n  name = "t{i}"\n  billing_mode = "PROVISIONED"\n'
    '  read_capacity = 10\n  write_capacity = 5\n  hash_key = "id"\n'
    '  attribute {{\n    name = "id"\n    type = "S"\n  }}\n}}\n',
    'resource "aws_cloudwatch_metric_alarm" "r{i}" {{\n  alarm_name = "a{i}"\n'
    '  comparison_operator = "GreaterThanThreshold"\n  evaluation_periods = 1\n  metric_name = "CPUUtilization"\n'
    '  namespace = "AWS/EC2"\n  period = 60\n  statistic = "Average"\n  threshold = 80\n}}\n',
    'resource "aws_iam_role" "r{i}" {{\n  name = "r{i}"\n  assume_role_policy = "{{}}"\n}}\n',
    'resource "aws_eks_cluster" "r{i}" {{\n  name = "c{i}"\n  role_arn = "arn:aws:iam::1:role/r"\n'
    '  vpc_config {{\n    subnet_ids = ["subnet-1"]\n  }}\n}}\n',
]


def terraform(n: int, itype: str = "m5.xlarge") -> str:
    head = 'provider "aws" {\n  region = "us-east-1"\n}\n'
    return head + "".join(_TF_KINDS[i % len(_TF_KINDS)].format(i=i, itype=itype) for i in range(n))


def _peer_lines(usage: Usage) -> list[str]:
    """Our Terraform pricing, and infracost's on the same file when it can run here (else: why not)."""
    from hcl2.api import loads

    table = load_table("us-east-1")
    text = terraform(RESOURCES)
    ours = _best(lambda: price_terraform(loads(text), table, usage))
    lines = [f"{RESOURCES} resources as Terraform, parsed and priced by us: {ours * 1000:.0f} ms"]
    binary = shutil.which("infracost")
    if binary is None:
        return [*lines, "infracost: not installed here, no ratio"]
    if not os.environ.get("INFRACOST_API_KEY"):
        return [*lines, "infracost: installed, but INFRACOST_API_KEY is not set (it prices through its API), no ratio"]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "main.tf").write_text(text, encoding="utf-8")
        started = time.perf_counter()
        try:
            run_breakdown(binary, Path(tmp), timeout=600.0)
        except GateError as exc:
            return [*lines, f"infracost: could not run here ({exc.message}), no ratio"]
        theirs = time.perf_counter() - started
    return [
        *lines,
        f"infracost breakdown on the same file (one run, its pricing API included): {theirs:.2f} s",
        f"ratio (infracost / ours): {theirs / ours:.2f}x",
    ]


def _best(fn: Any) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def run() -> list[str]:
    table = load_table("us-east-1")
    usage = Usage(by_type={"AWS::Lambda::Function": {"monthly_requests": 1e6}, "AWS::S3::Bucket": {"storage_gb": 50}})
    base_t, head_t = template(RESOURCES), template(RESOURCES, itype="m5.xlarge")

    def estimate() -> None:
        base = price_cloudformation(base_t, table, usage)
        head = price_cloudformation(head_t, table, usage)
        diff(base, head, table=table, region="us-east-1", base_label="b", usage=usage,
             recommendations=recommend(head, table, usage))  # fmt: skip

    seconds = _best(estimate)
    body = cfn_yaml.dump(head_t)
    bundle = IaCBundle(origin="hand-written", files=(make_file("t.yaml", "cloudformation", body),))
    with tempfile.TemporaryDirectory() as tmp:
        whole = _best(lambda: cost_of_bundle(bundle, GateConfig(), "us-east-1", Path(tmp)))
    head = price_cloudformation(head_t, table, usage)
    report = diff({}, head, table=table, region="us-east-1", base_label="b", usage=usage)
    verdict = "OK" if seconds < TARGET_S else "OVER TARGET"
    return [
        f"{RESOURCES} resources, base and head priced + diff + recommendations: {seconds * 1000:.0f} ms "
        f"(target < {TARGET_S * 1000:.0f} ms: {verdict})",
        f"whole cost stage incl. parsing the {len(body) // 1024} KiB YAML template: {whole * 1000:.0f} ms",
        f"head total ${report.monthly_after:,.2f}/month, {len(report.not_estimated)} not estimated, "
        f"{report.free_resources} free",
        *_peer_lines(usage),
    ]
