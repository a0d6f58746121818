"""Terraform resources -> the CloudFormation-shaped view the policy rules evaluate, so one rule serves both.

Only the resource types the rules cover are normalised (``CFN_TYPE`` lists them); others are left out, and
the policy check says how many it did not read.  S3's split-out resources (``aws_s3_bucket_versioning``,
``..._public_access_block``, ``..._server_side_encryption_configuration``, ``..._acl``) are folded into the
bucket they name.  A Terraform expression we cannot resolve (``var.x``, ``aws_kms_key.k.arn``) becomes
``{"Ref": "<expression>"}``: present for ``exists``, *unknown* for every comparison.

Parsed with ``hcl2.api.loads`` (the bc-python-hcl2 module checkov installs), which wraps every attribute
value in a one-item list and every block in a list of mappings.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gate.terraform import parse as tf_parse

_REF = re.compile(r"^\$\{(?P<expr>.*)\}$", re.S)
_BUCKET_REF = re.compile(r"^aws_s3_bucket\.(?P<name>[\w-]+)\.(id|bucket|arn)$")
_ACL = {"private": "Private", "public-read": "PublicRead", "public-read-write": "PublicReadWrite",
        "authenticated-read": "AuthenticatedRead", "log-delivery-write": "LogDeliveryWrite"}  # fmt: skip


@dataclass(frozen=True)
class TfResource:
    address: str  # aws_s3_bucket.assets
    tf_type: str
    body: dict[str, Any]  # {"Type": "AWS::...", "Properties": {...}}
    line: int | None


def value(raw: Any) -> Any:
    """An HCL value as plain data: interpolations become ``{"Ref": expr}`` unless they are a literal jsonencode."""
    if isinstance(raw, str):
        match = _REF.match(raw)
        if not match:
            return raw
        expr = match.group("expr").strip()
        if expr.startswith("jsonencode(") and expr.endswith(")"):
            try:
                return value(ast.literal_eval(expr[len("jsonencode(") : -1]))
            except (ValueError, SyntaxError):
                return {"Ref": expr}
        return {"Ref": expr}
    if isinstance(raw, list):
        return [value(v) for v in raw]
    if isinstance(raw, dict):
        return {str(k): value(v) for k, v in raw.items() if not str(k).startswith("__")}
    return raw


def attr(block: dict[str, Any], key: str, default: Any = None) -> Any:
    raw = block.get(key)
    if isinstance(raw, list) and len(raw) == 1:
        return value(raw[0])
    return default if raw is None else value(raw)


def blocks(block: dict[str, Any], key: str) -> list[dict[str, Any]]:
    raw = block.get(key) or []
    return [b for b in raw if isinstance(b, dict)]


def _first(block: dict[str, Any], key: str) -> dict[str, Any]:
    found = blocks(block, key)
    return found[0] if found else {}


def _set(props: dict[str, Any], key: str, raw: Any) -> None:
    if raw is not None:
        props[key] = raw


def _tags(block: dict[str, Any]) -> list[dict[str, Any]] | dict[str, Any] | None:
    tags = attr(block, "tags")
    if isinstance(tags, dict) and "Ref" not in tags:
        return [{"Key": k, "Value": v} for k, v in tags.items()]
    return tags if tags is not None else None


def _policy(raw: Any) -> Any:
    """An IAM policy attribute: a JSON string (heredoc), a literal jsonencode, or an unresolved reference."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return {"Ref": "unparsed policy"}
    return raw


def _s3(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    _set(props, "BucketName", attr(block, "bucket"))
    acl = attr(block, "acl")
    _set(props, "AccessControl", _ACL.get(acl, acl) if isinstance(acl, str) else acl)
    versioning = _first(block, "versioning")
    if versioning:
        props["VersioningConfiguration"] = {"Status": "Enabled" if attr(versioning, "enabled") is True else "Suspended"}
    sse = _first(_first(block, "server_side_encryption_configuration"), "rule")
    if sse:
        props["BucketEncryption"] = _sse(sse)
    return props


def _sse(rule: dict[str, Any]) -> dict[str, Any]:
    default = _first(rule, "apply_server_side_encryption_by_default")
    by_default: dict[str, Any] = {}
    _set(by_default, "SSEAlgorithm", attr(default, "sse_algorithm"))
    _set(by_default, "KMSMasterKeyID", attr(default, "kms_master_key_id"))
    return {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": by_default}]}


def _ebs(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    _set(props, "Encrypted", attr(block, "encrypted"))
    _set(props, "Size", attr(block, "size"))
    _set(props, "KmsKeyId", attr(block, "kms_key_id"))
    return props


def _instance(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    _set(props, "InstanceType", attr(block, "instance_type"))
    _set(props, "UserData", attr(block, "user_data"))
    meta = _first(block, "metadata_options")
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
    meta = _first(block, "metadata_options")
    if meta:
        data["MetadataOptions"] = {"HttpTokens": attr(meta, "http_tokens", "optional")}
    _set(data, "InstanceType", attr(block, "instance_type"))
    mappings = [
        {"DeviceName": attr(b, "device_name"), "Ebs": {"Encrypted": attr(_first(b, "ebs"), "encrypted", False)}}
        for b in blocks(block, "block_device_mappings")
        if _first(b, "ebs")
    ]
    if mappings:
        data["BlockDeviceMappings"] = mappings
    return {"LaunchTemplateData": data}


def _rds(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for tf_key, cfn_key in (
        ("storage_encrypted", "StorageEncrypted"), ("publicly_accessible", "PubliclyAccessible"),
        ("deletion_protection", "DeletionProtection"), ("backup_retention_period", "BackupRetentionPeriod"),
        ("allocated_storage", "AllocatedStorage"), ("instance_class", "DBInstanceClass"),
        ("password", "MasterUserPassword"), ("master_password", "MasterUserPassword"),
        ("cluster_identifier", "DBClusterIdentifier"), ("engine", "Engine"),
        ("replicate_source_db", "SourceDBInstanceIdentifier"),  # a read replica: judged by its source
    ):  # fmt: skip
        _set(props, cfn_key, attr(block, tf_key))
    return props


def _dynamodb(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    sse = _first(block, "server_side_encryption")
    if sse:
        props["SSESpecification"] = {"SSEEnabled": attr(sse, "enabled", False)}
    pitr = _first(block, "point_in_time_recovery")
    if pitr:
        props["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": attr(pitr, "enabled", False)}
    return props


def _queue_or_topic(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    _set(props, "KmsMasterKeyId", attr(block, "kms_master_key_id"))
    _set(props, "SqsManagedSseEnabled", attr(block, "sqs_managed_sse_enabled"))
    return props


def _log_group(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    retention = attr(block, "retention_in_days")
    if retention not in (None, 0):  # 0 means "never expire" in Terraform
        props["RetentionInDays"] = retention
    _set(props, "KmsKeyId", attr(block, "kms_key_id"))
    return props


def _ingress_items(rule: dict[str, Any]) -> list[dict[str, Any]]:
    base: dict[str, Any] = {"IpProtocol": str(attr(rule, "protocol", attr(rule, "ip_protocol", "-1")))}
    _set(base, "FromPort", attr(rule, "from_port"))
    _set(base, "ToPort", attr(rule, "to_port"))
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


def _iam_policy(block: dict[str, Any]) -> dict[str, Any]:
    return {"PolicyDocument": _policy(attr(block, "policy"))}


def _iam_role(block: dict[str, Any]) -> dict[str, Any]:
    inline = [
        {"PolicyName": attr(b, "name"), "PolicyDocument": _policy(attr(b, "policy"))}
        for b in blocks(block, "inline_policy")
    ]
    props: dict[str, Any] = {"AssumeRolePolicyDocument": _policy(attr(block, "assume_role_policy"))}
    if inline:
        props["Policies"] = inline
    return props


def _lambda(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    _set(props, "Runtime", attr(block, "runtime"))
    env = _first(block, "environment")
    if env:
        props["Environment"] = {"Variables": attr(env, "variables", {})}
    return props


Mapper = Callable[[dict[str, Any]], dict[str, Any] | None]
CFN_TYPE: dict[str, tuple[str, Mapper]] = {
    "aws_s3_bucket": ("AWS::S3::Bucket", _s3),
    "aws_ebs_volume": ("AWS::EC2::Volume", _ebs),
    "aws_instance": ("AWS::EC2::Instance", _instance),
    "aws_launch_template": ("AWS::EC2::LaunchTemplate", _launch_template),
    "aws_db_instance": ("AWS::RDS::DBInstance", _rds),
    "aws_rds_cluster": ("AWS::RDS::DBCluster", _rds),
    "aws_dynamodb_table": ("AWS::DynamoDB::Table", _dynamodb),
    "aws_sqs_queue": ("AWS::SQS::Queue", _queue_or_topic),
    "aws_sns_topic": ("AWS::SNS::Topic", _queue_or_topic),
    "aws_cloudwatch_log_group": ("AWS::Logs::LogGroup", _log_group),
    "aws_security_group": ("AWS::EC2::SecurityGroup", _security_group),
    "aws_security_group_rule": ("AWS::EC2::SecurityGroup", _sg_rule),
    "aws_vpc_security_group_ingress_rule": ("AWS::EC2::SecurityGroup", _sg_rule),
    "aws_iam_policy": ("AWS::IAM::ManagedPolicy", _iam_policy),
    "aws_iam_role_policy": ("AWS::IAM::Policy", _iam_policy),
    "aws_iam_user_policy": ("AWS::IAM::Policy", _iam_policy),
    "aws_iam_group_policy": ("AWS::IAM::Policy", _iam_policy),
    "aws_iam_role": ("AWS::IAM::Role", _iam_role),
    "aws_lambda_function": ("AWS::Lambda::Function", _lambda),
}


def _bucket_of(block: dict[str, Any]) -> str | None:
    ref = attr(block, "bucket")
    if isinstance(ref, dict) and isinstance(ref.get("Ref"), str):
        match = _BUCKET_REF.match(ref["Ref"])
        return match.group("name") if match else None
    return None


def _fold_s3(kind: str, block: dict[str, Any], props: dict[str, Any]) -> None:
    """Apply one of S3's split-out resources to the bucket's properties."""
    if kind == "aws_s3_bucket_versioning":
        status = attr(_first(block, "versioning_configuration"), "status")
        props["VersioningConfiguration"] = {"Status": status}
    elif kind == "aws_s3_bucket_public_access_block":
        props["PublicAccessBlockConfiguration"] = {
            "BlockPublicAcls": attr(block, "block_public_acls", False),
            "BlockPublicPolicy": attr(block, "block_public_policy", False),
            "IgnorePublicAcls": attr(block, "ignore_public_acls", False),
            "RestrictPublicBuckets": attr(block, "restrict_public_buckets", False),
        }
    elif kind == "aws_s3_bucket_server_side_encryption_configuration":
        props["BucketEncryption"] = _sse(_first(block, "rule"))
    elif kind == "aws_s3_bucket_acl":
        acl = attr(block, "acl")
        props["AccessControl"] = _ACL.get(acl, acl) if isinstance(acl, str) else acl


S3_PARTS = (
    "aws_s3_bucket_versioning", "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_acl",
)  # fmt: skip


def parse(content: str, path: str) -> dict[str, Any]:
    """``.tf`` or ``.tf.json`` (see :mod:`gate.terraform.parse`)."""
    return tf_parse.parse(content, path)


def resources(content: str, path: str) -> tuple[list[TfResource], list[str]]:
    """The covered resources in CloudFormation shape, and the addresses of the ones not covered."""
    parsed = parse(content, path)
    out: dict[str, TfResource] = {}
    named: dict[str, str] = {}  # type.name -> address (they differ for a plan's module resources)
    skipped: list[str] = []
    parts: list[tuple[str, dict[str, Any]]] = []
    for group in parsed.get("resource", []):
        for tf_type, instances in group.items():
            for name, block in instances.items():
                address = str(block.get("__address__") or f"{tf_type}.{name}")  # a plan's module resources
                if tf_type in S3_PARTS:
                    parts.append((tf_type, block))
                    continue
                mapping = CFN_TYPE.get(tf_type)
                props = mapping[1](block) if mapping else None
                if mapping is None or props is None:
                    skipped.append(address)
                    continue
                tags = _tags(block)
                if tags is not None:
                    props["Tags"] = tags
                line = block.get("__start_line__")
                body = {"Type": mapping[0], "Properties": props}
                out[address] = TfResource(address, tf_type, body, int(line) if line else None)
                named[f"{tf_type}.{name}"] = address
    for kind, block in parts:
        bucket = _bucket_of(block)
        target = out.get(named.get(f"aws_s3_bucket.{bucket}", "")) if bucket else None
        if target is None:
            skipped.append(f"{kind} (bucket not found in this file)")
            continue
        _fold_s3(kind, block, target.body["Properties"])
    return list(out.values()), skipped


def provider_regions(content: str, path: str) -> list[Any]:
    """Regions set in ``provider "aws"`` blocks (for the organisation's allowed-regions rule)."""
    parsed = parse(content, path)
    return [
        attr(block, "region") for group in parsed.get("provider", []) for name, block in group.items() if name == "aws"
    ]
