"""The CodePipeline job-worker API that moto does not implement, as a local server in front of moto.

moto 5 implements pipelines (create/get/update/list/delete, start/get/list executions, tags) but none of the
job-worker calls, nor ``ListActionExecutions``. This server answers those five (``PollForJobs``,
``AcknowledgeJob``, ``GetJobDetails``, ``PutJobSuccessResult``, ``PutJobFailureResult``) and
``ListActionExecutions`` (from the action executions a test records, e.g. a manual approval given by someone) in
CodePipeline's JSON 1.1 protocol, validating each request
against botocore's own model of the API, and forwards every other request (S3, CloudFormation, the pipeline
calls) unchanged to the moto server. The worker under test needs one endpoint URL, as on real AWS.
"""

from __future__ import annotations

import http.client
import json
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import botocore.session
from botocore.validate import ParamValidator

JOB_OPERATIONS = (
    "PollForJobs",
    "AcknowledgeJob",
    "GetJobDetails",
    "PutJobSuccessResult",
    "PutJobFailureResult",
    "ListActionExecutions",
)
_MODEL = botocore.session.get_session().get_service_model("codepipeline")


@dataclass
class FakeJobs:
    upstream: str
    queued: list[dict[str, Any]] = field(default_factory=list)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    acknowledged: list[str] = field(default_factory=list)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    action_executions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # by pipeline name
    url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_job(self, action_type: dict[str, str], data: dict[str, Any]) -> str:
        job_id = str(uuid.uuid4())
        job = {"id": job_id, "data": data, "nonce": uuid.uuid4().hex, "accountId": "123456789012"}
        self.jobs[job_id] = {"job": job, "actionTypeId": action_type}
        self.queued.append(job)
        return job_id

    def record_approval(
        self, pipeline: str, execution_id: str, stage: str, action: str, status: str, by: str, summary: str
    ) -> None:
        """A manual approval action's execution, as ListActionExecutions answers it on AWS."""
        self.action_executions.setdefault(pipeline, []).append(
            {
                "pipelineExecutionId": execution_id,
                "actionExecutionId": str(uuid.uuid4()),
                "pipelineVersion": 1,
                "stageName": stage,
                "actionName": action,
                "startTime": 1767000000.0,
                "lastUpdateTime": 1767000060.0,
                "updatedBy": by,
                "status": status,
                "input": {
                    "actionTypeId": {"category": "Approval", "owner": "AWS", "provider": "Manual", "version": "1"}
                },
                "output": {"executionResult": {"externalExecutionSummary": summary}},
            }
        )

    def answer(self, operation: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        report = ParamValidator().validate(params, _MODEL.operation_model(operation).input_shape)
        if report.has_errors():
            self.violations.append(f"{operation}: {report.generate_report()}")
            return 400, {"__type": "ValidationException", "message": report.generate_report()}
        with self.lock:
            if operation == "ListActionExecutions":
                wanted = (params.get("filter") or {}).get("pipelineExecutionId")
                found = self.action_executions.get(params["pipelineName"], [])
                return 200, {"actionExecutionDetails": [d for d in found if wanted in (None, d["pipelineExecutionId"])]}
            if operation == "PollForJobs":
                wanted = params["actionTypeId"]
                ready = [j for j in self.queued if self.jobs[j["id"]]["actionTypeId"] == wanted]
                ready = ready[: params.get("maxBatchSize", 1)]
                for job in ready:
                    self.queued.remove(job)
                return 200, {"jobs": ready}
            job_id = params["jobId"]
            if job_id not in self.jobs:
                return 400, {"__type": "JobNotFoundException", "message": f"job {job_id} not found"}
            if operation == "AcknowledgeJob":
                if params["nonce"] != self.jobs[job_id]["job"]["nonce"]:
                    return 400, {"__type": "InvalidNonceException", "message": "bad nonce"}
                self.acknowledged.append(job_id)
                return 200, {"status": "InProgress"}
            if operation == "GetJobDetails":
                job = self.jobs[job_id]["job"]
                return 200, {"jobDetails": {"id": job_id, "data": job["data"], "accountId": job["accountId"]}}
            if job_id not in self.acknowledged:
                self.violations.append(f"{operation} for job {job_id} that was never acknowledged")
            if job_id in self.results:
                return 400, {"__type": "InvalidJobStateException", "message": "the job already has a result"}
            self.results[job_id] = {"operation": operation, **params}
            return 200, {}


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _relay(self, method: str) -> None:
        jobs = self.server.jobs
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        target = self.headers.get("X-Amz-Target", "")
        service, _, operation = target.partition(".")
        if service == "CodePipeline_20150709" and operation in JOB_OPERATIONS:
            status, answer = jobs.answer(operation, json.loads(body or b"{}"))
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.1")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        upstream = urlsplit(jobs.upstream)
        conn = http.client.HTTPConnection(upstream.hostname or "127.0.0.1", upstream.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "keep-alive")}
        conn.request(method, self.path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        self.send_response(response.status)
        for key, value in response.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    def do_GET(self) -> None:
        self._relay("GET")

    def do_POST(self) -> None:
        self._relay("POST")

    def do_PUT(self) -> None:
        self._relay("PUT")

    def do_DELETE(self) -> None:
        self._relay("DELETE")

    def do_HEAD(self) -> None:
        self._relay("HEAD")


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, jobs: FakeJobs) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.jobs = jobs


def serve(jobs: FakeJobs) -> Iterator[FakeJobs]:
    server = _Server(jobs)
    jobs.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield jobs
    finally:
        server.shutdown()
        server.server_close()
