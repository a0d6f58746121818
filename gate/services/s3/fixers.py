"""Fixes for the S3 rules: block public access, default encryption, versioning."""

from __future__ import annotations

from typing import Any

from gate.services.fix_kit import props, set_path
from gate.services.kit import Fixer

_PUBLIC_ACLS = ("PublicRead", "PublicReadWrite", "AuthenticatedRead")


def _s3_public(body: dict[str, Any], _: dict[str, str]) -> None:
    found = props(body)
    found["PublicAccessBlockConfiguration"] = {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    }  # fmt: skip
    if found.get("AccessControl") in _PUBLIC_ACLS:
        del found["AccessControl"]


def _s3_encryption(body: dict[str, Any], _: dict[str, str]) -> None:
    props(body)["BucketEncryption"] = {
        "ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}
        ]
    }


FIXERS: dict[str, Fixer] = {
    "GATE-S3-001": _s3_public,
    "GATE-S3-002": _s3_encryption,
    "GATE-S3-003": set_path("VersioningConfiguration.Status", "Enabled"),
}
