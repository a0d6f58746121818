"""``devops-gate codepipeline`` as a job worker: moto holds the pipeline and the S3 artifacts; the job-worker
calls moto lacks (PollForJobs, AcknowledgeJob, Put*JobResult) come from a local fake in front of it."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from tests.codepipeline_support import ACTION, artifact, zipped
from tests.fakes.codepipeline_jobs import FakeJobs


def _job_data(bucket: str, pipeline: str, config: dict[str, str]) -> dict[str, object]:
    return {
        "actionTypeId": ACTION,
        "actionConfiguration": {"configuration": config},
        "pipelineContext": {"pipelineName": pipeline, "stage": {"name": "Gate"}, "action": {"name": "Plan"}},
        "inputArtifacts": [artifact("Source", bucket, "in/source.zip")],
        "outputArtifacts": [artifact("GatePlan", bucket, "out/gate-plan.zip")],
        "artifactCredentials": {"accessKeyId": "testing", "secretAccessKey": "testing", "sessionToken": "t"},
    }


def _pipeline(target: AwsTarget, bucket: str) -> str:
    """A real pipeline on moto with the gate as a custom action (moto implements pipelines, not jobs)."""
    name = f"gate-pipe-{uuid.uuid4().hex[:8]}"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "codepipeline.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    role = target.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    source_type = {"category": "Source", "owner": "AWS", "provider": "S3", "version": "1"}
    source = {
        "name": "Source",
        "actionTypeId": source_type,
        "configuration": {"S3Bucket": bucket, "S3ObjectKey": "in/source.zip"},
        "outputArtifacts": [{"name": "Source"}],
    }
    gate = {
        "name": "Plan",
        "actionTypeId": ACTION,
        "configuration": {"Mode": "plan"},
        "inputArtifacts": [{"name": "Source"}],
        "outputArtifacts": [{"name": "GatePlan"}],
    }
    target.client("codepipeline").create_pipeline(
        pipeline={
            "name": name,
            "roleArn": role["Arn"],
            "artifactStore": {"type": "S3", "location": bucket},
            "stages": [{"name": "Source", "actions": [source]}, {"name": "Gate", "actions": [gate]}],
        }
    )
    return name


def test_a_plan_job_succeeds_and_writes_the_planartifact(jobs: FakeJobs) -> None:
    target = AwsTarget(region="us-east-1", endpoint_url=jobs.url)
    bucket = f"gate-artifacts-{uuid.uuid4().hex[:8]}"
    s3 = target.client("s3")
    s3.create_bucket(Bucket=bucket)
    pipeline = _pipeline(target, bucket)
    assert target.client("codepipeline").get_pipeline(name=pipeline)["pipeline"]["name"] == pipeline
    stack = f"gate-cp-{uuid.uuid4().hex[:8]}"
    source = {
        "change-request.md": "Create an S3 bucket named acme-cp-invoices with versioning enabled\n",
        ".gate.yml": f"version: 1\nstack_name: {stack}\n",
    }
    s3.put_object(Bucket=bucket, Key="in/source.zip", Body=zipped(source))
    ok = jobs.add_job(ACTION, _job_data(bucket, pipeline, {"Mode": "plan"}))
    broken = jobs.add_job(ACTION, _job_data(bucket, pipeline, {"Mode": "plan", "RequestFile": "missing.md"}))
    code = main(
        ["codepipeline", "--endpoint-url", jobs.url, "--max-jobs", "2", "--idle-polls", "2", "--poll-seconds", "0.05"]
    )
    assert code == 0
    assert jobs.violations == []
    assert jobs.acknowledged == [ok, broken]
    assert jobs.results[ok]["operation"] == "PutJobSuccessResult"
    assert jobs.results[ok]["outputVariables"]["verdict"] == "pass"
    failure = jobs.results[broken]
    assert failure["operation"] == "PutJobFailureResult"
    assert failure["failureDetails"]["type"] == "ConfigurationError"
    assert "missing.md" in failure["failureDetails"]["message"]
    archive = s3.get_object(Bucket=bucket, Key="out/gate-plan.zip")["Body"].read()
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        plan = json.loads(zf.read("gate-plan.json"))
    assert plan["context"] == plan["context"] | {"source": "codepipeline", "repository": pipeline}
    assert plan["stack_name"] == stack


def test_an_apply_job_without_a_plan_fails_clearly(jobs: FakeJobs) -> None:
    target = AwsTarget(region="us-east-1", endpoint_url=jobs.url)
    bucket = f"gate-artifacts-{uuid.uuid4().hex[:8]}"
    target.client("s3").create_bucket(Bucket=bucket)
    target.client("s3").put_object(Bucket=bucket, Key="in/source.zip", Body=zipped({"README": "no plan here"}))
    job_id = jobs.add_job(ACTION, _job_data(bucket, "p", {"Mode": "apply"}))
    other = jobs.add_job({**ACTION, "provider": "Other"}, _job_data(bucket, "p", {"Mode": "apply"}))
    assert main(["codepipeline", "--endpoint-url", jobs.url, "--idle-polls", "1", "--poll-seconds", "0.01"]) == 0
    assert jobs.violations == []
    assert jobs.results[job_id]["failureDetails"]["message"].startswith("the input artifact has no gate-plan.json")
    assert other not in jobs.results  # another provider's job is not ours to take


def _work(jobs: FakeJobs, count: int) -> int:
    argv = ["codepipeline", "--endpoint-url", jobs.url, "--max-jobs", str(count), "--idle-polls", "2"]
    return main([*argv, "--poll-seconds", "0.05"])


def test_an_apply_job_deploys_the_reviewed_plan_with_the_sources_config(jobs: FakeJobs) -> None:
    """Plan stage, then apply stage with [plan artifact, source artifact] as inputs: the apply reads .gate.yml from
    the source (stack, lock table, no bake wait) and deploys on the worker's AWS endpoint (here: moto)."""
    target = AwsTarget(region="us-east-1", endpoint_url=jobs.url)
    bucket = f"gate-artifacts-{uuid.uuid4().hex[:8]}"
    s3 = target.client("s3")
    s3.create_bucket(Bucket=bucket)
    stack = f"gate-cp-apply-{uuid.uuid4().hex[:8]}"
    deploy = "deploy:\n  bake_minutes: 0\n  poll_seconds: 0.2\n  lock_table: gate-cp-locks\n"
    config = f"version: 1\nstack_name: {stack}\n{deploy}"
    request = f"Create an S3 bucket named acme-cp-{uuid.uuid4().hex[:8]} with versioning enabled\n"
    s3.put_object(Bucket=bucket, Key="in/source.zip", Body=zipped({"change-request.md": request, ".gate.yml": config}))
    planned = jobs.add_job(ACTION, _job_data(bucket, "p", {"Mode": "plan"}))
    assert _work(jobs, 1) == 0
    assert jobs.results[planned]["operation"] == "PutJobSuccessResult", jobs.results[planned]
    recorded = jobs.results[planned]["outputVariables"]["planSha256"]  # what #{GatePlan.planSha256} resolves to
    data = _job_data(bucket, "p", {"Mode": "apply", "PlanSha256": recorded})
    data["inputArtifacts"] = [
        artifact("GatePlan", bucket, "out/gate-plan.zip"),
        artifact("Source", bucket, "in/source.zip"),
    ]
    data["outputArtifacts"] = []
    applied = jobs.add_job(ACTION, data)
    assert _work(jobs, 1) == 0
    assert jobs.violations == []
    assert jobs.results[applied]["operation"] == "PutJobSuccessResult", jobs.results[applied]
    assert jobs.results[applied]["executionDetails"]["summary"] == f"applied the reviewed plan (sha256 {recorded[:12]})"
    [described] = target.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    assert described["StackStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE")


def test_every_acknowledged_job_is_reported_whatever_fails(jobs: FakeJobs, capsys: pytest.CaptureFixture[str]) -> None:
    target = AwsTarget(region="us-east-1", endpoint_url=jobs.url)
    bucket = f"gate-artifacts-{uuid.uuid4().hex[:8]}"
    s3 = target.client("s3")
    s3.create_bucket(Bucket=bucket)
    request = {"change-request.md": "Create an S3 bucket named acme-cp-out with versioning enabled\n"}
    s3.put_object(Bucket=bucket, Key="in/source.zip", Body=zipped(request))
    # a file and a folder of the same name: extracting it raises OSError, not a GateError
    s3.put_object(Bucket=bucket, Key="in/odd.zip", Body=zipped({"a": "file", "a/b": "file below a file"}))
    no_bucket = _job_data(bucket, "p", {"Mode": "plan"})
    no_bucket["outputArtifacts"] = [artifact("GatePlan", f"{bucket}-gone", "out/gate-plan.zip")]
    odd = _job_data(bucket, "p", {"Mode": "plan"})
    odd["inputArtifacts"] = [artifact("Source", bucket, "in/odd.zip")]
    refused, crashed = jobs.add_job(ACTION, no_bucket), jobs.add_job(ACTION, odd)
    assert _work(jobs, 2) == 0
    assert jobs.violations == []
    assert jobs.acknowledged == [refused, crashed]
    assert {jobs.results[j]["operation"] for j in (refused, crashed)} == {"PutJobFailureResult"}
    refusal = jobs.results[refused]["failureDetails"]
    assert "writing the plan artifact" in refusal["message"] and "NoSuchBucket" in refusal["message"]
    crash = jobs.results[crashed]["failureDetails"]
    assert crash["type"] == "JobFailed"
    assert crash["message"].startswith("devops-gate failed unexpectedly: FileExistsError")
    assert "Traceback" in capsys.readouterr().out  # logged with its cause, not swallowed


def test_a_tampered_plan_artifact_is_refused_with_the_reason(jobs: FakeJobs) -> None:
    """The artifact store's gate-plan.json edited after review (its verdict turned into pass): not the sha256
    the plan action recorded for this execution, so the apply job fails and says why."""
    target = AwsTarget(region="us-east-1", endpoint_url=jobs.url)
    bucket = f"gate-artifacts-{uuid.uuid4().hex[:8]}"
    s3 = target.client("s3")
    s3.create_bucket(Bucket=bucket)
    request = f"Create an S3 bucket named acme-cp-{uuid.uuid4().hex[:8]} with versioning enabled\n"
    s3.put_object(Bucket=bucket, Key="in/source.zip", Body=zipped({"change-request.md": request}))
    planned = jobs.add_job(ACTION, _job_data(bucket, "p", {"Mode": "plan"}))
    assert _work(jobs, 1) == 0
    recorded = jobs.results[planned]["outputVariables"]["planSha256"]
    archive = zipfile.ZipFile(io.BytesIO(s3.get_object(Bucket=bucket, Key="out/gate-plan.zip")["Body"].read()))
    plan = json.loads(archive.read("gate-plan.json"))
    plan["verdict"] = {"decision": "pass", "reasons": []}
    s3.put_object(Bucket=bucket, Key="out/gate-plan.zip", Body=zipped({"gate-plan.json": json.dumps(plan)}))
    for config, expect in (
        ({"Mode": "apply", "PlanSha256": recorded}, "changed after review"),
        ({"Mode": "apply"}, "PlanSha256"),
    ):
        data = _job_data(bucket, "p", config)
        data["inputArtifacts"] = [artifact("GatePlan", bucket, "out/gate-plan.zip")]
        applied = jobs.add_job(ACTION, data)
        assert _work(jobs, 1) == 0
        result = jobs.results[applied]
        assert result["operation"] == "PutJobFailureResult", result
        assert expect in result["failureDetails"]["message"]
