"""What invokes a function, in both formats: S3 (the permission; the notification is on the bucket), SQS and
DynamoDB streams (event source mappings), schedules (an EventBridge rule and its permission)."""

from __future__ import annotations

from typing import Any

from gate.services.lambda_.names import cfn_s3_permission_id, tf_s3_permission_name
from gate.services.s3.synth import cfn_bucket_name
from gate.spec import LambdaFunction, S3Bucket, S3Trigger, ScheduleTrigger, SqsTrigger, StreamTrigger
from gate.synth.common import tf_tags
from gate.synth.context import SynthContext, logical_id
from gate.synth.hcl import Block, Value, ref, tf_name

STREAM_READ = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"]


def cfn_stream_arn(trigger: StreamTrigger, ctx: SynthContext, owner: str) -> Any:
    if trigger.stream_arn:
        return trigger.stream_arn
    return ctx.cfn(str(trigger.table_ref), "dynamodb_table", owner, "stream_arn")


def tf_stream_arn(trigger: StreamTrigger, ctx: SynthContext, owner: str) -> Value:
    if trigger.stream_arn:
        return trigger.stream_arn
    return ctx.tf(str(trigger.table_ref), "dynamodb_table", owner, "stream_arn")


def _stream_mapping(trigger: StreamTrigger) -> dict[str, Any]:
    out: dict[str, Any] = {"StartingPosition": trigger.starting_position, "BatchSize": trigger.batch_size}
    if trigger.bisect_on_error:
        out["BisectBatchOnFunctionError"] = True
    if trigger.max_retries is not None:
        out["MaximumRetryAttempts"] = trigger.max_retries
    return out


def cloudformation(res: LambdaFunction, ctx: SynthContext) -> dict[str, dict[str, Any]]:
    fid = logical_id(res.name, "Function")
    fn = {"Ref": fid}
    out: dict[str, dict[str, Any]] = {}
    for i, trigger in enumerate(res.triggers):
        if isinstance(trigger, S3Trigger):
            bucket_res = ctx.resolve(trigger.bucket_ref, "s3_bucket", res.name)
            assert isinstance(bucket_res, S3Bucket)
            name = cfn_bucket_name(bucket_res, ctx)
            text = name["Fn::Sub"] if isinstance(name, dict) else name
            out[cfn_s3_permission_id(res.name, trigger.bucket_ref)] = {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": fn,
                    "Principal": "s3.amazonaws.com",
                    "SourceAccount": {"Ref": "AWS::AccountId"},
                    "SourceArn": {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::{text}"},
                },
            }
        elif isinstance(trigger, SqsTrigger):
            out[f"{fid}Queue{i + 1}Mapping"] = {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {
                    "EventSourceArn": trigger.queue_arn
                    or ctx.cfn(str(trigger.queue_ref), "sqs_queue", res.name, "arn"),
                    "FunctionName": fn,
                    "BatchSize": trigger.batch_size,
                    "Enabled": True,
                    **({"MaximumBatchingWindowInSeconds": w} if (w := trigger.batching_window_s) else {}),
                },
            }
        elif isinstance(trigger, StreamTrigger):
            out[f"{fid}Stream{i + 1}Mapping"] = {
                "Type": "AWS::Lambda::EventSourceMapping",
                "Properties": {
                    "EventSourceArn": cfn_stream_arn(trigger, ctx, res.name),
                    "FunctionName": fn,
                    "Enabled": True,
                    **_stream_mapping(trigger),
                },
            }
        elif isinstance(trigger, ScheduleTrigger):
            rule = f"{fid}Schedule{i + 1}"
            out[rule] = {
                "Type": "AWS::Events::Rule",
                "Properties": {
                    "Description": f"schedule of {res.name}",
                    "ScheduleExpression": trigger.expression,
                    "State": "ENABLED",
                    "Targets": [{"Arn": {"Fn::GetAtt": [fid, "Arn"]}, "Id": "function"}],
                },
            }
            out[f"{rule}Permission"] = {
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "Action": "lambda:InvokeFunction",
                    "FunctionName": fn,
                    "Principal": "events.amazonaws.com",
                    "SourceArn": {"Fn::GetAtt": [rule, "Arn"]},
                },
            }
    return out


def terraform(res: LambdaFunction, ctx: SynthContext) -> list[Block]:
    tid = tf_name(res.name)
    fn_name = ref("aws_lambda_function", tid, "function_name")
    out: list[Block] = []
    for i, trigger in enumerate(res.triggers):
        if isinstance(trigger, S3Trigger):
            out.append(
                Block("resource", ("aws_lambda_permission", tf_s3_permission_name(res.name, trigger.bucket_ref))).attrs(
                    action="lambda:InvokeFunction",
                    function_name=fn_name,
                    principal="s3.amazonaws.com",
                    source_arn=ctx.tf(trigger.bucket_ref, "s3_bucket", res.name, "arn"),
                )
            )
        elif isinstance(trigger, SqsTrigger):
            out.append(
                Block("resource", ("aws_lambda_event_source_mapping", f"{tid}_queue_{i + 1}")).attrs(
                    event_source_arn=trigger.queue_arn or ctx.tf(str(trigger.queue_ref), "sqs_queue", res.name, "arn"),
                    function_name=fn_name,
                    batch_size=trigger.batch_size,
                    maximum_batching_window_in_seconds=trigger.batching_window_s,
                    enabled=True,
                )
            )
        elif isinstance(trigger, StreamTrigger):
            out.append(
                Block("resource", ("aws_lambda_event_source_mapping", f"{tid}_stream_{i + 1}")).attrs(
                    event_source_arn=tf_stream_arn(trigger, ctx, res.name),
                    function_name=fn_name,
                    starting_position=trigger.starting_position,
                    batch_size=trigger.batch_size,
                    bisect_batch_on_function_error=True if trigger.bisect_on_error else None,
                    maximum_retry_attempts=trigger.max_retries,
                    enabled=True,
                )
            )
        elif isinstance(trigger, ScheduleTrigger):
            rule = f"{tid}_schedule_{i + 1}"
            out.append(
                Block("resource", ("aws_cloudwatch_event_rule", rule)).attrs(
                    name_prefix=f"{res.name[:30]}-",
                    description=f"schedule of {res.name}",
                    schedule_expression=trigger.expression,
                    tags=tf_tags(res),
                )
            )
            out.append(
                Block("resource", ("aws_cloudwatch_event_target", rule)).attrs(
                    rule=ref("aws_cloudwatch_event_rule", rule, "name"), arn=ref("aws_lambda_function", tid, "arn")
                )
            )
            out.append(
                Block("resource", ("aws_lambda_permission", rule)).attrs(
                    action="lambda:InvokeFunction",
                    function_name=fn_name,
                    principal="events.amazonaws.com",
                    source_arn=ref("aws_cloudwatch_event_rule", rule, "arn"),
                )
            )
    return out
