"""Bucket settings with a CloudFormation property and a Terraform resource of their own: Object Lock (WORM default
retention) and CORS rules, in both formats from the same spec fields."""

from __future__ import annotations

from typing import Any

from gate.spec import CorsRule, ObjectLock, S3Bucket
from gate.synth.hcl import Block, Value


def _retention(lock: ObjectLock) -> dict[str, Any]:
    out: dict[str, Any] = {"Mode": lock.mode}
    if lock.years is not None:
        out["Years"] = lock.years
    else:
        out["Days"] = lock.days
    return out


def cfn_object_lock(res: S3Bucket, props: dict[str, Any]) -> None:
    if res.object_lock is None:
        return
    props["ObjectLockEnabled"] = True
    config: dict[str, Any] = {"ObjectLockEnabled": "Enabled"}
    if res.object_lock.days is not None or res.object_lock.years is not None:
        config["Rule"] = {"DefaultRetention": _retention(res.object_lock)}
    props["ObjectLockConfiguration"] = config


def tf_object_lock(res: S3Bucket, tid: str, bucket_id: Value) -> list[Block]:
    lock = res.object_lock
    if lock is None or (lock.days is None and lock.years is None):
        return []  # enabled on the bucket itself (object_lock_enabled); no default retention
    block = Block("resource", ("aws_s3_bucket_object_lock_configuration", tid)).attr("bucket", bucket_id)
    retention = block.block("rule").block("default_retention").attr("mode", lock.mode)
    if lock.years is not None:
        retention.attr("years", lock.years)
    else:
        retention.attr("days", lock.days)
    return [block]


def _cfn_rule(rule: CorsRule) -> dict[str, Any]:
    out: dict[str, Any] = {"AllowedOrigins": list(rule.allowed_origins), "AllowedMethods": list(rule.allowed_methods)}
    if rule.allowed_headers:
        out["AllowedHeaders"] = list(rule.allowed_headers)
    if rule.exposed_headers:
        out["ExposedHeaders"] = list(rule.exposed_headers)
    if rule.max_age_s is not None:
        out["MaxAge"] = rule.max_age_s
    return out


def cfn_cors(res: S3Bucket, props: dict[str, Any]) -> None:
    if res.cors_rules:
        props["CorsConfiguration"] = {"CorsRules": [_cfn_rule(r) for r in res.cors_rules]}


def tf_cors(res: S3Bucket, tid: str, bucket_id: Value) -> list[Block]:
    if not res.cors_rules:
        return []
    block = Block("resource", ("aws_s3_bucket_cors_configuration", tid)).attr("bucket", bucket_id)
    for rule in res.cors_rules:
        r = block.block("cors_rule").attrs(
            allowed_origins=list(rule.allowed_origins), allowed_methods=list(rule.allowed_methods)
        )
        if rule.allowed_headers:
            r.attr("allowed_headers", list(rule.allowed_headers))
        if rule.exposed_headers:
            r.attr("expose_headers", list(rule.exposed_headers))
        if rule.max_age_s is not None:
            r.attr("max_age_seconds", rule.max_age_s)
    return [block]
