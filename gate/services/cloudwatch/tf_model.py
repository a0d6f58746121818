"""CloudWatch Logs log groups in Terraform -> the CloudFormation shape the policies read (alarms have no rule)."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, put


def _log_group(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    retention = attr(block, "retention_in_days")
    if retention not in (None, 0):  # 0 means "never expire" in Terraform
        props["RetentionInDays"] = retention
    put(props, "KmsKeyId", attr(block, "kms_key_id"))
    return props


MAPPING = TfMapping(types={"aws_cloudwatch_log_group": ("AWS::Logs::LogGroup", _log_group)})
