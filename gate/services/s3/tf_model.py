"""S3 in Terraform -> the CloudFormation shape the policies read; the split-out bucket resources
(``aws_s3_bucket_versioning``, ``..._public_access_block``, ``..._server_side_encryption_configuration``,
``..._acl``) are folded into the bucket they name."""

from __future__ import annotations

import re
from typing import Any

from gate.services.kit import TfMapping, TfPart
from gate.services.tf_kit import attr, blocks, first, put

_BUCKET_REF = re.compile(r"^aws_s3_bucket\.(?P<name>[\w-]+)\.(id|bucket|arn)$")
_ACL = {"private": "Private", "public-read": "PublicRead", "public-read-write": "PublicReadWrite",
        "authenticated-read": "AuthenticatedRead", "log-delivery-write": "LogDeliveryWrite"}  # fmt: skip


def _s3(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "BucketName", attr(block, "bucket"))
    acl = attr(block, "acl")
    put(props, "AccessControl", _ACL.get(acl, acl) if isinstance(acl, str) else acl)
    put(props, "ObjectLockEnabled", attr(block, "object_lock_enabled"))
    versioning = first(block, "versioning")
    if versioning:
        props["VersioningConfiguration"] = {"Status": "Enabled" if attr(versioning, "enabled") is True else "Suspended"}
    sse = first(first(block, "server_side_encryption_configuration"), "rule")
    if sse:
        props["BucketEncryption"] = _sse(sse)
    return props


def _sse(rule: dict[str, Any]) -> dict[str, Any]:
    default = first(rule, "apply_server_side_encryption_by_default")
    by_default: dict[str, Any] = {}
    put(by_default, "SSEAlgorithm", attr(default, "sse_algorithm"))
    put(by_default, "KMSMasterKeyID", attr(default, "kms_master_key_id"))
    return {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": by_default}]}


def _bucket_of(block: dict[str, Any]) -> str | None:
    ref = attr(block, "bucket")
    if isinstance(ref, dict) and isinstance(ref.get("Ref"), str):
        match = _BUCKET_REF.match(ref["Ref"])
        return match.group("name") if match else None
    return None


def _versioning(block: dict[str, Any], props: dict[str, Any]) -> None:
    status = attr(first(block, "versioning_configuration"), "status")
    props["VersioningConfiguration"] = {"Status": status}


def _public_access_block(block: dict[str, Any], props: dict[str, Any]) -> None:
    props["PublicAccessBlockConfiguration"] = {
        "BlockPublicAcls": attr(block, "block_public_acls", False),
        "BlockPublicPolicy": attr(block, "block_public_policy", False),
        "IgnorePublicAcls": attr(block, "ignore_public_acls", False),
        "RestrictPublicBuckets": attr(block, "restrict_public_buckets", False),
    }


def _encryption(block: dict[str, Any], props: dict[str, Any]) -> None:
    props["BucketEncryption"] = _sse(first(block, "rule"))


def _acl(block: dict[str, Any], props: dict[str, Any]) -> None:
    acl = attr(block, "acl")
    props["AccessControl"] = _ACL.get(acl, acl) if isinstance(acl, str) else acl


def _object_lock(block: dict[str, Any], props: dict[str, Any]) -> None:
    default = first(first(block, "rule"), "default_retention")
    retention: dict[str, Any] = {}
    put(retention, "Mode", attr(default, "mode"))
    put(retention, "Days", attr(default, "days"))
    put(retention, "Years", attr(default, "years"))
    config: dict[str, Any] = {"ObjectLockEnabled": "Enabled"}
    if retention:
        config["Rule"] = {"DefaultRetention": retention}
    props["ObjectLockConfiguration"] = config


def _cors(block: dict[str, Any], props: dict[str, Any]) -> None:
    rules = []
    for rule in blocks(block, "cors_rule"):
        out: dict[str, Any] = {}
        for key, cfn in (("allowed_origins", "AllowedOrigins"), ("allowed_methods", "AllowedMethods"),
                         ("allowed_headers", "AllowedHeaders"), ("expose_headers", "ExposedHeaders"),
                         ("max_age_seconds", "MaxAge")):  # fmt: skip
            put(out, cfn, attr(rule, key))
        rules.append(out)
    props["CorsConfiguration"] = {"CorsRules": rules}


def _part(fold: Any) -> TfPart:
    return TfPart(owner_type="aws_s3_bucket", owner_of=_bucket_of, fold=fold, owner_noun="bucket")


MAPPING = TfMapping(
    types={"aws_s3_bucket": ("AWS::S3::Bucket", _s3)},
    parts={
        "aws_s3_bucket_versioning": _part(_versioning),
        "aws_s3_bucket_public_access_block": _part(_public_access_block),
        "aws_s3_bucket_server_side_encryption_configuration": _part(_encryption),
        "aws_s3_bucket_acl": _part(_acl),
        "aws_s3_bucket_object_lock_configuration": _part(_object_lock),
        "aws_s3_bucket_cors_configuration": _part(_cors),
    },
)
