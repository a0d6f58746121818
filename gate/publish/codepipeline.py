"""A CodePipeline custom-action job worker: poll, acknowledge, run plan or apply on the input artifact,
report ``put_job_success_result`` / ``put_job_failure_result``.

Action configuration (the custom action type's properties): ``Mode`` (plan | apply, default plan),
``RequestFile`` (in the input artifact, default ``change-request.md``), ``ConfigFile`` (default ``.gate.yml``
when the artifact has one), ``StackName`` (overrides the config's), for apply ``PlanSha256`` (the plan action's
``#{GatePlan.planSha256}``) and ``ApprovalAction`` (the Manual approval action that approves a needs-approval
plan: gate/publish/pipeline_approval.py). Apply is :func:`gate.deploy.spine.apply_reviewed`, as for the CLI.
The input artifact is the zip CodePipeline
stores in S3 (read with the job's own temporary ``artifactCredentials``); a plan writes ``gate-out/`` as the
output artifact zip, an apply expects the plan stage's output artifact (``gate-plan.json``) and reads
``ConfigFile`` from any of its input artifacts (give it the source artifact as a second input).

Every job the worker acknowledges gets a result: a ``GateError`` is a ``ConfigurationError`` with its message;
any other exception is logged with its traceback and reported as ``JobFailed`` with a readable reason.
"""

from __future__ import annotations

import hashlib
import io
import re
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.config import GateConfig, load_config
from gate.deploy.spine import RunSettings, apply_reviewed
from gate.errors import GateError
from gate.intake.local import from_file
from gate.models import ChangeContext
from gate.pipeline import PLAN_FILE, Run, plan_request, write_outputs
from gate.plan_file import load_plan
from gate.publish.artifact import extract_zip
from gate.publish.merge_ports import ticket_ports
from gate.publish.pipeline_approval import ManualApproval

_MESSAGE_LIMIT = 5000  # CodePipeline's limit for a failure message


@dataclass(frozen=True)
class ActionType:
    category: str = "Test"
    owner: str = "Custom"
    provider: str = "DevopsGate"
    version: str = "1"

    def as_api(self) -> dict[str, str]:
        return {"category": self.category, "owner": self.owner, "provider": self.provider, "version": self.version}


@dataclass(frozen=True)
class JobResult:
    job_id: str
    success: bool
    message: str
    variables: dict[str, str]


def work(
    target: AwsTarget,
    action: ActionType,
    *,
    max_jobs: int | None = None,
    poll_seconds: float = 10.0,
    idle_polls: int | None = None,
    log: Callable[[str], None] = print,
) -> list[JobResult]:
    """Poll for jobs and run them; stop after ``max_jobs`` jobs or ``idle_polls`` empty polls (None: never)."""
    client = target.client("codepipeline")
    results: list[JobResult] = []
    idle = 0
    while max_jobs is None or len(results) < max_jobs:
        try:
            jobs = client.poll_for_jobs(actionTypeId=action.as_api(), maxBatchSize=1)["jobs"]
        except AWS_ERRORS as exc:
            raise aws_error(exc, "polling CodePipeline for jobs", target) from exc
        if not jobs:
            idle += 1
            if idle_polls is not None and idle >= idle_polls:
                break
            time.sleep(poll_seconds)
            continue
        idle = 0
        for job in jobs:
            try:
                client.acknowledge_job(jobId=job["id"], nonce=job["nonce"])
            except AWS_ERRORS as exc:
                raise aws_error(exc, f"acknowledging CodePipeline job {job['id']}", target) from exc
            results.append(run_one(client, target, job, log))
    return results


def run_one(client: Any, target: AwsTarget, job: dict[str, Any], log: Callable[[str], None]) -> JobResult:
    """Run one acknowledged job and always report its result, whatever goes wrong while running it."""
    job_id = job["id"]
    failure_type = "JobFailed"
    try:
        success, message, variables = _run(target, job["data"], log)
    except GateError as exc:
        success, message, variables = False, exc.render(), {}
        failure_type = "ConfigurationError"
    except Exception as exc:  # every acknowledged job gets a result; the cause is logged, not swallowed
        log(f"devops-gate: job {job_id}: unexpected error:\n{traceback.format_exc().rstrip()}")
        success, message, variables = False, f"devops-gate failed unexpectedly: {type(exc).__name__}: {exc}", {}
    except BaseException as exc:  # interrupted (Ctrl-C, SystemExit): report the job, then stop as asked
        _report(
            client, target, job_id, False, f"devops-gate was stopped while running the job ({exc!r})", {}, "JobFailed"
        )
        raise
    log(f"devops-gate: job {job_id}: {'succeeded' if success else 'failed'}: {message}")
    _report(client, target, job_id, success, message, variables, failure_type)
    return JobResult(job_id, success, message, variables)


def _report(
    client: Any,
    target: AwsTarget,
    job_id: str,
    success: bool,
    message: str,
    variables: dict[str, str],
    failure_type: str,
) -> None:
    try:
        if success:
            client.put_job_success_result(
                jobId=job_id,
                executionDetails={"summary": message[:2048], "percentComplete": 100},
                outputVariables=variables,
            )
        else:
            client.put_job_failure_result(
                jobId=job_id, failureDetails={"type": failure_type, "message": message[:_MESSAGE_LIMIT] or "failed"}
            )
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"reporting the result of CodePipeline job {job_id}", target) from exc


def _artifact_client(target: AwsTarget, data: dict[str, Any]) -> Any:
    creds = data.get("artifactCredentials") or {}
    scoped = AwsTarget(
        region=target.region,
        endpoint_url=target.endpoint_url,
        access_key_id=creds.get("accessKeyId") or target.access_key_id,
        secret_access_key=creds.get("secretAccessKey") or target.secret_access_key,
        session_token=creds.get("sessionToken") or target.session_token,
    )
    return scoped.client("s3")


def _s3(artifact: dict[str, Any]) -> tuple[str, str]:
    location = (artifact.get("location") or {}).get("s3Location") or {}
    if not location.get("bucketName") or not location.get("objectKey"):
        raise GateError(f"artifact {artifact.get('name')!r} has no S3 location", fix="use an S3 artifact store")
    return str(location["bucketName"]), str(location["objectKey"])


def _run(target: AwsTarget, data: dict[str, Any], log: Callable[[str], None]) -> tuple[bool, str, dict[str, str]]:
    settings = (data.get("actionConfiguration") or {}).get("configuration") or {}
    mode = settings.get("Mode", "plan")
    if mode not in ("plan", "apply"):
        raise GateError(f"action configuration Mode {mode!r} is unknown", fix="set Mode to plan or apply")
    inputs = data.get("inputArtifacts") or []
    if not inputs:
        raise GateError("the action has no input artifact", fix="give the devops-gate action the source artifact")
    s3 = _artifact_client(target, data)
    with tempfile.TemporaryDirectory(prefix="devops-gate-job-") as tmp:
        folders = [_fetch(target, s3, artifact, Path(tmp) / f"in-{n}") for n, artifact in enumerate(inputs)]
        if mode == "apply":
            return _apply(target, data, folders, log)
        return _plan(target, data, settings, folders[0], Path(tmp) / "out", s3, log)


def _fetch(target: AwsTarget, s3: Any, artifact: dict[str, Any], folder: Path) -> Path:
    """Download and extract one input artifact into ``folder``."""
    bucket, key = _s3(artifact)
    archive = folder.parent / f"{folder.name}.zip"
    try:
        with archive.open("wb") as out:  # streamed to disk, never whole in memory
            s3.download_fileobj(bucket, key, out)
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"reading the input artifact s3://{bucket}/{key}", target) from exc
    folder.mkdir(parents=True)
    extract_zip(archive, folder)  # within the default limits: the config is inside the artifact
    return folder


def _job_config(settings: dict[str, str], folders: list[Path]) -> tuple[GateConfig, str | None]:
    """``ConfigFile`` from the first input artifact that has it; the defaults when none has."""
    name = settings.get("ConfigFile", ".gate.yml")
    found = next((folder / name for folder in folders if (folder / name).is_file()), None)
    if found is None and "ConfigFile" in settings:
        raise GateError(f"no input artifact has the config file {name}", fix="fix ConfigFile or the input artifacts")
    return load_config(str(found) if found else None)


def _apply(
    target: AwsTarget, data: dict[str, Any], folders: list[Path], log: Callable[[str], None]
) -> tuple[bool, str, dict[str, str]]:
    """Apply only the plan whose sha256 the plan action of this same execution recorded: the apply action's
    ``PlanSha256`` is set to that action's output variable (``#{GatePlan.planSha256}``), which CodePipeline
    resolves per execution. A plan file edited in the artifact store (a verdict turned from needs-approval to
    pass) no longer matches it and is refused with the reason."""
    settings = (data.get("actionConfiguration") or {}).get("configuration") or {}
    plan_path = next((folder / PLAN_FILE for folder in folders if (folder / PLAN_FILE).is_file()), None)
    if plan_path is None:
        raise GateError(f"the input artifact has no {PLAN_FILE}", fix="feed apply the plan stage's output")
    expected = (settings.get("PlanSha256") or "").strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", expected):
        raise GateError(
            f"the apply action's PlanSha256 is {expected or 'not set'!r}, not the sha256 the plan action recorded",
            source="action configuration PlanSha256",
            fix="give the plan action a namespace (e.g. GatePlan) and set PlanSha256 to #{GatePlan.planSha256}",
        )
    actual = hashlib.sha256(plan_path.read_bytes()).hexdigest()
    if actual != expected:
        return (
            False,
            (
                f"refused: {PLAN_FILE} in the input artifact (sha256 {actual[:12]}) is not the plan this execution's "
                f"plan action recorded (sha256 {expected[:12]}); it was changed after review"
            ),
            {},
        )
    config, _ = _job_config(settings, folders)
    plan = load_plan(plan_path)
    context = data.get("pipelineContext") or {}
    pipeline = str(context.get("pipelineName") or "")
    approvers, announcer = ticket_ports(config, log, log)
    approval_action = (settings.get("ApprovalAction") or "").strip()
    if approval_action:
        manual = ManualApproval(target, pipeline, context.get("pipelineExecutionId"), approval_action)
        approvers = (*approvers, manual)
    elif plan.verdict.decision == "needs-approval" and not approvers:
        raise GateError(
            "the plan needs approval, and the apply action names no approval to check",
            source="action configuration ApprovalAction",
            fix="put a Manual approval action between plan and apply and set ApprovalAction to its name "
            "(or require a Jira approval: jira.require_approval_before_apply)",
        )
    run = RunSettings(
        config=config,
        actor=f"codepipeline:{pipeline or 'unknown'}",
        expect_sha256=expected,
        # the same AWS as the plan job: the config's endpoint, else the worker's (a moto server, or real AWS)
        endpoint_url=config.aws.endpoint_url or target.endpoint_url,
        approvers=approvers,
        announcer=announcer,
        say=log,
        warn=log,
    )
    outcome = apply_reviewed(plan_path, run)
    if outcome.ok:
        approved = "; ".join(a.reason for a in outcome.approvals)
        text = f"applied the reviewed plan (sha256 {expected[:12]})" + (f"; {approved}" if approved else "")
        return True, text, {"planSha256": expected}
    return False, f"{outcome.summary()} (plan sha256 {expected[:12]})", {}


def _plan(
    target: AwsTarget,
    data: dict[str, Any],
    settings: dict[str, str],
    source: Path,
    out: Path,
    s3: Any,
    log: Callable[[str], None],
) -> tuple[bool, str, dict[str, str]]:
    config, _ = _job_config(settings, [source])
    if settings.get("StackName"):
        config = config.model_copy(update={"stack_name": settings["StackName"]})
    request = from_file(str(source / settings.get("RequestFile", "change-request.md")))
    pipeline = (data.get("pipelineContext") or {}).get("pipelineName")
    context = ChangeContext(source="codepipeline", event_name="job", repository=pipeline)
    run_target = AwsTarget(region=config.aws.region, endpoint_url=config.aws.endpoint_url or target.endpoint_url)
    plan = plan_request(request, Run(config=config, context=context, target=run_target))
    written = write_outputs(plan, out)
    outputs = data.get("outputArtifacts") or []
    if outputs:
        bucket, key = _s3(outputs[0])
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, path in written.items():
                zf.write(path, name)
        try:
            s3.put_object(Bucket=bucket, Key=key, Body=buffer.getvalue())
        except AWS_ERRORS as exc:
            raise aws_error(exc, f"writing the plan artifact s3://{bucket}/{key}", target) from exc
        log(f"devops-gate: wrote the plan artifact to s3://{bucket}/{key}")
    reasons = "; ".join(plan.verdict.reasons) or "no blocking findings"
    plan_sha = hashlib.sha256(written[PLAN_FILE].read_bytes()).hexdigest()
    variables = {"verdict": plan.verdict.decision, "bundleSha256": plan.bundle_sha256, "planSha256": plan_sha}
    # needs-approval succeeds (with verdict=needs-approval) so that a manual approval stage can follow it
    return plan.verdict.decision != "blocked", f"{plan.verdict.decision}: {reasons}", variables
