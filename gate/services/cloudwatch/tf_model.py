"""CloudWatch Logs log groups in Terraform -> the CloudFormation shape the policies read (alarms have no rule)."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, first, put


def _log_group(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    retention = attr(block, "retention_in_days")
    if retention not in (None, 0):  # 0 means "never expire" in Terraform
        props["RetentionInDays"] = retention
    put(props, "KmsKeyId", attr(block, "kms_key_id"))
    return props


def _metric_filter(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "LogGroupName", attr(block, "log_group_name"))
    put(props, "FilterPattern", attr(block, "pattern"))
    transformation = first(block, "metric_transformation")
    if transformation:
        one: dict[str, Any] = {}
        for tf_key, cfn_key in (("name", "MetricName"), ("namespace", "MetricNamespace"), ("value", "MetricValue")):
            put(one, cfn_key, attr(transformation, tf_key))
        props["MetricTransformations"] = [one]
    return props


MAPPING = TfMapping(
    types={
        "aws_cloudwatch_log_group": ("AWS::Logs::LogGroup", _log_group),
        "aws_cloudwatch_log_metric_filter": ("AWS::Logs::MetricFilter", _metric_filter),
    }
)
