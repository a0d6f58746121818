"""Shared pieces of the deploy tests: a bucket template, a .gate.yml for the moto server, planning a
hand-written template through the real pipeline (change set, replacement, data-loss guard), reading audit."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

from gate.audit import FileAuditLog
from gate.cloud.aws import AwsTarget
from gate.config import GateConfig, parse_config
from gate.iac import load_paths
from gate.models import ChangeContext, GatePlan
from gate.pipeline import Run, gate_bundle, write_outputs

AUDIT = ".gate-state/audit.jsonl"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def bucket_template(bucket: str, release: str = "v1", queue: bool = False) -> str:
    text = f"""AWSTemplateFormatVersion: '2010-09-09'
Resources:
  DataBucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    UpdateReplacePolicy: Retain
    Properties:
      BucketName: {bucket}
      Tags:
        - Key: release
          Value: {release}
"""
    if queue:
        text += "  WorkQueue:\n    Type: AWS::SQS::Queue\n"
    return text


def bucket_tags(target: AwsTarget, bucket: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in target.client("s3").get_bucket_tagging(Bucket=bucket)["TagSet"]}


def write_config(workdir: Path, target: AwsTarget, stack: str, **deploy: Any) -> GateConfig:
    settings: dict[str, Any] = {
        "bake_minutes": 0,
        "poll_seconds": 0.05,
        "lock_ttl_minutes": 1,
        "stack_timeout_minutes": 0.5,
        **deploy,
    }
    raw = {
        "stack_name": stack,
        "aws": {"region": target.region, "endpoint_url": target.endpoint_url},
        "checks": {
            "enabled": [],
            "allow_no_checks": True,
        },  # these tests are about the change set and the data-loss guard
        "cost": {"enabled": False},
        "deploy": settings,
    }
    text = yaml.safe_dump(raw)
    (workdir / ".gate.yml").write_text(text)
    return parse_config(text, ".gate.yml")


def plan(
    workdir: Path, target: AwsTarget, config: GateConfig, template: str, out: str, allow: tuple[str, ...] = ()
) -> tuple[GatePlan, Path]:
    """Write template.yaml and plan it like `devops-gate check` with a change set against the moto server."""
    (workdir / "template.yaml").write_text(template)
    bundle = load_paths(["template.yaml"])
    result = gate_bundle(bundle, Run(config=config, context=ChangeContext(allow_data_loss=allow), target=target))
    write_outputs(result, workdir / out)
    return result, workdir / out / "gate-plan.json"


def audit_records(workdir: Path) -> list[dict[str, Any]]:
    return list(FileAuditLog(workdir / AUDIT).records())


def kinds(workdir: Path) -> list[str]:
    return [r["kind"] for r in audit_records(workdir)]


def set_alarm_when_executed(
    target: AwsTarget, alarm: str, audit_path: Path, stack: str, nth: int, timeout: float = 20.0
) -> threading.Thread:
    """Something else in the system goes wrong: once the nth stack operation on ``stack`` has ended (the
    apply's ``apply-executed`` record), put ``alarm`` into ALARM, as CloudWatch would."""

    def run() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = [
                r
                for r in (FileAuditLog(audit_path).records() if audit_path.exists() else [])
                if r["kind"] == "apply-executed" and r["stack_name"] == stack
            ]
            if len(seen) >= nth:
                target.client("cloudwatch").set_alarm_state(
                    AlarmName=alarm, StateValue="ALARM", StateReason="Threshold Crossed: 5 errors in 1 minute"
                )
                return
            time.sleep(0.02)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def create_alarm(target: AwsTarget, name: str, tags: dict[str, str] | None = None) -> None:
    target.client("cloudwatch").put_metric_alarm(
        AlarmName=name,
        MetricName="5XXError",
        Namespace="AWS/ApiGateway",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        Tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    )


def plan_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def anchored(plan_path: Path | str) -> list[str]:
    """``--plan`` with its reviewed anchor, as CI passes it: the sha256 of gate-plan.json as it is now."""
    sha = hashlib.sha256(Path(plan_path).read_bytes()).hexdigest()
    return ["--plan", str(plan_path), "--expect-sha256", sha]
