"""The serverless fields, one reader at a time: what a request says about a Lambda function's URL, alias, role,
dead-letter target and stream triggers, an SQS queue's polling, size and encryption, an SNS topic's dedup,
delivery and publishers, and a DynamoDB table's indexes, class and replicas; and that each is synthesised in both
formats (CloudFormation and Terraform) with the secure default kept."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from gate.errors import GateError
from gate.interpret.offline import interpret
from gate.spec import ChangeSpec, DynamodbTable, LambdaFunction, SnsTopic, SqsQueue
from gate.synth.cloudformation import template_for
from gate.synth.terraform import render as render_tf


def _one(spec: ChangeSpec, kind: type[Any]) -> Any:
    found = [r for r in spec.resources if isinstance(r, kind)]
    assert len(found) == 1, spec.resources
    return found[0]


def _types(spec: ChangeSpec) -> list[str]:
    return [r["Type"] for r in template_for(spec, "us-east-1")["Resources"].values()]


def _props(spec: ChangeSpec, rtype: str) -> list[dict[str, Any]]:
    return [r["Properties"] for r in template_for(spec, "us-east-1")["Resources"].values() if r["Type"] == rtype]


# --- Lambda -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "auth"),
    [
        ("status-page lambda (python3.12) with a function URL; auth type AWS_IAM, not open to the public.", "AWS_IAM"),
        ("Create a lambda named hook with a function URL", "AWS_IAM"),
        ("New python3.13 function `health-probe` with a public function URL, no auth.", "NONE"),
    ],
)
def test_a_function_url_is_iam_unless_the_request_opens_it(text: str, auth: str) -> None:
    spec = interpret(text)
    fn = _one(spec, LambdaFunction)
    assert fn.url is not None and fn.url.auth_type == auth
    assert [p["AuthType"] for p in _props(spec, "AWS::Lambda::Url")] == [auth]
    public = [p for p in _props(spec, "AWS::Lambda::Permission") if p.get("FunctionUrlAuthType") == "NONE"]
    assert len(public) == (auth == "NONE")
    assert f'authorization_type = "{auth}"' in render_tf(spec, "us-east-1")


def test_a_public_function_url_is_flagged_by_our_policy() -> None:
    from tests.interpret_cases import blocked_by_policies

    spec = interpret("New python3.13 function `health-probe` with a public function URL, no auth.")
    assert any(b.startswith("GATE-LAMBDA-002") for b in blocked_by_policies(template_for(spec, "us-east-1")))


def test_an_alias_with_provisioned_concurrency_publishes_a_version() -> None:
    spec = interpret(
        "For the new `checkout-api` Lambda (nodejs20.x), publish a version and point an alias `live` at it with 5 "
        "provisioned concurrent executions to kill the cold starts."
    )
    fn = _one(spec, LambdaFunction)
    assert fn.alias is not None and (fn.alias.name, fn.alias.provisioned_concurrency) == ("live", 5)
    assert fn.reserved_concurrency is None  # provisioned is not reserved concurrency
    assert {"AWS::Lambda::Version", "AWS::Lambda::Alias"} <= set(_types(spec))
    tf = render_tf(spec, "us-east-1")
    assert "publish" in tf and "aws_lambda_alias" in tf and "provisioned_concurrent_executions = 5" in tf


def test_an_existing_role_is_used_and_no_role_is_created() -> None:
    spec = interpret(
        "Lambda `pricing-api`, runtime python3.12, handler app.handler. Use the existing execution role "
        "arn:aws:iam::210987654321:role/pricing-api-exec, don't create a role."
    )
    fn = _one(spec, LambdaFunction)
    assert fn.role_arn == "arn:aws:iam::210987654321:role/pricing-api-exec"
    assert "AWS::IAM::Role" not in _types(spec)
    assert [p["Role"] for p in _props(spec, "AWS::Lambda::Function")] == [fn.role_arn]
    tf = render_tf(spec, "us-east-1")
    assert "aws_iam_role" not in tf and fn.role_arn in tf


def test_an_existing_role_takes_no_grants_and_says_so() -> None:
    spec = interpret(
        "Lambda sync on python3.12 that can read the bucket exports-raw, running as the existing role "
        "arn:aws:iam::123456789012:role/sync-exec"
    )
    fn = _one(spec, LambdaFunction)
    assert fn.role_arn and not fn.permissions
    assert any(a.field == "not-applied" and "permission" in a.value for a in spec.assumptions)


def test_an_existing_dead_letter_queue_is_the_target_and_none_is_created() -> None:
    spec = interpret(
        "New Lambda webhook-relay on nodejs22.x. Cap it at 10 reserved concurrent executions, turn on active X-Ray "
        "tracing, and failed async invocations should land in the existing DLQ "
        "arn:aws:sqs:eu-west-1:210987654321:webhook-relay-dlq."
    )
    fn = _one(spec, LambdaFunction)
    assert (fn.runtime, fn.reserved_concurrency) == ("nodejs22.x", 10)
    assert fn.dead_letter_arn == "arn:aws:sqs:eu-west-1:210987654321:webhook-relay-dlq"
    assert "AWS::SQS::Queue" not in _types(spec)
    role = _props(spec, "AWS::IAM::Role")[0]
    allowed = role["Policies"][0]["PolicyDocument"]["Statement"]
    assert {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": fn.dead_letter_arn} in allowed


def test_a_stream_arn_triggers_the_function_with_its_options() -> None:
    spec = interpret(
        "Lambda `audit-fanout` (python3.12) that reads the stream of the existing Orders table: "
        "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2026-11-02T10:15:00.000 "
        "Starting position LATEST, batch size 100, bisect the batch on function error."
    )
    mapping = _props(spec, "AWS::Lambda::EventSourceMapping")[0]
    assert mapping["StartingPosition"] == "LATEST" and mapping["BatchSize"] == 100
    assert mapping["BisectBatchOnFunctionError"] is True
    assert "AWS::DynamoDB::Table" not in _types(spec)
    assert "bisect_batch_on_function_error = true" in render_tf(spec, "us-east-1")


def test_a_table_of_the_change_whose_stream_feeds_a_function_gets_its_stream() -> None:
    spec = interpret("Table cart-events (pk cart_id S) feeding a Lambda cart-projector (nodejs20.x) from its stream.")
    table = _one(spec, DynamodbTable)
    assert table.stream != "none"
    assert any(a.field == "stream" for a in spec.assumptions) or table.stream == "NEW_IMAGE"
    mapping = _props(spec, "AWS::Lambda::EventSourceMapping")[0]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": ["CartEventsTable", "StreamArn"]}


def test_a_compiled_runtime_without_code_takes_deploy_time_parameters() -> None:
    spec = interpret("cron job as a lambda: `nightly-report` runs every day at 02:00 UTC. java21, 2048MB.")
    fn = _one(spec, LambdaFunction)
    assert fn.code.deploy_parameter
    template = template_for(spec, "us-east-1")
    assert {"NightlyReportCodeBucket", "NightlyReportCodeKey"} <= set(template["Parameters"])
    assert 'variable "nightly_report_code_bucket"' in render_tf(spec, "us-east-1")
    assert any(a.field == "code" and "deploy-time" in a.value for a in spec.assumptions)


@pytest.mark.parametrize("runtime", ["nodejs22.x", "python3.13", "java21", "dotnet10", "ruby3.4", "nodejs24.x"])
def test_current_runtimes_are_offered(runtime: str) -> None:
    assert _one(interpret(f"A lambda named fn-x on {runtime}"), LambdaFunction).runtime == runtime


def test_a_queue_consumed_by_a_function_gets_six_times_its_timeout() -> None:
    spec = interpret("An SQS queue `resize-jobs` consumed by a python3.12 Lambda `resizer` with a 60 second timeout.")
    assert _one(spec, SqsQueue).visibility_timeout_s == 360
    assert any(a.field == "visibility_timeout_s" and "six times" in a.reason for a in spec.assumptions)


def test_a_visibility_timeout_written_in_the_function_sentence_is_the_queue_s() -> None:
    spec = interpret(
        "Add an SQS queue `invoice-jobs` and a Python 3.12 Lambda `invoice-worker` that consumes it in batches of 5. "
        "Function timeout 30s; the queue visibility timeout is 200 seconds."
    )
    assert _one(spec, SqsQueue).visibility_timeout_s == 200
    assert _one(spec, LambdaFunction).timeout_s == 30


def test_a_visibility_timeout_shorter_than_the_function_is_refused() -> None:
    with pytest.raises(GateError, match="visibility timeout"):
        interpret("An SQS queue jobs with a 10 second visibility timeout consumed by a lambda worker with timeout 60s")


@pytest.mark.parametrize(
    "text",
    [
        'Can you invoke the existing `reindex-search` lambda once with payload {"full": true}? No infra changes.',
        "Please run the existing function billing-export once now, nothing else changes.",
    ],
)
def test_invoking_an_existing_function_is_an_operation_not_a_change(text: str) -> None:
    spec = interpret(text)
    assert spec.resources == [] and spec.answer and "aws lambda invoke" in spec.answer
    assert any(a.field == "not-applied" and "operation" in a.value for a in spec.assumptions)


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("the box i-0123456789abcdef0 froze overnight, can someone restart it?", "aws ec2 reboot-instances"),
        ("bounce i-0a1b2c3d please", "--instance-ids i-0a1b2c3d"),
        ("purge the payments-dlq queue please, it is full of test junk", "aws sqs purge-queue"),
        ("stop i-0123456789abcdef0 for the weekend", "aws ec2 stop-instances"),
        ("rotate the db password for orders-db", "aws secretsmanager rotate-secret"),
    ],
)
def test_operations_on_what_exists_are_answered_not_refused(text: str, command: str) -> None:
    spec = interpret(text)
    assert spec.resources == [] and spec.answer and command in spec.answer
    assert any(a.field == "not-applied" and "operation" in a.value for a in spec.assumptions)


def test_restart_it_with_nothing_it_can_be_is_not_an_operation() -> None:
    with pytest.raises(GateError):
        interpret("please restart it")


# --- SQS / SNS --------------------------------------------------------------------------------------------


def test_queue_tuning_fields_are_read_and_built_in_both_formats() -> None:
    spec = interpret(
        "queue email-outbox: retain messages 14 days, long polling 20s, visibility timeout 5 minutes, SSE with "
        "SQS-managed keys. Max message size 256 KB."
    )
    queue = _one(spec, SqsQueue)
    assert (queue.receive_wait_s, queue.encryption, queue.max_message_size) == (20, "sqs", 262144)
    props = next(p for p in _props(spec, "AWS::SQS::Queue") if p["QueueName"] == "email-outbox")
    assert props["SqsManagedSseEnabled"] is True and "KmsMasterKeyId" not in props
    tf = render_tf(spec, "us-east-1")
    assert "sqs_managed_sse_enabled    = true" in tf or "sqs_managed_sse_enabled = true" in tf


def test_a_kms_key_with_sse_sqs_negated_stays_kms_with_its_reuse_period() -> None:
    spec = interpret(
        "SQS queue audit-ingest, encrypted with KMS alias/sqs-audit (not SQS-managed SSE), data key reuse 1 hour"
    )
    queue = _one(spec, SqsQueue)
    assert (queue.encryption, queue.kms_key_arn, queue.kms_data_key_reuse_s) == ("kms", "alias/sqs-audit", 3600)


def test_sse_sqs_takes_no_kms_key() -> None:
    with pytest.raises(ValidationError):
        SqsQueue(name="q", encryption="sqs", kms_key_arn="alias/x")


def test_a_new_queue_subscribing_to_an_existing_topic_writes_its_own_policy() -> None:
    spec = interpret(
        "New queue inventory-sync that receives from the existing topic "
        "arn:aws:sns:us-east-1:123456789012:inventory-changes. Add the queue policy letting that topic "
        "sqs:SendMessage and the subscription."
    )
    topic = "arn:aws:sns:us-east-1:123456789012:inventory-changes"
    assert _one(spec, SqsQueue).topic_arns == [topic]
    policy = _props(spec, "AWS::SQS::QueuePolicy")[0]["PolicyDocument"]["Statement"][0]
    assert policy["Condition"] == {"ArnEquals": {"aws:SourceArn": [topic]}}
    assert "AWS::SNS::Topic" not in _types(spec)


def test_fifo_topic_dedup_and_subscription_delivery() -> None:
    spec = interpret(
        "SNS topic `shipments` feeding the new queue `eu-shipments` with raw message delivery, only messages whose "
        "region attribute is eu or uk."
    )
    sub = _one(spec, SnsTopic).subscriptions[0]
    assert sub.raw_message_delivery and sub.filter_policy == {"region": ["eu", "uk"]}
    fifo = _one(interpret("FIFO SNS topic `trade-events.fifo` with content-based dedup."), SnsTopic)
    assert fifo.fifo and fifo.content_based_deduplication
    with pytest.raises(ValidationError):
        SnsTopic(name="t", content_based_deduplication=True)


def test_a_topic_anyone_may_publish_to_is_built_and_flagged() -> None:
    from tests.interpret_cases import blocked_by_policies

    spec = interpret('topic `partner-webhooks` with a topic policy that lets anyone (Principal "*") publish to it')
    assert _one(spec, SnsTopic).publishers == ["*"]
    assert any(b.startswith("GATE-SNS-002") for b in blocked_by_policies(template_for(spec, "us-east-1")))
    account = interpret("topic `partner-in` with a topic policy that lets account 210987654321 publish to it.")
    assert not blocked_by_policies(template_for(account, "us-east-1"))


# --- DynamoDB ---------------------------------------------------------------------------------------------


def test_a_gsi_clause_keys_are_the_index_s_not_the_table_s() -> None:
    spec = interpret(
        "### orders table\n- table name `customer-orders`\n- pk `customerId` (S), sort key `orderDate` (S)\n"
        "- GSI `by-status`: partition key `status` (S), sort key `orderDate`\n- stream with NEW_AND_OLD_IMAGES"
    )
    table = next(r for r in spec.resources if isinstance(r, DynamodbTable) and r.name == "customer-orders")
    assert table.partition_key.name == "customerId"
    index = table.global_secondary_indexes[0]
    assert (index.name, index.partition_key.name, index.sort_key and index.sort_key.name) == (
        "by-status",
        "status",
        "orderDate",
    )
    assert "global_secondary_index" in render_tf(spec, "us-east-1")


def test_table_class_and_global_table() -> None:
    ia = _one(
        interpret("table `price-book`, hash key sku (string), table class STANDARD_INFREQUENT_ACCESS."), DynamodbTable
    )
    assert ia.table_class == "STANDARD_INFREQUENT_ACCESS"
    spec = interpret("Global table `carts` replicated in us-east-1 and eu-west-1. Key cartId (S), on-demand.")
    assert _one(spec, DynamodbTable).replica_regions == ["us-east-1", "eu-west-1"]
    body = _props(spec, "AWS::DynamoDB::GlobalTable")[0]
    assert [r["Region"] for r in body["Replicas"]] == ["us-east-1", "eu-west-1"]
    assert body["StreamSpecification"] == {"StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert 'region_name            = "eu-west-1"' in render_tf(spec, "us-east-1") or "eu-west-1" in render_tf(
        spec, "us-east-1"
    )


def test_a_global_table_is_on_demand_and_uses_the_aws_managed_key() -> None:
    key = {"name": "id"}
    with pytest.raises(ValidationError):
        DynamodbTable(name="t", partition_key=key, replica_regions=["eu-west-1"], billing_mode="PROVISIONED")
    with pytest.raises(ValidationError):
        DynamodbTable(name="t", partition_key=key, replica_regions=["eu-west-1"], kms_key_arn="alias/x")
