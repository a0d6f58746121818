"""One fixer per fixable rule: it edits a CloudFormation resource body (a plain dict) in place.

A rule with no fixer here is not fixable automatically (opening ports, KMS keys with policies, log
encryption): the finding's remediation text says what to do.  Fixers set the secure value and nothing else.

The least-privilege fixers are different: they narrow IAM statements to what the template *seems* to need
(``s3:*`` on ``*`` becomes the bucket actions on the template's one bucket), a guess that can break a workload.
They are listed in ``LEAST_PRIVILEGE`` and applied only when asked (``devops-gate fix --include-least-privilege``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from gate.checks.least_privilege import narrow_body

Fixer = Callable[[dict[str, Any], dict[str, str]], None]  # (resource body, template {logical: type})

_PUBLIC_ACLS = ("PublicRead", "PublicReadWrite", "AuthenticatedRead")
_RUNTIME_UPGRADES = ((r"^python", "python3.12"), (r"^nodejs", "nodejs22.x"), (r"^java8$", "java21"),
                     (r"^ruby", "ruby3.3"), (r"^dotnet", "dotnet8"))  # fmt: skip


def _props(body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("Properties")
    if not isinstance(props, dict):
        props = body["Properties"] = {}
    return props


def _s3_public(body: dict[str, Any], _: dict[str, str]) -> None:
    props = _props(body)
    props["PublicAccessBlockConfiguration"] = {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    }  # fmt: skip
    if props.get("AccessControl") in _PUBLIC_ACLS:
        del props["AccessControl"]


def _s3_encryption(body: dict[str, Any], _: dict[str, str]) -> None:
    _props(body)["BucketEncryption"] = {
        "ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}, "BucketKeyEnabled": True}
        ]
    }


def _set(path: str, value: Any) -> Fixer:
    def fix(body: dict[str, Any], _: dict[str, str]) -> None:
        node = _props(body)
        *parents, leaf = path.split(".")
        for part in parents:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[leaf] = value

    return fix


def _ebs(body: dict[str, Any], template: dict[str, str]) -> None:
    props = _props(body)
    if body.get("Type") == "AWS::EC2::Volume":
        props["Encrypted"] = True
    mappings = props.get("BlockDeviceMappings") or (props.get("LaunchTemplateData") or {}).get("BlockDeviceMappings")
    for mapping in mappings or []:
        if isinstance(mapping, dict) and isinstance(mapping.get("Ebs"), dict):
            mapping["Ebs"]["Encrypted"] = True


def _imds(body: dict[str, Any], template: dict[str, str]) -> None:
    key = "LaunchTemplateData.MetadataOptions" if body.get("Type") == "AWS::EC2::LaunchTemplate" else "MetadataOptions"
    _set(f"{key}.HttpTokens", "required")(body, template)
    _set(f"{key}.HttpEndpoint", "enabled")(body, template)


def _backups(body: dict[str, Any], _: dict[str, str]) -> None:
    _props(body)["BackupRetentionPeriod"] = 7


def _sqs(body: dict[str, Any], _: dict[str, str]) -> None:
    _props(body)["SqsManagedSseEnabled"] = True


def _runtime(body: dict[str, Any], _: dict[str, str]) -> None:
    props = _props(body)
    runtime = str(props.get("Runtime", ""))
    for pattern, newer in _RUNTIME_UPGRADES:
        if re.match(pattern, runtime):
            props["Runtime"] = newer
            return


def _iam(body: dict[str, Any], template: dict[str, str]) -> None:
    narrowed, _ = narrow_body(body, template)
    body.clear()
    body.update(narrowed)


def _db_password(body: dict[str, Any], _: dict[str, str]) -> None:
    props = _props(body)
    if "MasterUserPassword" in props and body.get("Type") in ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster"):
        del props["MasterUserPassword"]
        props["ManageMasterUserPassword"] = True


FIXERS: dict[str, Fixer] = {
    "GATE-S3-001": _s3_public,
    "GATE-S3-002": _s3_encryption,
    "GATE-S3-003": _set("VersioningConfiguration.Status", "Enabled"),
    "GATE-EBS-001": _ebs,
    "GATE-RDS-001": _set("StorageEncrypted", True),
    "GATE-RDS-002": _set("PubliclyAccessible", False),
    "GATE-RDS-003": _set("DeletionProtection", True),
    "GATE-RDS-004": _backups,
    "GATE-DDB-001": _set("SSESpecification.SSEEnabled", True),
    "GATE-DDB-002": _set("PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", True),
    "GATE-SQS-001": _sqs,
    "GATE-SNS-001": _set("KmsMasterKeyId", "alias/aws/sns"),
    "GATE-LOGS-002": _set("RetentionInDays", 365),
    "GATE-EC2-001": _imds,
    "GATE-LAMBDA-001": _runtime,
    "GATE-IAM-001": _iam,
    "GATE-IAM-002": _iam,
    "GATE-IAM-003": _iam,
    "GATE-LP-001": _iam,
    "GATE-SECRET-005": _db_password,
}

# Fixes that narrow IAM policies by a guess of what the workload needs: never applied unless asked for.
LEAST_PRIVILEGE: frozenset[str] = frozenset(check_id for check_id, fixer in FIXERS.items() if fixer is _iam)
