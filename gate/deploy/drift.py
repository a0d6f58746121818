"""``workflow_dispatch`` with mode ``drift``: CloudFormation drift detection on the configured stack."""

from __future__ import annotations

import time
from collections.abc import Callable

from botocore.exceptions import ClientError
from botocore.parsers import ResponseParserError

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error, aws_reason
from gate.config import GateConfig
from gate.errors import GateError


def report_drift(
    config: GateConfig, target: AwsTarget | None, log: Callable[[str], None], poll: float = 2.0, timeout: float = 300
) -> int:
    """0 when the stack is in sync, 1 when it drifted; GateError when the endpoint cannot detect drift."""
    if target is None:
        raise GateError("drift needs an AWS account", fix="configure AWS credentials or aws.endpoint_url")
    cfn = target.client("cloudformation")
    stack = config.stack_name
    try:
        detection = cfn.detect_stack_drift(StackName=stack)["StackDriftDetectionId"]
    except AWS_ERRORS as exc:
        code = exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""
        unsupported = code in ("InvalidAction", "NotImplemented", "404") or "not" in str(code).lower()
        if unsupported or isinstance(exc, ResponseParserError):
            raise GateError(
                f"drift detection is not supported on this endpoint ({target.label}): {aws_reason(exc)}",
                fix="run drift against real AWS; the embedded moto server does not implement it",
            ) from exc
        raise aws_error(exc, f"detecting drift of {stack}", target) from exc
    deadline = time.monotonic() + timeout
    try:
        while True:
            status = cfn.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
            if status["DetectionStatus"] != "DETECTION_IN_PROGRESS":
                break
            if time.monotonic() > deadline:
                raise GateError(f"drift detection of {stack} did not finish in {timeout:.0f} s")
            time.sleep(poll)
        drifts = cfn.describe_stack_resource_drifts(
            StackName=stack, StackResourceDriftStatusFilters=["MODIFIED", "DELETED"]
        )["StackResourceDrifts"]
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"reading the drift of {stack}", target) from exc
    for item in drifts:
        log(f"  drift: {item['LogicalResourceId']} ({item['ResourceType']}): {item['StackResourceDriftStatus']}")
    log(f"devops-gate: stack {stack}: {status.get('StackDriftStatus', 'UNKNOWN')}")
    return 1 if drifts else 0
