"""DynamoDB tables in Terraform -> the CloudFormation shape the policies read."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, first


def _dynamodb(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    sse = first(block, "server_side_encryption")
    if sse:
        props["SSESpecification"] = {"SSEEnabled": attr(sse, "enabled", False)}
    pitr = first(block, "point_in_time_recovery")
    if pitr:
        props["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": attr(pitr, "enabled", False)}
    return props


MAPPING = TfMapping(types={"aws_dynamodb_table": ("AWS::DynamoDB::Table", _dynamodb)})
