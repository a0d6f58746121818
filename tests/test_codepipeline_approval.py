"""A needs-approval plan in CodePipeline is approved by the Manual approval action between plan and apply: the
apply job names it (``ApprovalAction``), and applies only when that action, a real Manual approval in the
pipeline's definition (moto), succeeded in the same pipeline execution (``ListActionExecutions``, which moto
lacks: served by the job-worker fake with the answer AWS gives). Who approved is in the audit log."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from gate.audit import FileAuditLog
from gate.cli import main
from gate.cloud.aws import AwsTarget
from tests.codepipeline_support import ACTION, MANUAL, artifact, zipped
from tests.fakes.codepipeline_jobs import FakeJobs


def _pipeline(target: AwsTarget, bucket: str) -> str:
    """Source -> Gate (plan) -> Approval (a Manual approval action 'Approve') -> Deploy (apply), on moto."""
    name = f"gate-approve-{uuid.uuid4().hex[:8]}"
    principal = {"Service": "codepipeline.amazonaws.com"}
    statement = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    trust = {"Version": "2012-10-17", "Statement": [statement]}
    role = target.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    source = {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}
    stages = [
        {
            "name": "Source",
            "actions": [
                {
                    "name": "Source",
                    "actionTypeId": source,
                    "configuration": {"S3Bucket": bucket, "S3ObjectKey": "in/source.zip"},
                    "outputArtifacts": [{"name": "Source"}],
                }
            ],
        },
        {
            "name": "Gate",
            "actions": [
                {
                    "name": "Plan",
                    "actionTypeId": ACTION,
                    "configuration": {"Mode": "plan"},
                    "inputArtifacts": [{"name": "Source"}],
                    "outputArtifacts": [{"name": "GatePlan"}],
                }
            ],
        },
        {"name": "Approval", "actions": [{"name": "Approve", "actionTypeId": MANUAL}]},
        {
            "name": "Deploy",
            "actions": [
                {
                    "name": "Apply",
                    "actionTypeId": ACTION,
                    "configuration": {"Mode": "apply", "ApprovalAction": "Approve"},
                    "inputArtifacts": [{"name": "GatePlan"}, {"name": "Source"}],
                }
            ],
        },
    ]
    target.client("codepipeline").create_pipeline(
        pipeline={
            "name": name,
            "roleArn": role["Arn"],
            "artifactStore": {"type": "S3", "location": bucket},
            "stages": stages,
        }
    )
    return name


def _data(bucket: str, pipeline: str, execution: str, config: dict[str, str], apply: bool) -> dict[str, Any]:
    inputs = [artifact("GatePlan", bucket, "out/gate-plan.zip")] if apply else []
    return {
        "actionTypeId": ACTION,
        "actionConfiguration": {"configuration": config},
        "pipelineContext": {
            "pipelineName": pipeline,
            "stage": {"name": "Deploy" if apply else "Gate"},
            "action": {"name": "Apply" if apply else "Plan"},
            "pipelineExecutionId": execution,
        },
        "inputArtifacts": [*inputs, artifact("Source", bucket, "in/source.zip")],
        "outputArtifacts": [] if apply else [artifact("GatePlan", bucket, "out/gate-plan.zip")],
        "artifactCredentials": {"accessKeyId": "testing", "secretAccessKey": "testing", "sessionToken": "t"},
    }


def _work(jobs: FakeJobs) -> None:
    argv = ["codepipeline", "--endpoint-url", jobs.url, "--max-jobs", "1", "--idle-polls", "2"]
    assert main([*argv, "--poll-seconds", "0.05"]) == 0


def test_a_needs_approval_plan_is_applied_once_the_manual_approval_of_its_execution_succeeded(
    jobs: FakeJobs, tmp_path: Path
) -> None:
    target = AwsTarget(region="us-east-1", endpoint_url=jobs.url)
    bucket = f"gate-artifacts-{uuid.uuid4().hex[:8]}"
    s3 = target.client("s3")
    s3.create_bucket(Bucket=bucket)
    pipeline = _pipeline(target, bucket)
    stack = f"gate-cp-approve-{uuid.uuid4().hex[:8]}"
    config = (
        f"version: 1\nstack_name: {stack}\nthresholds:\n  fail_on: critical\n  approval_on: low\n"
        "deploy:\n  bake_minutes: 0\n  poll_seconds: 0.2\n  lock_table: gate-cp-locks\n"
    )
    request = f"Create an S3 bucket named acme-cp-{uuid.uuid4().hex[:8]} with versioning enabled\n"
    s3.put_object(Bucket=bucket, Key="in/source.zip", Body=zipped({"change-request.md": request, ".gate.yml": config}))
    execution = str(uuid.uuid4())
    planned = jobs.add_job(ACTION, _data(bucket, pipeline, execution, {"Mode": "plan"}, apply=False))
    _work(jobs)
    result = jobs.results[planned]
    assert result["operation"] == "PutJobSuccessResult", "needs-approval succeeds so the approval stage can follow"
    assert result["outputVariables"]["verdict"] == "needs-approval"
    recorded = result["outputVariables"]["planSha256"]
    apply_config = {"Mode": "apply", "PlanSha256": recorded, "ApprovalAction": "Approve"}

    def apply(settings: dict[str, str]) -> dict[str, Any]:
        job = jobs.add_job(ACTION, _data(bucket, pipeline, execution, settings, apply=True))
        _work(jobs)
        return jobs.results[job]

    # no approval to check: a configuration error that says what to add
    unnamed = apply({"Mode": "apply", "PlanSha256": recorded})
    assert unnamed["failureDetails"]["type"] == "ConfigurationError"
    assert "names no approval" in unnamed["failureDetails"]["message"]
    # the approval has not been given in this execution (one of another execution does not count)
    jobs.record_approval(pipeline, "another-execution", "Approval", "Approve", "Succeeded", "arn:x:mallory", "ok")
    waiting = apply(apply_config)
    assert waiting["operation"] == "PutJobFailureResult"
    assert (
        f"the approval action Approval.Approve has not run in pipeline execution {execution}"
        in (waiting["failureDetails"]["message"])
    )
    # an action that is not a Manual approval approves nothing
    wrong = apply({**apply_config, "ApprovalAction": "Plan"})
    assert "is not a Manual approval (Test/Custom/DevopsGate)" in wrong["failureDetails"]["message"]

    alice = "arn:aws:iam::123456789012:user/alice"
    jobs.record_approval(pipeline, execution, "Approval", "Approve", "Succeeded", alice, "change board: ok")
    applied = apply(apply_config)
    assert jobs.violations == []
    assert applied["operation"] == "PutJobSuccessResult", applied
    summary = applied["executionDetails"]["summary"]
    assert summary.startswith(
        f"applied the reviewed plan (sha256 {recorded[:12]}); approved in CodePipeline by {alice}"
    )
    assert "change board: ok" in summary
    [described] = target.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    assert described["StackStatus"] == "CREATE_COMPLETE"

    records = list(FileAuditLog(tmp_path / ".gate-state" / "audit.jsonl").records())
    refused = [r for r in records if r["kind"] == "apply-refused"]
    assert any("has not run in pipeline execution" in r["reason"] for r in refused)
    [approved] = [r for r in records if r["kind"] == "apply-approved"]
    assert approved["approval"] == approved["approval"] | {
        "source": "codepipeline",
        "approver": alice,
        "pipeline": pipeline,
        "pipeline_execution_id": execution,
        "action": "Approval.Approve",
        "summary": "change board: ok",
    }
    started = next(r for r in records if r["kind"] == "apply-started")
    assert started["approval"]["approvals"][0]["approver"] == alice
    assert started["actor"] == f"codepipeline:{pipeline}"
