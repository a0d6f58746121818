"""SNS in Terraform -> the CloudFormation shape the policies read."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, policy_doc, put


def _encryption(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "KmsMasterKeyId", attr(block, "kms_master_key_id"))
    put(props, "SqsManagedSseEnabled", attr(block, "sqs_managed_sse_enabled"))
    return props


def _topic_policy(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "PolicyDocument", policy_doc(attr(block, "policy")))
    return props


MAPPING = TfMapping(
    types={
        "aws_sns_topic": ("AWS::SNS::Topic", _encryption),
        "aws_sns_topic_policy": ("AWS::SNS::TopicPolicy", _topic_policy),
    }
)
