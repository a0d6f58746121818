"""Pieces every synthesiser uses: tags, policy documents, and the checks we knowingly waive (one place)."""

from __future__ import annotations

from typing import Any

from gate.spec import ResourceSpec
from gate.synth.hcl import Comment, Value

MANAGED_BY = {"managed-by": "devops-gate"}

# Checks the secure defaults knowingly do not satisfy, with the reason. Synthesisers attach these to the
# generated resource as checkov skip metadata (CloudFormation) or `#checkov:skip=ID:reason` comments
# (Terraform), so the reviewer sees each waiver and why in the code, and the gate reports them as waived.
# A waiver is attached only where its reason holds (e.g. CKV_AWS_117 only to a function the request puts in
# no VPC); where the secure setting is a sensible default the synthesiser sets it instead (a DLQ for
# functions with asynchronous triggers, Multi-AZ and backups on databases, retention on log groups).
KNOWN_WAIVERS: dict[str, str] = {
    "CKV_AWS_18": "access logging needs a separate log bucket; ask for one with 'access logs to bucket X'",
    "CKV_AWS_61": "the role trusts the named account only with the external id the request gives (the pattern AWS "
    "documents for third-party access); without an external id the finding stands",
    "CKV_AWS_16": "a read replica inherits encryption from its encrypted source (CloudFormation refuses "
    "StorageEncrypted on replicas)",
    "CKV_AWS_157": "a read replica scales reads and can be promoted; write availability is the source's "
    "Multi-AZ setting, and a Multi-AZ replica would double the replica's cost",
    "CKV_AWS_115": "reserved concurrency is a capacity decision, not a security default: it takes capacity "
    "from the account's shared pool and throttles the function at the limit; ask for 'reserved concurrency N'",
    "CKV_AWS_116": "a dead-letter queue only catches failed asynchronous invocations and this function has no "
    "asynchronous trigger here (it is invoked directly, or polls SQS whose redrive policy keeps failed "
    "messages); functions with S3, schedule or SNS triggers get one",
    "CKV_AWS_117": "a function runs in a VPC only when it needs private resources (it then needs NAT or VPC "
    "endpoints to reach AWS APIs); ask for 'in the VPC X' to run it in that VPC's private subnets",
    "CKV_AWS_158": "CloudWatch Logs encrypts every log group at rest with service-managed keys; a customer "
    "managed KMS key costs 1 USD a month per key plus a key policy for the logs service and only adds control "
    "over the key; a stand-alone log group takes one (kms_key_arn)",
    "CKV_AWS_173": "environment variables are encrypted at rest with the AWS managed Lambda key; a customer "
    "managed key only adds control over the key, and secrets in them are refused (CKV_AWS_45, secrets check)",
    "CKV_AWS_272": "code signing needs an AWS Signer profile and packages your build signs; the gate neither "
    "builds nor signs code (inline code cannot be signed)",
    "CKV_AWS_27": "the request asks for SSE-SQS: the queue is encrypted at rest with SQS-owned keys "
    "(SqsManagedSseEnabled), which checkov's CloudFormation check does not read (it looks for KmsMasterKeyId only)",
    "CKV2_AWS_73": "the queue is encrypted with KMS through the AWS managed key alias/aws/sqs; a customer "
    "managed key (1 USD a month) adds key-policy control and cross-account use: give its ARN (kms_key_arn)",
    "CKV_AWS_354": "Performance Insights data is encrypted at rest with the AWS managed key aws/rds; a customer "
    "managed key only adds key-policy control: give the database a kms_key_arn and it encrypts both its storage "
    "and its Performance Insights",
    "CKV2_AWS_30": "the instance exports its postgresql log to CloudWatch Logs; logging statements is a choice "
    "of what to log, not a default: statement text can carry personal data and every logged GB is billed; set "
    "log_statement (e.g. ddl) and log_min_duration_statement (e.g. 1000 ms) in the database's parameters",
    "CKV2_AWS_27": "the cluster exports its postgresql log to CloudWatch Logs; logging statements is a choice of "
    "what to log, not a default (statement text can carry personal data, every logged GB is billed): set log_statement "
    "and log_min_duration_statement in a cluster parameter group",
    "CKV2_AWS_8": "the cluster keeps automated backups (point-in-time restore over its retention) and a final "
    "snapshot on delete; an AWS Backup plan (longer or cross-account retention) belongs where backups are governed",
    "CKV_AWS_327": "the cluster's storage is encrypted with the AWS managed key aws/rds; a customer managed key only "
    "adds key-policy control: give the cluster a kms_key_arn and it encrypts its storage and Performance Insights",
    "CKV_AWS_326": "Backtrack rewinds the whole Aurora MySQL cluster in place and is billed per change record; the "
    "cluster recovers by point-in-time restore over its backup retention instead",
    "CKV2_AWS_5": "a security group asked for on its own is for resources outside this change, which attach "
    "it by its id; groups this change's own resources use are attached here",
    "CKV2_AWS_1": "the network ACL is associated with existing subnets named by their ids (subnet_ids), which lie "
    "outside this configuration, so the check's graph cannot see the association",
    "CKV2_AWS_19": "the Elastic IP is attached to an existing instance named by its id (instance), which lies "
    "outside this configuration, so the check's graph cannot see the attachment",
}


def tags(res: ResourceSpec, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**MANAGED_BY, "gate:name": res.name, **(extra or {}), **res.tags}


def cfn_tags(res: ResourceSpec, extra: dict[str, str] | None = None) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in tags(res, extra).items()]


def tf_tags(res: ResourceSpec, extra: dict[str, str] | None = None) -> dict[str, Value]:
    return dict(tags(res, extra))


def checkov_skips(*check_ids: str) -> dict[str, Any]:
    """CloudFormation ``Metadata`` that tells checkov a check is knowingly waived, with the reason."""
    return {"checkov": {"skip": [{"id": cid, "comment": KNOWN_WAIVERS[cid]} for cid in check_ids]}}


def tf_skips(*check_ids: str) -> list[Comment]:
    """Terraform ``#checkov:skip=ID:reason`` comments (put them first in the resource block)."""
    return [Comment(f"checkov:skip={cid}:{KNOWN_WAIVERS[cid]}") for cid in check_ids]


def physical_name(res: ResourceSpec, suffix: str = "", fifo: bool = False) -> str:
    """The physical name of a queue, topic or table: the spec name, the same in CloudFormation and Terraform.

    A FIFO name ends in ``.fifo``; the spec name cannot hold a dot, so 'invoices.fifo' arrives as
    'invoices-fifo' and becomes 'invoices.fifo' again (its dead-letter queue 'invoices-dlq.fifo').
    """
    base = res.name
    if fifo:
        base = base.removesuffix("-fifo") or base
        return f"{base}{suffix}.fifo"
    return f"{base}{suffix}"


def role_name(owner: str, purpose: str, region: str) -> str:
    """The name of a role (or instance profile) the gate makes for ``owner``, the same in both formats.

    IAM names are global to the account while their owners (functions, instances, VPCs) are regional, so the
    region is part of the name: the same spec can be deployed in two regions.  At most 64 characters.
    """
    suffix = f"-{purpose}-{region}"
    return f"{owner[: 64 - len(suffix)].rstrip('-')}{suffix}"


def security_group_name(res: ResourceSpec) -> str:
    """A security group's name: the spec name ('sg-' is reserved for group ids, so 'sg-web' is 'group-sg-web')."""
    return f"group-{res.name}" if res.name.startswith("sg-") else res.name


def assume_role_policy(*services: str) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": sorted(services) if len(services) > 1 else services[0]},
                "Action": "sts:AssumeRole",
            }
        ],
    }
