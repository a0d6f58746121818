"""Names the Lambda and S3 synthesisers share: the permission that lets a bucket invoke a function."""

from __future__ import annotations

from gate.synth.context import logical_id
from gate.synth.hcl import tf_name


def cfn_s3_permission_id(function: str, bucket: str) -> str:
    return logical_id(function, "From" + logical_id(bucket) + "Permission")


def tf_s3_permission_name(function: str, bucket: str) -> str:
    return tf_name(function, "from_" + tf_name(bucket))
