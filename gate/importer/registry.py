"""The services ``devops-gate import`` reads: an explicit dict, in the order resources are written."""

from __future__ import annotations

from gate.errors import GateError
from gate.importer import dynamodb, ec2, iam, lambda_, s3, sns, sqs, vpc
from gate.importer.base import Reader

READERS: dict[str, Reader] = {
    "vpc": vpc.READER,
    "subnet": vpc.SUBNET_READER,
    "iam": iam.READER,
    "ec2": ec2.READER,
    "s3": s3.READER,
    "sqs": sqs.READER,
    "sns": sns.READER,
    "dynamodb": dynamodb.READER,
    "lambda": lambda_.READER,
    "lambda-trigger": lambda_.TRIGGER_READER,  # after the functions and queues it refers to
}
# a service that brings another with it (a function's triggers come with the functions)
_WITH = {"lambda": ("lambda-trigger",), "vpc": ("subnet",)}
ALIASES = {"sg": "ec2", "security-groups": "ec2", "iam-roles": "iam", "ddb": "dynamodb"}


def chosen(types: str | None) -> dict[str, Reader]:
    """The readers for ``--types`` (comma-separated; absent: all)."""
    if not types:
        return dict(READERS)
    out: dict[str, Reader] = {}
    for raw in types.split(","):
        key = ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if key not in READERS:
            raise GateError(
                f"--types: {raw.strip()!r} is not a service the importer reads",
                fix=f"use a comma-separated list of {', '.join(READERS)}",
            )
        out[key] = READERS[key]
        for extra in _WITH.get(key, ()):
            out[extra] = READERS[extra]
    return out
