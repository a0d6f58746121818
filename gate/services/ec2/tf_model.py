"""EC2 instances, launch templates, EBS volumes and security groups in Terraform -> the CloudFormation shape."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, blocks, first, put


def _ebs(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "Encrypted", attr(block, "encrypted"))
    put(props, "Size", attr(block, "size"))
    put(props, "KmsKeyId", attr(block, "kms_key_id"))
    return props


def _instance(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "InstanceType", attr(block, "instance_type"))
    put(props, "UserData", attr(block, "user_data"))
    meta = first(block, "metadata_options")
    if meta:
        props["MetadataOptions"] = {"HttpTokens": attr(meta, "http_tokens", "optional")}
    if block.get("launch_template"):
        props["LaunchTemplate"] = {"Ref": "launch_template"}
    mappings = [
        {"DeviceName": "root", "Ebs": {"Encrypted": attr(b, "encrypted", False)}}
        for b in blocks(block, "root_block_device")
    ]
    mappings += [
        {"DeviceName": attr(b, "device_name"), "Ebs": {"Encrypted": attr(b, "encrypted", False)}}
        for b in blocks(block, "ebs_block_device")
    ]
    if mappings:
        props["BlockDeviceMappings"] = mappings
    return props


def _launch_template(block: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    meta = first(block, "metadata_options")
    if meta:
        data["MetadataOptions"] = {"HttpTokens": attr(meta, "http_tokens", "optional")}
    put(data, "InstanceType", attr(block, "instance_type"))
    mappings = [
        {"DeviceName": attr(b, "device_name"), "Ebs": {"Encrypted": attr(first(b, "ebs"), "encrypted", False)}}
        for b in blocks(block, "block_device_mappings")
        if first(b, "ebs")
    ]
    if mappings:
        data["BlockDeviceMappings"] = mappings
    return {"LaunchTemplateData": data}


def _ingress_items(rule: dict[str, Any]) -> list[dict[str, Any]]:
    base: dict[str, Any] = {"IpProtocol": str(attr(rule, "protocol", attr(rule, "ip_protocol", "-1")))}
    put(base, "FromPort", attr(rule, "from_port"))
    put(base, "ToPort", attr(rule, "to_port"))
    items: list[dict[str, Any]] = []
    for key, cfn_key in (("cidr_blocks", "CidrIp"), ("ipv6_cidr_blocks", "CidrIpv6")):
        cidrs = attr(rule, key) or []
        for cidr in cidrs if isinstance(cidrs, list) else [cidrs]:
            items.append({**base, cfn_key: cidr})
    for key, cfn_key in (("cidr_ipv4", "CidrIp"), ("cidr_ipv6", "CidrIpv6")):
        if attr(rule, key) is not None:
            items.append({**base, cfn_key: attr(rule, key)})
    return items or [base]


def _security_group(block: dict[str, Any]) -> dict[str, Any]:
    return {"SecurityGroupIngress": [item for rule in blocks(block, "ingress") for item in _ingress_items(rule)]}


def _sg_rule(block: dict[str, Any]) -> dict[str, Any] | None:
    """A stand-alone ingress rule, as the security group shape (one item per CIDR block)."""
    if attr(block, "type", "ingress") != "ingress":
        return None
    return {"SecurityGroupIngress": _ingress_items(block)}


MAPPING = TfMapping(
    types={
        "aws_ebs_volume": ("AWS::EC2::Volume", _ebs),
        "aws_instance": ("AWS::EC2::Instance", _instance),
        "aws_launch_template": ("AWS::EC2::LaunchTemplate", _launch_template),
        "aws_security_group": ("AWS::EC2::SecurityGroup", _security_group),
        "aws_security_group_rule": ("AWS::EC2::SecurityGroup", _sg_rule),
        "aws_vpc_security_group_ingress_rule": ("AWS::EC2::SecurityGroup", _sg_rule),
    }
)
