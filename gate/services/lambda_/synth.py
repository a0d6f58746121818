"""Lambda functions: own least-privilege role, log group with retention, X-Ray tracing; triggers from S3
(permission here, notification on the bucket), SQS (event source mapping) and schedules (EventBridge rule).

A function invoked asynchronously (S3, schedule or an SNS subscription in the spec) gets an encrypted SQS
dead-letter queue, ``<name>-dlq``, so failed events are kept rather than dropped after Lambda's two retries.
Checks the defaults knowingly leave unmet are waived per function, only where the reason holds (see
``KNOWN_WAIVERS`` in common.py): reserved concurrency when none was asked for, the VPC when none was named,
the DLQ when nothing invokes the function asynchronously.
"""

from __future__ import annotations

from typing import Any

from gate.services.lambda_.names import cfn_s3_permission_id, tf_s3_permission_name
from gate.services.s3.synth import cfn_bucket_name
from gate.spec import LambdaFunction, PolicyStatement, S3Bucket, S3Trigger, ScheduleTrigger, SnsTopic, SqsTrigger
from gate.synth.common import assume_role_policy, cfn_tags, checkov_skips, role_name, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.existing import cfn_groups, cfn_subnets, in_vpc, tf_groups, tf_subnets
from gate.synth.hcl import Block, JsonEncode, Raw, Value, ref, tf_name
from gate.synth.policy import cfn_statement, tf_document

XRAY = "AWSXRayDaemonWriteAccess"
VPC_ACCESS = "service-role/AWSLambdaVPCAccessExecutionRole"
SQS_MANAGED_KEY = "alias/aws/sqs"
DLQ_RETENTION_S = 1209600  # 14 days, the SQS maximum: time to look at what failed
SQS_CONSUME = ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"]


def _inline_file(res: LambdaFunction) -> str:
    return "index.js" if res.runtime.startswith("nodejs") else "index.py"


def _managed(res: LambdaFunction) -> list[str]:
    return [XRAY, VPC_ACCESS] if in_vpc(res) else [XRAY]


def invoked_async(res: LambdaFunction, ctx: SynthContext) -> bool:
    """True when something in the spec invokes the function asynchronously (S3, a schedule, SNS)."""
    if any(isinstance(t, S3Trigger | ScheduleTrigger) for t in res.triggers):
        return True
    topics = [t for t in ctx.of_kind("sns_topic") if isinstance(t, SnsTopic)]
    return any(s.protocol == "lambda" and s.endpoint_ref == res.name for t in topics for s in t.subscriptions)


def _waived(res: LambdaFunction, ctx: SynthContext) -> list[str]:
    """The checks this function knowingly leaves unmet (each reason holds for it: see KNOWN_WAIVERS)."""
    out = []
    if res.reserved_concurrency is None:
        out.append("CKV_AWS_115")
    if not invoked_async(res, ctx):
        out.append("CKV_AWS_116")
    if not in_vpc(res):
        out.append("CKV_AWS_117")
    if res.environment:
        out.append("CKV_AWS_173")
    return out


def dlq_name(res: LambdaFunction) -> str:
    return f"{res.name}-dlq"


def _statements(res: LambdaFunction) -> list[PolicyStatement]:
    out = [p.statement() for p in res.permissions]
    for t in res.triggers:
        if isinstance(t, SqsTrigger):
            where = {"resource_refs": [t.queue_ref]} if t.queue_ref else {"resources": [t.queue_arn]}
            out.append(PolicyStatement(actions=SQS_CONSUME, **where))
    return out


class LambdaFunctionSynth:
    kind = "lambda_function"

    def refs(self, res: LambdaFunction, ctx: SynthContext) -> Refs:
        fid, tid = logical_id(res.name, "Function"), tf_name(res.name)
        arn = {"Fn::GetAtt": [fid, "Arn"]}
        return Refs(
            cfn={
                "id": {"Ref": fid},
                "arn": arn,
                "policy_arns": [arn],
                "alarm_dimensions": [{"FunctionName": {"Ref": fid}}],
            },
            tf={
                "id": ref("aws_lambda_function", tid, "function_name"),
                "arn": ref("aws_lambda_function", tid, "arn"),
                "policy_arns": [ref("aws_lambda_function", tid, "arn")],
                "alarm_dimensions": [{"FunctionName": ref("aws_lambda_function", tid, "function_name")}],
            },
        )

    def cloudformation(self, res: LambdaFunction, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        fid = logical_id(res.name, "Function")
        role_id, group_id = f"{fid}Role", f"{fid}LogGroup"
        fn = {"Ref": fid}
        log_statement = {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::Sub": f"${{{group_id}.Arn}}:*"},
        }
        dlq_id = f"{fid}DeadLetterQueue"
        dlq = invoked_async(res, ctx)
        dlq_statement = (
            [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": [dlq_id, "Arn"]}}]
            if dlq
            else []
        )
        role_props: dict[str, Any] = {
            "RoleName": role_name(res.name, "lambda", ctx.region),  # as in Terraform
            "Description": f"Execution role of {res.name}: its logs and the permissions the request names",
            "AssumeRolePolicyDocument": assume_role_policy("lambda.amazonaws.com"),
            "ManagedPolicyArns": [{"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{m}"} for m in _managed(res)],
            "Policies": [
                {
                    "PolicyName": "function",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            log_statement,
                            *dlq_statement,
                            *(cfn_statement(st, ctx, res.name) for st in _statements(res)),
                        ],
                    },
                }
            ],
            "Tags": cfn_tags(res),
        }
        code: dict[str, Any]
        if res.code.inline is not None:
            code = {"ZipFile": res.code.inline}
        else:
            bucket = res.code.s3_bucket
            if res.code.s3_bucket_ref:
                bucket = ctx.cfn(res.code.s3_bucket_ref, "s3_bucket", res.name, "id")
            code = {"S3Bucket": bucket, "S3Key": res.code.s3_key}
        props: dict[str, Any] = {
            "FunctionName": res.name,
            "Description": f"devops-gate: {res.name}",
            "Runtime": res.runtime,
            "Handler": res.handler,
            "MemorySize": res.memory_mb,
            "Timeout": res.timeout_s,
            "Architectures": [res.architecture],
            "Role": {"Fn::GetAtt": [role_id, "Arn"]},
            "Code": code,
            "TracingConfig": {"Mode": "Active"},
        }
        if res.environment:
            props["Environment"] = {"Variables": dict(res.environment)}
        if res.reserved_concurrency is not None:
            props["ReservedConcurrentExecutions"] = res.reserved_concurrency
        if dlq:
            props["DeadLetterConfig"] = {"TargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]}}
        if in_vpc(res):
            props["VpcConfig"] = {"SubnetIds": cfn_subnets(res, ctx), "SecurityGroupIds": cfn_groups(res, ctx)}
        props["Tags"] = cfn_tags(res)
        out: dict[str, dict[str, Any]] = {
            group_id: {
                "Type": "AWS::Logs::LogGroup",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Metadata": checkov_skips("CKV_AWS_158"),
                "Properties": {
                    "LogGroupName": f"/aws/lambda/{res.name}",
                    "RetentionInDays": res.log_retention_days,
                    "Tags": cfn_tags(res),
                },
            },
            role_id: {"Type": "AWS::IAM::Role", "Properties": role_props},
            fid: {"Type": "AWS::Lambda::Function", "DependsOn": [group_id], "Properties": props},
        }
        waived = _waived(res, ctx)
        if waived:
            out[fid]["Metadata"] = checkov_skips(*waived)
        if dlq:
            out[dlq_id] = {
                "Type": "AWS::SQS::Queue",
                "Properties": {
                    "QueueName": dlq_name(res),
                    "KmsMasterKeyId": SQS_MANAGED_KEY,
                    "MessageRetentionPeriod": DLQ_RETENTION_S,
                    "Tags": cfn_tags(res, {"role": "dead-letter"}),
                },
            }
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
        ctx.outputs[f"{fid}Arn"] = {"Description": f"ARN of function {res.name}", "Value": {"Fn::GetAtt": [fid, "Arn"]}}
        return out

    def terraform(self, res: LambdaFunction, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        fn_name = ref("aws_lambda_function", tid, "function_name")
        log_group = Block("resource", ("aws_cloudwatch_log_group", f"{tid}_lambda"), [*tf_skips("CKV_AWS_158")])
        log_group.attrs(name=f"/aws/lambda/{res.name}", retention_in_days=res.log_retention_days, tags=tf_tags(res))
        dlq = f"{tid}_lambda_dlq" if invoked_async(res, ctx) else None
        role = Block("resource", ("aws_iam_role", f"{tid}_lambda")).attrs(
            name=role_name(res.name, "lambda", ctx.region),
            description=f"Execution role of {res.name}",
            assume_role_policy=JsonEncode(assume_role_policy("lambda.amazonaws.com")),
            tags=tf_tags(res),
        )
        policy = tf_document(_statements(res), ctx, res.name) if _statements(res) else None
        statements: list[Value] = [
            {
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": Raw(f'"${{aws_cloudwatch_log_group.{tid}_lambda.arn}}:*"'),
            }
        ]
        if dlq:
            statements.append(
                {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": ref("aws_sqs_queue", dlq, "arn")}
            )
        if policy is not None:
            assert isinstance(policy.value, dict) and isinstance(policy.value["Statement"], list)
            statements.extend(policy.value["Statement"])
        out = [
            log_group,
            role,
            Block("resource", ("aws_iam_role_policy", f"{tid}_lambda")).attrs(
                name="function",
                role=ref("aws_iam_role", f"{tid}_lambda", "id"),
                policy=JsonEncode({"Version": "2012-10-17", "Statement": statements}),
            ),
        ]
        for i, managed in enumerate(_managed(res)):
            out.append(
                Block("resource", ("aws_iam_role_policy_attachment", f"{tid}_lambda_{i + 1}")).attrs(
                    role=ref("aws_iam_role", f"{tid}_lambda", "name"), policy_arn=f"arn:aws:iam::aws:policy/{managed}"
                )
            )
        if dlq:
            out.append(
                Block("resource", ("aws_sqs_queue", dlq), [*tf_skips("CKV2_AWS_73")]).attrs(
                    name=dlq_name(res),
                    kms_master_key_id=SQS_MANAGED_KEY,
                    message_retention_seconds=DLQ_RETENTION_S,
                    tags=tf_tags(res, {"role": "dead-letter"}),
                )
            )
        fn = Block("resource", ("aws_lambda_function", tid), [*tf_skips(*_waived(res, ctx), "CKV_AWS_272")])
        fn.attrs(
            function_name=res.name,
            description=f"devops-gate: {res.name}",
            runtime=res.runtime,
            handler=res.handler,
            memory_size=res.memory_mb,
            timeout=res.timeout_s,
            architectures=[res.architecture],
            role=ref("aws_iam_role", f"{tid}_lambda", "arn"),
            reserved_concurrent_executions=res.reserved_concurrency,
        )
        if res.code.inline is not None:
            ctx.tf_providers["archive"] = {"source": "hashicorp/archive", "version": ">= 2.4"}
            ctx.data(
                f"zip:{tid}",
                Block("data", ("archive_file", tid)).attrs(
                    type="zip", output_path=Raw(f'"${{path.module}}/build/{tid}.zip"')
                ),
            )
            ctx.tf_data[f"zip:{tid}"].block("source").attrs(content=res.code.inline, filename=_inline_file(res))
            fn.attrs(
                filename=ref("data.archive_file", tid, "output_path"),
                source_code_hash=ref("data.archive_file", tid, "output_base64sha256"),
            )
        else:
            bucket: Value = res.code.s3_bucket
            if res.code.s3_bucket_ref:
                bucket = ctx.tf(res.code.s3_bucket_ref, "s3_bucket", res.name, "id")
            fn.attrs(s3_bucket=bucket, s3_key=res.code.s3_key)
        fn.block("tracing_config").attr("mode", "Active")
        if dlq:
            fn.block("dead_letter_config").attr("target_arn", ref("aws_sqs_queue", dlq, "arn"))
        if res.environment:
            fn.block("environment").attr("variables", dict[str, Value](res.environment))
        if in_vpc(res):
            fn.block("vpc_config").attrs(subnet_ids=tf_subnets(res, ctx), security_group_ids=tf_groups(res, ctx))
        # the role's policy before the function: Lambda checks the DLQ and queue permissions when it creates them
        fn.attrs(
            tags=tf_tags(res),
            depends_on=[ref("aws_cloudwatch_log_group", f"{tid}_lambda"), ref("aws_iam_role_policy", f"{tid}_lambda")],
        )
        out.append(fn)
        for i, trigger in enumerate(res.triggers):
            if isinstance(trigger, S3Trigger):
                out.append(
                    Block(
                        "resource", ("aws_lambda_permission", tf_s3_permission_name(res.name, trigger.bucket_ref))
                    ).attrs(
                        action="lambda:InvokeFunction",
                        function_name=fn_name,
                        principal="s3.amazonaws.com",
                        source_arn=ctx.tf(trigger.bucket_ref, "s3_bucket", res.name, "arn"),
                    )
                )
            elif isinstance(trigger, SqsTrigger):
                out.append(
                    Block("resource", ("aws_lambda_event_source_mapping", f"{tid}_queue_{i + 1}")).attrs(
                        event_source_arn=trigger.queue_arn
                        or ctx.tf(str(trigger.queue_ref), "sqs_queue", res.name, "arn"),
                        function_name=fn_name,
                        batch_size=trigger.batch_size,
                        maximum_batching_window_in_seconds=trigger.batching_window_s,
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
