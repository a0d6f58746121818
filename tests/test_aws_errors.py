"""Every botocore error family is caught where AWS answers, with the reason in the message.

botocore raises three unrelated kinds: ClientError (AWS refused), BotoCoreError (client side) and
ResponseParserError (an answer it cannot read, which is *not* a BotoCoreError). An older boto3 met the last
one on moto's HTML 500 for DescribeAlarmHistory and the demo died of it; here a local server answers
CloudFormation with an HTML page, which every botocore fails to parse."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError
from botocore.parsers import ResponseParserError

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error, aws_reason
from gate.config import GateConfig
from gate.deploy.changeset import stack_status
from gate.deploy.drift import report_drift
from gate.errors import GateError
from tests.fakes.cfn_recorded import Phase, Reply, Scenario, serve, validation_error

pytestmark = pytest.mark.usefixtures("aws_credentials")

HTML = "<html><head><title>500 Internal Server Error</title></head><body>proxy says no<br></body></html>"


def _target(url: str) -> AwsTarget:
    return AwsTarget(region="us-east-1", endpoint_url=url, access_key_id="x", secret_access_key="x")


def test_an_unreadable_answer_is_caught_as_an_aws_error_with_its_start_quoted() -> None:
    scenario = Scenario(phases=[Phase(replies={"DescribeStacks": [Reply(HTML, content_type="text/html")]})])
    with serve(scenario) as url:
        target = _target(url)
        with pytest.raises(AWS_ERRORS) as caught:
            stack_status(target.client("cloudformation"), "any")
    assert isinstance(caught.value, ResponseParserError)
    error = aws_error(caught.value, "reading stack any", target)
    assert "cannot read while reading stack any" in error.message
    assert "ResponseParserError" in error.message and "proxy says no" in error.message
    assert error.fix and "may not implement" in error.fix


def test_a_refusal_names_code_message_and_status() -> None:
    scenario = Scenario(phases=[Phase(replies={"DescribeStacks": [validation_error("Stack x is odd")]})])
    with serve(scenario) as url, pytest.raises(ClientError) as caught:
        stack_status(_target(url).client("cloudformation"), "x")
    assert aws_reason(caught.value) == "ValidationError: Stack x is odd (HTTP 400)"


def test_a_long_reason_is_cut_to_one_short_line() -> None:
    reason = aws_reason(ResponseParserError("Unable to parse response\n" + "x" * 5000))
    assert "\n" not in reason and len(reason) <= 240 and reason.endswith("…")


def test_a_client_side_failure_keeps_its_own_fix() -> None:
    error = aws_error(EndpointConnectionError(endpoint_url="http://127.0.0.1:9"), "reading", _target("http://x"))
    assert "cannot reach" in error.message and error.fix and "endpoint_url" in error.fix


def test_drift_on_an_endpoint_that_answers_html_is_a_clear_gate_error() -> None:
    scenario = Scenario(phases=[Phase(replies={"DetectStackDrift": [Reply(HTML, content_type="text/html")]})])
    with serve(scenario) as url, pytest.raises(GateError) as caught:
        report_drift(GateConfig(), _target(url), log=print)
    assert "drift detection is not supported on this endpoint" in caught.value.message
    assert "ResponseParserError" in caught.value.message
