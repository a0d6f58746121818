"""Lambda functions: own least-privilege role (or the existing role the request names), log group with retention,
X-Ray tracing; triggers (``triggers.py``), function URL and alias (``extras.py``).

A function invoked asynchronously (S3, schedule or an SNS subscription in the spec) gets an encrypted SQS
dead-letter queue, ``<name>-dlq``, so failed events are kept rather than dropped after Lambda's two retries,
unless the request names an existing one (``dead_letter_arn``).  A function whose code the request does not
locate (a compiled runtime) takes the zip's bucket and key as template parameters / Terraform variables.
Checks the defaults knowingly leave unmet are waived per function, only where the reason holds (see
``KNOWN_WAIVERS`` in common.py): reserved concurrency when none was asked for, the VPC when none was named,
the DLQ when nothing invokes the function asynchronously.
"""

from __future__ import annotations

from typing import Any

from gate.services.lambda_ import extras, triggers
from gate.spec import LambdaFunction, PolicyStatement, S3Trigger, ScheduleTrigger, SnsTopic, SqsTrigger, StreamTrigger
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
    if not invoked_async(res, ctx) and not res.dead_letter_arn:
        out.append("CKV_AWS_116")
    if not in_vpc(res):
        out.append("CKV_AWS_117")
    if res.environment:
        out.append("CKV_AWS_173")
    return out


def dlq_name(res: LambdaFunction) -> str:
    return f"{res.name}-dlq"


def own_dlq(res: LambdaFunction, ctx: SynthContext) -> bool:
    """The function gets a dead-letter queue of its own: invoked asynchronously, and none named by ARN."""
    return invoked_async(res, ctx) and not res.dead_letter_arn


def _dlq_action(res: LambdaFunction) -> str:
    return "sns:Publish" if str(res.dead_letter_arn).startswith("arn:aws:sns") else "sqs:SendMessage"


def _statements(res: LambdaFunction) -> list[PolicyStatement]:
    out = [p.statement() for p in res.permissions]
    for t in res.triggers:
        if isinstance(t, SqsTrigger):
            where = {"resource_refs": [t.queue_ref]} if t.queue_ref else {"resources": [t.queue_arn]}
            out.append(PolicyStatement(actions=SQS_CONSUME, **where))
    return out


def _cfn_role(res: LambdaFunction, ctx: SynthContext, group_id: str, dlq_id: str) -> dict[str, Any]:
    """The function's own role: its logs, its dead-letter target, its triggers' reads, what the request names."""
    statements: list[Any] = [
        {
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": {"Fn::Sub": f"${{{group_id}.Arn}}:*"},
        }
    ]
    if own_dlq(res, ctx):
        statements.append({"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": [dlq_id, "Arn"]}})
    if res.dead_letter_arn:
        statements.append({"Effect": "Allow", "Action": _dlq_action(res), "Resource": res.dead_letter_arn})
    for t in res.triggers:
        if isinstance(t, StreamTrigger):
            statements.append(
                {
                    "Effect": "Allow",
                    "Action": triggers.STREAM_READ,
                    "Resource": triggers.cfn_stream_arn(t, ctx, res.name),
                }
            )
    statements += [cfn_statement(st, ctx, res.name) for st in _statements(res)]
    return {
        "RoleName": role_name(res.name, "lambda", ctx.region),  # as in Terraform
        "Description": f"Execution role of {res.name}: its logs and the permissions the request names",
        "AssumeRolePolicyDocument": assume_role_policy("lambda.amazonaws.com"),
        "ManagedPolicyArns": [{"Fn::Sub": f"arn:${{AWS::Partition}}:iam::aws:policy/{m}"} for m in _managed(res)],
        "Policies": [{"PolicyName": "function", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}],
        "Tags": cfn_tags(res),
    }


def _cfn_code(res: LambdaFunction, ctx: SynthContext) -> dict[str, Any]:
    if res.code.inline is not None:
        return {"ZipFile": res.code.inline}
    if res.code.deploy_parameter:
        base = logical_id(res.name, "Code")
        for part, what in (("Bucket", "bucket holding"), ("Key", "S3 key of")):
            ctx.parameters[f"{base}{part}"] = {
                "Type": "String",
                "MinLength": 1,
                "Description": f"{what} the {res.runtime} deployment package of {res.name} (given at deploy time)",
            }
        return {"S3Bucket": {"Ref": f"{base}Bucket"}, "S3Key": {"Ref": f"{base}Key"}}
    bucket: Any = res.code.s3_bucket
    if res.code.s3_bucket_ref:
        bucket = ctx.cfn(res.code.s3_bucket_ref, "s3_bucket", res.name, "id")
    return {"S3Bucket": bucket, "S3Key": res.code.s3_key}


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
        dlq_id = f"{fid}DeadLetterQueue"
        dlq = own_dlq(res, ctx)
        props: dict[str, Any] = {
            "FunctionName": res.name,
            "Description": f"devops-gate: {res.name}",
            "Runtime": res.runtime,
            "Handler": res.handler,
            "MemorySize": res.memory_mb,
            "Timeout": res.timeout_s,
            "Architectures": [res.architecture],
            "Role": res.role_arn or {"Fn::GetAtt": [role_id, "Arn"]},
            "Code": _cfn_code(res, ctx),
            "TracingConfig": {"Mode": "Active"},
        }
        if res.environment:
            props["Environment"] = {"Variables": dict(res.environment)}
        if res.reserved_concurrency is not None:
            props["ReservedConcurrentExecutions"] = res.reserved_concurrency
        if dlq or res.dead_letter_arn:
            props["DeadLetterConfig"] = {"TargetArn": res.dead_letter_arn or {"Fn::GetAtt": [dlq_id, "Arn"]}}
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
            fid: {"Type": "AWS::Lambda::Function", "DependsOn": [group_id], "Properties": props},
        }
        if not res.role_arn:
            out[role_id] = {"Type": "AWS::IAM::Role", "Properties": _cfn_role(res, ctx, group_id, dlq_id)}
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
        out.update(triggers.cloudformation(res, ctx))
        out.update(extras.cloudformation(res, ctx))
        ctx.outputs[f"{fid}Arn"] = {"Description": f"ARN of function {res.name}", "Value": {"Fn::GetAtt": [fid, "Arn"]}}
        return out

    def terraform(self, res: LambdaFunction, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        log_group = Block("resource", ("aws_cloudwatch_log_group", f"{tid}_lambda"), [*tf_skips("CKV_AWS_158")])
        log_group.attrs(name=f"/aws/lambda/{res.name}", retention_in_days=res.log_retention_days, tags=tf_tags(res))
        dlq = f"{tid}_lambda_dlq" if own_dlq(res, ctx) else None
        out = [log_group, *([] if res.role_arn else _tf_role(res, ctx, tid, dlq))]
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
            role=res.role_arn or ref("aws_iam_role", f"{tid}_lambda", "arn"),
            reserved_concurrent_executions=res.reserved_concurrency,
            publish=True if res.alias else None,
        )
        _tf_code(res, ctx, fn, tid)
        fn.block("tracing_config").attr("mode", "Active")
        if dlq or res.dead_letter_arn:
            fn.block("dead_letter_config").attr(
                "target_arn", res.dead_letter_arn or ref("aws_sqs_queue", str(dlq), "arn")
            )
        if res.environment:
            fn.block("environment").attr("variables", dict[str, Value](res.environment))
        if in_vpc(res):
            fn.block("vpc_config").attrs(subnet_ids=tf_subnets(res, ctx), security_group_ids=tf_groups(res, ctx))
        # the role's policy before the function: Lambda checks the DLQ and queue permissions when it creates them
        after = [ref("aws_cloudwatch_log_group", f"{tid}_lambda")]
        if not res.role_arn:
            after.append(ref("aws_iam_role_policy", f"{tid}_lambda"))
        fn.attrs(tags=tf_tags(res), depends_on=after)
        out.append(fn)
        out.extend(triggers.terraform(res, ctx))
        out.extend(extras.terraform(res, ctx))
        return out


def _tf_role(res: LambdaFunction, ctx: SynthContext, tid: str, dlq: str | None) -> list[Block]:
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
    if res.dead_letter_arn:
        statements.append({"Effect": "Allow", "Action": _dlq_action(res), "Resource": res.dead_letter_arn})
    for t in res.triggers:
        if isinstance(t, StreamTrigger):
            read: list[Value] = list(triggers.STREAM_READ)
            statements.append({"Effect": "Allow", "Action": read, "Resource": triggers.tf_stream_arn(t, ctx, res.name)})
    if policy is not None:
        assert isinstance(policy.value, dict) and isinstance(policy.value["Statement"], list)
        statements.extend(policy.value["Statement"])
    out = [
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
    return out


def _tf_code(res: LambdaFunction, ctx: SynthContext, fn: Block, tid: str) -> None:
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
    elif res.code.deploy_parameter:
        for part, what in (("bucket", "bucket holding"), ("key", "S3 key of")):
            ctx.data(
                f"var:{tid}_code_{part}",
                Block("variable", (f"{tid}_code_{part}",)).attrs(
                    type=Raw("string"), description=f"{what} the {res.runtime} deployment package of {res.name}"
                ),
            )
        fn.attrs(s3_bucket=Raw(f"var.{tid}_code_bucket"), s3_key=Raw(f"var.{tid}_code_key"))
    else:
        bucket: Value = res.code.s3_bucket
        if res.code.s3_bucket_ref:
            bucket = ctx.tf(res.code.s3_bucket_ref, "s3_bucket", res.name, "id")
        fn.attrs(s3_bucket=bucket, s3_key=res.code.s3_key)
