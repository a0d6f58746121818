"""S3 buckets: private, encrypted, versioned, TLS-only, retained on delete."""

from __future__ import annotations

from typing import Any

from gate.spec import LifecycleRule, S3Bucket
from gate.synth.common import cfn_tags, checkov_skips
from gate.synth.context import SynthContext, logical_id


def _lifecycle(rule: LifecycleRule) -> dict[str, Any]:
    out: dict[str, Any] = {"Id": rule.id, "Status": "Enabled"}
    if rule.prefix:
        out["Prefix"] = rule.prefix
    if rule.expiration_days:
        out["ExpirationInDays"] = rule.expiration_days
    if rule.transitions:
        out["Transitions"] = [{"StorageClass": t.storage_class, "TransitionInDays": t.days} for t in rule.transitions]
    if rule.noncurrent_expiration_days:
        out["NoncurrentVersionExpiration"] = {"NoncurrentDays": rule.noncurrent_expiration_days}
    if rule.abort_incomplete_multipart_days:
        out["AbortIncompleteMultipartUpload"] = {"DaysAfterInitiation": rule.abort_incomplete_multipart_days}
    return out


class S3BucketSynth:
    kind = "s3_bucket"

    def cloudformation(self, res: S3Bucket, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        bucket_id = logical_id(res.name, "Bucket")
        sse: dict[str, Any] = {"SSEAlgorithm": "AES256"}
        if res.encryption == "kms":
            sse = {"SSEAlgorithm": "aws:kms"}
            if res.kms_key_arn:
                sse["KMSMasterKeyID"] = res.kms_key_arn
        props: dict[str, Any] = {}
        if res.bucket_name:
            props["BucketName"] = res.bucket_name
        props["VersioningConfiguration"] = {"Status": "Enabled" if res.versioning else "Suspended"}
        props["BucketEncryption"] = {
            "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": sse, "BucketKeyEnabled": True}]
        }
        if res.block_public_access:
            props["PublicAccessBlockConfiguration"] = {
                "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            }  # fmt: skip
        props["OwnershipControls"] = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
        if res.lifecycle_rules:
            props["LifecycleConfiguration"] = {"Rules": [_lifecycle(r) for r in res.lifecycle_rules]}
        if res.access_log_bucket:
            props["LoggingConfiguration"] = {
                "DestinationBucketName": res.access_log_bucket,
                "LogFilePrefix": f"{res.name}/",
            }
        props["Tags"] = cfn_tags(res)
        bucket: dict[str, Any] = {
            "Type": "AWS::S3::Bucket",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": props,
        }
        if not res.access_log_bucket:
            bucket["Metadata"] = checkov_skips("CKV_AWS_18")
        tls_only = {
            "Type": "AWS::S3::BucketPolicy",
            "Properties": {
                "Bucket": {"Ref": bucket_id},
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "DenyInsecureTransport",
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [
                                {"Fn::GetAtt": [bucket_id, "Arn"]},
                                {"Fn::Sub": f"${{{bucket_id}.Arn}}/*"},
                            ],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                },
            },
        }
        ctx.outputs[f"{bucket_id}Name"] = {
            "Description": f"Name of bucket {res.name}",
            "Value": {"Ref": bucket_id},
        }
        return {bucket_id: bucket, f"{bucket_id}Policy": tls_only}
