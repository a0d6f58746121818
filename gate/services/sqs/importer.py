"""SQS queues: timeouts, retention, delay, FIFO, encryption, the dead-letter queue (a reference when imported)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, pages
from gate.spec import SqsQueue
from gate.synth.hcl import Block, Comment, JsonEncode, Raw

# queue attribute -> CloudFormation property (int-valued ones are converted)
_INT = {
    "VisibilityTimeout": "VisibilityTimeout",
    "MessageRetentionPeriod": "MessageRetentionPeriod",
    "DelaySeconds": "DelaySeconds",
    "MaximumMessageSize": "MaximumMessageSize",
    "ReceiveMessageWaitTimeSeconds": "ReceiveMessageWaitTimeSeconds",
}
_TF = {
    "VisibilityTimeout": "visibility_timeout_seconds",
    "MessageRetentionPeriod": "message_retention_seconds",
    "DelaySeconds": "delay_seconds",
    "MaximumMessageSize": "max_message_size",
    "ReceiveMessageWaitTimeSeconds": "receive_wait_time_seconds",
}

# the largest max_message_size the AWS provider 5.x accepts (SQS itself takes up to 1 MiB since 2025)
_TF_MAX_MESSAGE = 262144


class _Sqs:
    service = "sqs"
    import_order = 70  # before the topics and functions that deliver to or read a queue
    cfn_type = "AWS::SQS::Queue"
    tf_type = "aws_sqs_queue"
    logical_suffix = "Queue"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        sqs = target.client("sqs")
        found = []
        for url in pages(target, sqs, "list_queues", "QueueUrls"):
            name = str(url).rsplit("/", 1)[-1]
            if not wanted(name):
                continue
            doing = f"reading SQS queue {url}"
            attrs = call(target, doing, sqs.get_queue_attributes, QueueUrl=url, AttributeNames=["All"])["Attributes"]
            tags = call(target, doing, sqs.list_queue_tags, QueueUrl=url).get("Tags") or {}
            found.append(Live("sqs", "sqs_queue", str(url), attrs.get("QueueArn"), name, dict(tags), dict(attrs)))
        return found

    @staticmethod
    def _redrive(live: Live) -> dict[str, Any] | None:
        raw = live.data.get("RedrivePolicy")
        return dict(json.loads(raw)) if raw else None

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        data = live.data
        props: dict[str, Any] = {"QueueName": live.label}
        for attr, prop in _INT.items():
            if attr in data:
                props[prop] = int(data[attr])
        if data.get("FifoQueue") == "true":
            props["FifoQueue"] = True
            props["ContentBasedDeduplication"] = data.get("ContentBasedDeduplication") == "true"
        if data.get("KmsMasterKeyId"):
            props["KmsMasterKeyId"] = data["KmsMasterKeyId"]
        if data.get("SqsManagedSseEnabled") is not None:
            props["SqsManagedSseEnabled"] = data["SqsManagedSseEnabled"] == "true"
        redrive = self._redrive(live)
        if redrive:
            props["RedrivePolicy"] = {
                "deadLetterTargetArn": links.cfn(str(redrive["deadLetterTargetArn"]), "Arn"),
                "maxReceiveCount": int(redrive["maxReceiveCount"]),
            }
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        expressed = {
            "QueueName",
            "VisibilityTimeout",
            "MessageRetentionPeriod",
            "DelaySeconds",
            "FifoQueue",
            "ContentBasedDeduplication",
            "KmsMasterKeyId",
            "Tags",
        }
        return Cfn(self.cfn_type, props, {"QueueUrl": live.physical_id}, frozenset(expressed))

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        data = live.data
        notes: dict[str, str] = {}
        if not data.get("KmsMasterKeyId"):
            notes["KmsMasterKeyId"] = "absent (SSE-SQS or none); the spec names a KMS key: a change to this entry "
            notes["KmsMasterKeyId"] += "moves it to alias/aws/sqs"
        if self._redrive(live):
            notes["RedrivePolicy"] = "the dead-letter queue is another existing queue; the spec's dead_letter builds "
            notes["RedrivePolicy"] += "its own, so the redrive is kept as imported"
        kms = data.get("KmsMasterKeyId")
        try:
            queue = SqsQueue(
                name=name,
                tags=live.tags,
                fifo=data.get("FifoQueue") == "true",
                content_based_deduplication=data.get("ContentBasedDeduplication") == "true",
                visibility_timeout_s=int(data.get("VisibilityTimeout", 30)),
                retention_s=int(data.get("MessageRetentionPeriod", 345600)),
                delay_s=int(data.get("DelaySeconds", 0)),
                dead_letter=None,
                kms_key_arn=kms if kms and kms != "alias/aws/sqs" else None,
            )
        except ValidationError as exc:
            return SpecResult(None, {"*": f"not expressible in the spec: {exc.errors()[0]['msg']}"})
        return SpecResult(queue, notes)

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        data = live.data
        block = Block("resource", ("aws_sqs_queue", tf_name)).attrs(name=live.label)
        ignored = []
        for attr, key in _TF.items():
            if attr not in data:
                continue
            if attr == "MaximumMessageSize" and int(data[attr]) > _TF_MAX_MESSAGE:
                ignored.append(Raw(key))  # over what the AWS provider 5.x validates; never changed from here
                continue
            block.attr(key, int(data[attr]))
        if data.get("FifoQueue") == "true":
            block.attrs(fifo_queue=True, content_based_deduplication=data.get("ContentBasedDeduplication") == "true")
        if data.get("KmsMasterKeyId"):
            block.attr("kms_master_key_id", data["KmsMasterKeyId"])
        if data.get("SqsManagedSseEnabled") is not None:
            block.attr("sqs_managed_sse_enabled", data["SqsManagedSseEnabled"] == "true")
        redrive = self._redrive(live)
        if redrive:
            target = links.tf(str(redrive["deadLetterTargetArn"]), "arn")
            block.attr(
                "redrive_policy",
                JsonEncode({"deadLetterTargetArn": target, "maxReceiveCount": redrive["maxReceiveCount"]}),  # as live
            )
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        if ignored:
            block.body.append(
                Comment(
                    f"max_message_size is {data['MaximumMessageSize']} (over {_TF_MAX_MESSAGE}, the provider's limit)"
                )
            )
            block.block("lifecycle").attr("ignore_changes", ignored)
        return Tf([(block, live.physical_id)])


READER = _Sqs()
