"""SNS topics (KMS-encrypted) and subscriptions; a queue or function in the spec gets the permission to receive.

Topics are named after the spec in both formats (FIFO topics end in ``.fifo``): see ``physical_name``.
"""

from __future__ import annotations

from typing import Any

from gate.spec import SnsTopic, Subscription
from gate.synth.common import cfn_tags, physical_name, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, JsonEncode, Value, ref, tf_name

AWS_MANAGED_KEY = "alias/aws/sns"
_TARGET = {"sqs": "sqs_queue", "lambda": "lambda_function"}


class SnsTopicSynth:
    kind = "sns_topic"

    def refs(self, res: SnsTopic, ctx: SynthContext) -> Refs:
        tid_cfn, tid = logical_id(res.name, "Topic"), tf_name(res.name)
        return Refs(
            cfn={"id": {"Ref": tid_cfn}, "arn": {"Ref": tid_cfn}, "policy_arns": [{"Ref": tid_cfn}]},
            tf={
                "id": ref("aws_sns_topic", tid, "arn"),
                "arn": ref("aws_sns_topic", tid, "arn"),
                "policy_arns": [ref("aws_sns_topic", tid, "arn")],
            },
        )

    def cloudformation(self, res: SnsTopic, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        topic_id = logical_id(res.name, "Topic")
        topic = {"Ref": topic_id}
        props: dict[str, Any] = {
            "TopicName": physical_name(res, fifo=res.fifo),
            "KmsMasterKeyId": res.kms_key_arn or AWS_MANAGED_KEY,
        }
        if res.display_name:
            props["DisplayName"] = res.display_name
        if res.fifo:
            props["FifoTopic"] = True
        if res.content_based_deduplication:
            props["ContentBasedDeduplication"] = True
        props["Tags"] = cfn_tags(res)
        out: dict[str, dict[str, Any]] = {topic_id: {"Type": "AWS::SNS::Topic", "Properties": props}}
        if res.publishers:
            out[f"{topic_id}Policy"] = {
                "Type": "AWS::SNS::TopicPolicy",
                "Properties": {"Topics": [topic], "PolicyDocument": publish_policy(res, topic)},
            }
        for i, sub in enumerate(res.subscriptions):
            sid = f"{topic_id}Subscription{i + 1}"
            endpoint: Any = sub.endpoint
            if sub.endpoint_ref:
                endpoint = ctx.cfn(sub.endpoint_ref, _TARGET[sub.protocol], res.name, "arn")
                if sub.protocol == "sqs":
                    out[f"{sid}QueuePolicy"] = {
                        "Type": "AWS::SQS::QueuePolicy",
                        "Properties": {
                            "Queues": [ctx.cfn(sub.endpoint_ref, "sqs_queue", res.name, "url")],
                            "PolicyDocument": _topic_may_send(endpoint, topic),
                        },
                    }
                else:
                    out[f"{sid}Permission"] = {
                        "Type": "AWS::Lambda::Permission",
                        "Properties": {
                            "Action": "lambda:InvokeFunction",
                            "FunctionName": endpoint,
                            "Principal": "sns.amazonaws.com",
                            "SourceArn": topic,
                        },
                    }
            out[sid] = {
                "Type": "AWS::SNS::Subscription",
                "Properties": {"TopicArn": topic, "Protocol": sub.protocol, "Endpoint": endpoint, **cfn_delivery(sub)},
            }
        return out

    def terraform(self, res: SnsTopic, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        topic = ref("aws_sns_topic", tid, "arn")
        block = Block("resource", ("aws_sns_topic", tid)).attrs(
            name=physical_name(res, fifo=res.fifo),
            display_name=res.display_name,
            fifo_topic=True if res.fifo else None,
            content_based_deduplication=True if res.content_based_deduplication else None,
            kms_master_key_id=res.kms_key_arn or AWS_MANAGED_KEY,
            tags=tf_tags(res),
        )
        out = [block]
        if res.publishers:
            out.append(
                Block("resource", ("aws_sns_topic_policy", tid)).attrs(
                    arn=topic, policy=JsonEncode(publish_policy(res, topic))
                )
            )
        for i, sub in enumerate(res.subscriptions):
            name = f"{tid}_{i + 1}"
            endpoint: Value = sub.endpoint
            if sub.endpoint_ref:
                endpoint = ctx.tf(sub.endpoint_ref, _TARGET[sub.protocol], res.name, "arn")
                if sub.protocol == "sqs":
                    out.append(
                        Block("resource", ("aws_sqs_queue_policy", name)).attrs(
                            queue_url=ctx.tf(sub.endpoint_ref, "sqs_queue", res.name, "url"),
                            policy=JsonEncode(_topic_may_send(endpoint, topic)),
                        )
                    )
                else:
                    out.append(
                        Block("resource", ("aws_lambda_permission", name)).attrs(
                            action="lambda:InvokeFunction",
                            function_name=endpoint,
                            principal="sns.amazonaws.com",
                            source_arn=topic,
                        )
                    )
            out.append(
                Block("resource", ("aws_sns_topic_subscription", name)).attrs(
                    topic_arn=topic, protocol=sub.protocol, endpoint=endpoint, **tf_delivery(sub)
                )
            )
        return out


def cfn_delivery(sub: Subscription) -> dict[str, Any]:
    """Raw message delivery and the filter policy of one subscription (CloudFormation properties)."""
    out: dict[str, Any] = {}
    if sub.raw_message_delivery:
        out["RawMessageDelivery"] = True
    if sub.filter_policy:
        out["FilterPolicyScope"] = "MessageAttributes"
        out["FilterPolicy"] = {k: list(v) for k, v in sub.filter_policy.items()}
    return out


def tf_delivery(sub: Subscription) -> dict[str, Value]:
    """The same in Terraform attributes."""
    return {
        "raw_message_delivery": True if sub.raw_message_delivery else None,
        "filter_policy_scope": "MessageAttributes" if sub.filter_policy else None,
        "filter_policy": JsonEncode({k: list(v) for k, v in sub.filter_policy.items()}) if sub.filter_policy else None,
    }


def _principal(who: str) -> dict[str, Any]:
    if who.endswith(".amazonaws.com"):
        return {"Service": who}
    return {"AWS": who if who == "*" or who.startswith("arn:") else f"arn:aws:iam::{who}:root"}


def publish_policy(res: SnsTopic, topic: Value) -> dict[str, Any]:
    """The topic policy letting exactly the named publishers publish ('*' is anyone: the policies flag it)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": f"Publish{i + 1}",
                "Effect": "Allow",
                "Principal": _principal(who),
                "Action": "sns:Publish",
                "Resource": topic,
            }
            for i, who in enumerate(res.publishers)
        ],
    }


def _topic_may_send(queue_arn: Value, topic_arn: Value) -> dict[str, Any]:
    """The queue policy that lets exactly this topic deliver to the subscribed queue (both formats)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": topic_arn}},
            }
        ],
    }
