"""The built-in cost estimator on 1,000 resources (target: under 0.5 s), base vs head with recommendations.

Times the estimate (rules + diff + recommendations) on a parsed template, and, separately, the whole
`cost_of_bundle` stage including parsing the YAML template. Best of N.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from gate.config import GateConfig
from gate.cost.compute import cost_of_bundle
from gate.cost.estimator import diff, price_cloudformation
from gate.cost.prices import load_table
from gate.cost.recommendations import recommend
from gate.cost.usage import Usage
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
    ]
