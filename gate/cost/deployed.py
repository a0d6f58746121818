"""What is deployed now (the cost base) and how busy it is, read through :class:`AwsTarget`."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.cost.recommendations import CpuStats
from gate.synth import cfn_yaml

_MISSING = ("does not exist",)


@dataclass(frozen=True)
class DeployedStack:
    name: str
    template: dict[str, Any]
    physical_ids: dict[str, str]  # logical id -> physical id


def fetch_stack(target: AwsTarget, stack_name: str) -> DeployedStack | None:
    """The deployed template and resource ids of ``stack_name``, or None when there is no such stack."""
    cfn = target.client("cloudformation")
    try:
        body = cfn.get_template(StackName=stack_name, TemplateStage="Original")["TemplateBody"]
        resources = cfn.describe_stack_resources(StackName=stack_name)["StackResources"]
    except ClientError as exc:
        if any(text in str(exc) for text in _MISSING):
            return None
        raise aws_error(exc, f"reading the template of stack {stack_name}", target) from exc
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"reading the template of stack {stack_name}", target) from exc
    if isinstance(body, str):
        template = json.loads(body) if body.lstrip().startswith("{") else cfn_yaml.load(body, f"stack {stack_name}")
    else:
        template = dict(body)
    ids = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources if r.get("PhysicalResourceId")}
    return DeployedStack(stack_name, template, ids)


def cpu_stats(
    target: AwsTarget, instances: dict[str, str], days: int = 14, now: dt.datetime | None = None
) -> dict[str, CpuStats]:
    """CPUUtilization (hourly average and maximum) of each instance id over the last ``days``; instances
    without data points are left out (nothing to say about them)."""
    if not instances:
        return {}
    cloudwatch = target.client("cloudwatch")
    end = now or dt.datetime.now(dt.UTC)
    start = end - dt.timedelta(days=days)
    out: dict[str, CpuStats] = {}
    for logical_id, instance_id in instances.items():
        try:
            points: list[dict[str, Any]] = cloudwatch.get_metric_statistics(
                Namespace="AWS/EC2",
                MetricName="CPUUtilization",
                Dimensions=[{"Name": "InstanceId", "Value": instance_id}],
                StartTime=start,
                EndTime=end,
                Period=3600,
                Statistics=["Average", "Maximum"],
            )["Datapoints"]
        except AWS_ERRORS as exc:
            raise aws_error(exc, f"reading CPU metrics of {instance_id}", target) from exc
        if not points:
            continue
        average = sum(float(p["Average"]) for p in points) / len(points)
        maximum = max(float(p["Maximum"]) for p in points)
        out[logical_id] = CpuStats(instance_id, round(average, 2), round(maximum, 2), days)
    return out
