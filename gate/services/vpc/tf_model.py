"""VPCs in Terraform -> the CloudFormation shape the policies read: the flow log (GATE-VPC-001 reads what traffic it
records).  The VPC, its subnets and routes are not mapped: no rule of ours reads them (checkov does), so the policy
check counts them as not read rather than as checked."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, put


def _flow_log(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "TrafficType", attr(block, "traffic_type"))
    put(props, "LogDestinationType", attr(block, "log_destination_type"))
    put(props, "ResourceId", attr(block, "vpc_id") or attr(block, "subnet_id") or attr(block, "eni_id"))
    return props


MAPPING = TfMapping(types={"aws_flow_log": ("AWS::EC2::FlowLog", _flow_log)})
