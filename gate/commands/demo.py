"""``devops-gate demo``: the whole lifecycle on the embedded AWS (a moto server on 127.0.0.1):
plan -> apply -> an alarm goes to ALARM during the bake -> automatic rollback -> the audit records."""

from __future__ import annotations

import argparse
import json
import logging
import threading
import time
import warnings
from importlib import resources
from pathlib import Path

from gate.audit import FileAuditLog
from gate.cloud.aws import AwsTarget
from gate.cloud.embedded import moto_server
from gate.commands.common import finish, settings
from gate.config import GateConfig
from gate.deploy.spine import RunSettings, apply_reviewed
from gate.intake.local import from_text
from gate.models import ChangeContext
from gate.pipeline import PLAN_FILE, Run, plan_request
from gate.plan_file import plan_file_sha256

HELP = "run the whole lifecycle (plan, apply, alarm, rollback, audit) on an embedded moto server"
DEMO_ALARM = "demo-api-5xx-errors"


def demo_request() -> str:
    return resources.files("gate.data").joinpath("demo-request.md").read_text(encoding="utf-8").strip()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--request", help="use this request instead of the bundled example")
    parser.add_argument("--out", default="gate-out/demo", help="output folder")
    parser.add_argument("--config", help="settings file (default: .gate.yml when present)")


def _step(text: str) -> None:
    print(f"==> {text}", flush=True)


def _say(line: str) -> None:
    print(f"    {line}", flush=True)


def _demo_config(config: GateConfig, out: Path) -> GateConfig:
    """Short bake and polls, the demo's alarm, and the audit log and saved templates in the output folder."""
    deploy = config.deploy.model_copy(
        update={
            "bake_minutes": 0.25,
            "poll_seconds": 0.1,
            "alarms": (DEMO_ALARM,),
            "alarm_tags": {},
            "audit_bucket": None,
            "audit_path": str(out / "audit.jsonl"),
            "state_dir": str(out / "state"),
        }
    )
    return config.model_copy(update={"deploy": deploy})


def _create_alarm(target: AwsTarget) -> None:
    # moto cannot create alarms through CloudFormation, so the demo creates it with the CloudWatch API
    target.client("cloudwatch").put_metric_alarm(
        AlarmName=DEMO_ALARM,
        MetricName="5XXError",
        Namespace="AWS/ApiGateway",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=5,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )


def _incident(target: AwsTarget, audit: Path, stack: str) -> threading.Thread:
    """Something goes wrong after the deploy: once the stack operation has ended, the alarm fires."""

    def run() -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if audit.exists() and any(
                r["kind"] == "apply-executed" and r["stack_name"] == stack for r in FileAuditLog(audit).records()
            ):
                target.client("cloudwatch").set_alarm_state(
                    AlarmName=DEMO_ALARM, StateValue="ALARM", StateReason="Threshold Crossed: 12 5XX errors in 1 minute"
                )
                return
            time.sleep(0.05)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    config = _demo_config(settings(args), out)
    audit_path = Path(config.deploy.audit_path)
    if audit_path.exists():
        audit_path.unlink()  # each demo starts a fresh embedded AWS, so a fresh audit log
    request = from_text(args.request or demo_request())
    started = time.perf_counter()
    logging.getLogger("moto").setLevel(logging.ERROR)  # "no CloudFormation support for X" is moto's limit, not ours
    warnings.filterwarnings("ignore", category=UserWarning, module=r"moto\..*")
    _step("starting the embedded AWS (moto server on 127.0.0.1)")
    with moto_server(config.aws.region) as target:
        print(f"    endpoint {target.endpoint_url}, region {target.region}")
        _create_alarm(target)
        _step(f"change request: {request.text}")
        _step(
            "PLAN: interpreting, synthesising CloudFormation, running the checks, "
            f"creating a change set for stack {config.stack_name}"
        )
        plan = plan_request(request, Run(config=config, context=ChangeContext(), target=target))
        _step("the change set says:")
        for change in plan.changes:
            print(f"    {change.action:<7} {change.logical_id:<32} {change.type}")
        if not plan.changes:
            print("    (no changes)")
        code = finish(plan, args.out)
        if code != 0:
            _step("stopping the embedded AWS")
            return code
        _step(f"APPLY: verifying the reviewed hashes, locking, executing; bake {config.deploy.bake_minutes * 60:g} s")
        incident = _incident(target, audit_path, config.stack_name)
        plan_path = out / PLAN_FILE
        # the same spine as 'devops-gate apply', anchored on the sha256 the plan step just printed
        run_settings = RunSettings(
            config=config, actor="demo", expect_sha256=plan_file_sha256(plan_path), target=target, say=_say
        )
        applied = apply_reviewed(plan_path, run_settings)
        incident.join(1)
        outcome = applied.outcomes[-1] if applied.outcomes else None
        _step(f"OUTCOME: {outcome.outcome if outcome else applied.summary()}")
        if outcome and outcome.alarm:
            print(f"    alarm {outcome.alarm.name} fired at {outcome.alarm.at}: {outcome.alarm.reason}")
        if outcome and outcome.rollback:
            print(f"    rollback: {outcome.rollback}")
        _step(f"AUDIT: {audit_path}")
        for record in FileAuditLog(audit_path).records():
            print(f"    {record['at']}  {record['kind']}")
        finished = [r for r in FileAuditLog(audit_path).records() if r["kind"] == "apply-finished"]
        if finished:
            print(json.dumps(finished[-1], indent=2, sort_keys=True))
        _step("stopping the embedded AWS")
    print(f"done in {time.perf_counter() - started:.1f} s; read {args.out}/comment.md for the PR comment")
    return code
