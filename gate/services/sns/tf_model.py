"""SNS in Terraform -> the CloudFormation shape the policies read."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, put


def _encryption(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "KmsMasterKeyId", attr(block, "kms_master_key_id"))
    put(props, "SqsManagedSseEnabled", attr(block, "sqs_managed_sse_enabled"))
    return props


MAPPING = TfMapping(types={"aws_sns_topic": ("AWS::SNS::Topic", _encryption)})
