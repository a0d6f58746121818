"""SQS queues: encrypted (KMS), with a dead-letter queue and redrive policy unless asked for none.

Named after the spec in both formats (``<name>``, ``<name>-dlq``; FIFO queues ``.fifo``): see
``physical_name`` in common.py.  Changing a named queue's FIFO type needs a new name.
"""

from __future__ import annotations

from typing import Any

from gate.spec import SqsQueue
from gate.synth.common import cfn_tags, checkov_skips, physical_name, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, JsonEncode, Value, ref, tf_name

AWS_MANAGED_KEY = "alias/aws/sqs"


class SqsQueueSynth:
    kind = "sqs_queue"

    def refs(self, res: SqsQueue, ctx: SynthContext) -> Refs:
        qid, tid = logical_id(res.name, "Queue"), tf_name(res.name)
        arn = {"Fn::GetAtt": [qid, "Arn"]}
        return Refs(
            cfn={
                "id": {"Ref": qid},
                "url": {"Ref": qid},
                "arn": arn,
                "policy_arns": [arn],
                "alarm_dimensions": [{"QueueName": {"Fn::GetAtt": [qid, "QueueName"]}}],
            },
            tf={
                "id": ref("aws_sqs_queue", tid, "id"),
                "url": ref("aws_sqs_queue", tid, "url"),
                "arn": ref("aws_sqs_queue", tid, "arn"),
                "policy_arns": [ref("aws_sqs_queue", tid, "arn")],
                "alarm_dimensions": [{"QueueName": ref("aws_sqs_queue", tid, "name")}],
            },
        )

    def _common(self, res: SqsQueue, suffix: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {"QueueName": physical_name(res, suffix, fifo=res.fifo)}
        if res.encryption == "sqs":
            out["SqsManagedSseEnabled"] = True
        else:
            out["KmsMasterKeyId"] = res.kms_key_arn or AWS_MANAGED_KEY
            if res.kms_data_key_reuse_s is not None:
                out["KmsDataKeyReusePeriodSeconds"] = res.kms_data_key_reuse_s
        if res.fifo:
            out["FifoQueue"] = True
        return out

    def _waived(self, res: SqsQueue) -> dict[str, Any]:
        return {"Metadata": checkov_skips("CKV_AWS_27")} if res.encryption == "sqs" else {}

    def cloudformation(self, res: SqsQueue, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        qid = logical_id(res.name, "Queue")
        props: dict[str, Any] = {
            **self._common(res),
            "VisibilityTimeout": res.visibility_timeout_s,
            "MessageRetentionPeriod": res.retention_s,
            "DelaySeconds": res.delay_s,
        }
        if res.receive_wait_s is not None:
            props["ReceiveMessageWaitTimeSeconds"] = res.receive_wait_s
        if res.max_message_size is not None:
            props["MaximumMessageSize"] = res.max_message_size
        if res.fifo and res.content_based_deduplication:
            props["ContentBasedDeduplication"] = True
        out: dict[str, dict[str, Any]] = {}
        if res.dead_letter and res.dead_letter.target_arn:  # an existing queue is the DLQ: none is created
            props["RedrivePolicy"] = {
                "deadLetterTargetArn": res.dead_letter.target_arn,
                "maxReceiveCount": res.dead_letter.max_receive_count,
            }
        elif res.dead_letter:
            dlq = f"{qid}DeadLetter"
            out[dlq] = {
                "Type": "AWS::SQS::Queue",
                **self._waived(res),
                "Properties": {
                    **self._common(res, "-dlq"),
                    "MessageRetentionPeriod": res.dead_letter.retention_s,
                    "Tags": cfn_tags(res, {"role": "dead-letter"}),
                },
            }
            props["RedrivePolicy"] = {
                "deadLetterTargetArn": {"Fn::GetAtt": [dlq, "Arn"]},
                "maxReceiveCount": res.dead_letter.max_receive_count,
            }
        props["Tags"] = cfn_tags(res)
        out[qid] = {"Type": "AWS::SQS::Queue", **self._waived(res), "Properties": props}
        if res.topic_arns:
            arn = {"Fn::GetAtt": [qid, "Arn"]}
            out[f"{qid}TopicPolicy"] = {
                "Type": "AWS::SQS::QueuePolicy",
                "Properties": {"Queues": [{"Ref": qid}], "PolicyDocument": topics_may_send(arn, res.topic_arns)},
            }
            for i, topic in enumerate(res.topic_arns):
                out[f"{qid}FromTopic{i + 1}"] = {
                    "Type": "AWS::SNS::Subscription",
                    "DependsOn": [f"{qid}TopicPolicy"],
                    "Properties": {"TopicArn": topic, "Protocol": "sqs", "Endpoint": arn},
                }
        ctx.outputs[f"{qid}Url"] = {"Description": f"URL of queue {res.name}", "Value": {"Ref": qid}}
        return out

    def terraform(self, res: SqsQueue, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        sse_sqs = res.encryption == "sqs"
        common = {
            "kms_master_key_id": None if sse_sqs else res.kms_key_arn or AWS_MANAGED_KEY,
            "kms_data_key_reuse_period_seconds": None if sse_sqs else res.kms_data_key_reuse_s,
            "sqs_managed_sse_enabled": True if sse_sqs else None,
            "fifo_queue": True if res.fifo else None,
        }
        # the AWS managed key (or SQS-managed SSE, when asked for) is a choice, not an oversight: waived with the
        # reason where it is used
        skips = [] if res.kms_key_arn else tf_skips("CKV2_AWS_73")
        out: list[Block] = []
        queue = Block("resource", ("aws_sqs_queue", tid), [*skips]).attrs(
            name=physical_name(res, fifo=res.fifo),
            **common,
            visibility_timeout_seconds=res.visibility_timeout_s,
            message_retention_seconds=res.retention_s,
            delay_seconds=res.delay_s,
            receive_wait_time_seconds=res.receive_wait_s,
            max_message_size=res.max_message_size,
            content_based_deduplication=True if res.fifo and res.content_based_deduplication else None,
        )
        if res.dead_letter and res.dead_letter.target_arn:
            queue.attr(
                "redrive_policy",
                JsonEncode(
                    {
                        "deadLetterTargetArn": res.dead_letter.target_arn,
                        "maxReceiveCount": res.dead_letter.max_receive_count,
                    }
                ),
            )
        elif res.dead_letter:
            out.append(
                Block("resource", ("aws_sqs_queue", f"{tid}_dead_letter"), [*skips]).attrs(
                    name=physical_name(res, "-dlq", fifo=res.fifo),
                    **common,
                    message_retention_seconds=res.dead_letter.retention_s,
                    tags=tf_tags(res, {"role": "dead-letter"}),
                )
            )
            queue.attr(
                "redrive_policy",
                JsonEncode(
                    {
                        "deadLetterTargetArn": ref("aws_sqs_queue", f"{tid}_dead_letter", "arn"),
                        "maxReceiveCount": res.dead_letter.max_receive_count,
                    }
                ),
            )
        queue.attr("tags", tf_tags(res))
        out.append(queue)
        if res.topic_arns:
            arn = ref("aws_sqs_queue", tid, "arn")
            out.append(
                Block("resource", ("aws_sqs_queue_policy", f"{tid}_topics")).attrs(
                    queue_url=ref("aws_sqs_queue", tid, "id"), policy=JsonEncode(topics_may_send(arn, res.topic_arns))
                )
            )
            for i, topic in enumerate(res.topic_arns):
                out.append(
                    Block("resource", ("aws_sns_topic_subscription", f"{tid}_from_topic_{i + 1}")).attrs(
                        topic_arn=topic,
                        protocol="sqs",
                        endpoint=arn,
                        depends_on=[ref("aws_sqs_queue_policy", f"{tid}_topics")],
                    )
                )
        return out


def topics_may_send(queue_arn: Value, topics: list[str]) -> dict[str, Any]:
    """The queue policy that lets exactly these existing topics deliver to the queue (both formats)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "TopicsSend",
                "Effect": "Allow",
                "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
                "Condition": {"ArnEquals": {"aws:SourceArn": list[Value](topics)}},
            }
        ],
    }
