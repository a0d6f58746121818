"""The data-loss guard: removing or replacing a resource that holds data blocks the gate unless it is allowed
explicitly, per logical id (``--allow-data-loss ID``, or ``ChangeContext.allow_data_loss`` filled from a
``gate:allow-data-loss`` label or ``/gate allow-data-loss <id>`` comments by writers; ``*`` allows all).

It runs on the plan side (as the ``data-loss`` check, before the verdict) and again on the merge side on the
change set that is about to be executed, so a change set re-created at apply time is guarded too.
"""

from __future__ import annotations

from collections.abc import Iterable

from gate.models import CheckReport, Finding, ResourceChange, Severity

CHECK_ID = "data-loss"
FINDING_ID = "GATE-DATA-LOSS"

# Resource types that hold data, and what is lost when CloudFormation deletes one. Data, not code: add a line.
STATEFUL_TYPES: dict[str, str] = {
    "AWS::RDS::DBInstance": "the database and its automated backups",
    "AWS::RDS::DBCluster": "the cluster's databases and automated backups",
    "AWS::Neptune::DBCluster": "the graph database",
    "AWS::DocDB::DBCluster": "the document database",
    "AWS::DynamoDB::Table": "every item in the table",
    "AWS::DynamoDB::GlobalTable": "every item in the table, in every replica region",
    "AWS::S3::Bucket": "every object in the bucket",
    "AWS::EC2::Volume": "the data on the volume",
    "AWS::EFS::FileSystem": "every file on the file system",
    "AWS::FSx::FileSystem": "every file on the file system",
    "AWS::ElastiCache::ReplicationGroup": "the cached data (and Redis persistence)",
    "AWS::ElastiCache::CacheCluster": "the cached data",
    "AWS::Elasticsearch::Domain": "the search indices",
    "AWS::OpenSearchService::Domain": "the search indices",
    "AWS::Redshift::Cluster": "the warehouse data",
    "AWS::Kinesis::Stream": "the records in the stream",
    "AWS::SQS::Queue": "the messages waiting in the queue",
    "AWS::Logs::LogGroup": "the log events",
    "AWS::KMS::Key": "access to everything encrypted with the key",
    "AWS::SecretsManager::Secret": "the secret value",
    "AWS::Backup::BackupVault": "the recovery points",
    "AWS::ECR::Repository": "the container images",
    "AWS::Timestream::Table": "the time series data",
    "AWS::QLDB::Ledger": "the ledger",
    "AWS::MemoryDB::Cluster": "the in-memory data",
    "AWS::EC2::Instance": "the root volume and instance store (unless DeleteOnTermination is false)",
    "AWS::Cognito::UserPool": "every user account and its credentials",
    "AWS::MSK::Cluster": "the records in every topic",
    "AWS::Cassandra::Table": "every row in the table",
    "AWS::AmazonMQ::Broker": "the messages held by the broker",
    "AWS::RedshiftServerless::Namespace": "the warehouse data",
    "AWS::Neptune::DBInstance": "the graph database instance's data",
    "AWS::DocDB::DBInstance": "the document database instance's data",
}

# The same kinds under their Terraform names (a Terraform plan's changes are guarded by the one table above).
TERRAFORM_TYPES: dict[str, str] = {
    "aws_db_instance": "AWS::RDS::DBInstance",
    "aws_rds_cluster": "AWS::RDS::DBCluster",
    "aws_neptune_cluster": "AWS::Neptune::DBCluster",
    "aws_docdb_cluster": "AWS::DocDB::DBCluster",
    "aws_dynamodb_table": "AWS::DynamoDB::Table",
    "aws_dynamodb_global_table": "AWS::DynamoDB::GlobalTable",
    "aws_s3_bucket": "AWS::S3::Bucket",
    "aws_ebs_volume": "AWS::EC2::Volume",
    "aws_efs_file_system": "AWS::EFS::FileSystem",
    "aws_fsx_lustre_file_system": "AWS::FSx::FileSystem",
    "aws_fsx_windows_file_system": "AWS::FSx::FileSystem",
    "aws_fsx_ontap_file_system": "AWS::FSx::FileSystem",
    "aws_elasticache_replication_group": "AWS::ElastiCache::ReplicationGroup",
    "aws_elasticache_cluster": "AWS::ElastiCache::CacheCluster",
    "aws_elasticsearch_domain": "AWS::Elasticsearch::Domain",
    "aws_opensearch_domain": "AWS::OpenSearchService::Domain",
    "aws_redshift_cluster": "AWS::Redshift::Cluster",
    "aws_kinesis_stream": "AWS::Kinesis::Stream",
    "aws_sqs_queue": "AWS::SQS::Queue",
    "aws_cloudwatch_log_group": "AWS::Logs::LogGroup",
    "aws_kms_key": "AWS::KMS::Key",
    "aws_secretsmanager_secret": "AWS::SecretsManager::Secret",
    "aws_backup_vault": "AWS::Backup::BackupVault",
    "aws_ecr_repository": "AWS::ECR::Repository",
    "aws_timestreamwrite_table": "AWS::Timestream::Table",
    "aws_qldb_ledger": "AWS::QLDB::Ledger",
    "aws_memorydb_cluster": "AWS::MemoryDB::Cluster",
    "aws_instance": "AWS::EC2::Instance",
    "aws_cognito_user_pool": "AWS::Cognito::UserPool",
    "aws_msk_cluster": "AWS::MSK::Cluster",
    "aws_keyspaces_table": "AWS::Cassandra::Table",
    "aws_mq_broker": "AWS::AmazonMQ::Broker",
    "aws_redshiftserverless_namespace": "AWS::RedshiftServerless::Namespace",
    "aws_neptune_cluster_instance": "AWS::Neptune::DBInstance",
    "aws_docdb_cluster_instance": "AWS::DocDB::DBInstance",
}

ALLOW_ALL = "*"


def lost_with(resource_type: str) -> str | None:
    """What is lost when a resource of this type (CloudFormation or Terraform name) is deleted; None: nothing."""
    return STATEFUL_TYPES.get(TERRAFORM_TYPES.get(resource_type, resource_type))


def loses_data(change: ResourceChange) -> bool:
    """True when the change deletes a stateful resource, or may replace one (True or Conditional)."""
    if lost_with(change.type) is None:
        return False
    if change.action == "Remove":
        return True
    return change.action in ("Modify", "Dynamic") and change.replacement in ("True", "Conditional")


def _what(change: ResourceChange) -> str:
    if change.action == "Remove":
        return "deletes"
    return "replaces" if change.replacement == "True" else "may replace"


def findings(changes: Iterable[ResourceChange], allowed: Iterable[str]) -> list[Finding]:
    allow = set(allowed)
    out: list[Finding] = []
    for change in changes:
        if not loses_data(change):
            continue
        lost = lost_with(change.type)
        terraform = change.type in TERRAFORM_TYPES
        keep = (
            "lifecycle { prevent_destroy = true } or a final snapshot/backup"
            if terraform
            else "a DeletionPolicy/UpdateReplacePolicy of Retain or Snapshot"
        )
        title = f"This change {_what(change)} {change.logical_id} ({change.type}): {lost} will be lost unless {keep}"
        title += "".join(f" ({d})" for d in change.details if terraform)
        allowed_by = ALLOW_ALL if ALLOW_ALL in allow else (change.logical_id if change.logical_id in allow else None)
        out.append(
            Finding(
                check_id=FINDING_ID,
                tool=CHECK_ID,
                severity=Severity.CRITICAL,
                title=title,
                resource=change.logical_id,
                remediation=(
                    f"if this is intended, a writer comments '/gate allow-data-loss {change.logical_id}' "
                    "(or adds the label gate:allow-data-loss); locally pass --allow-data-loss "
                    f"{change.logical_id}. Otherwise keep the resource's replacement-forcing "
                    f"{'attributes' if terraform else 'properties'} unchanged"
                ),
                waived=f"data loss allowed explicitly ({allowed_by})" if allowed_by else None,
            )
        )
    return out


def data_loss_report(changes: Iterable[ResourceChange] | None, allowed: Iterable[str]) -> CheckReport:
    """The ``data-loss`` check: None means no change set could be made (no target stack to compare with)."""
    if changes is None:
        return CheckReport(
            check=CHECK_ID,
            status="not-applicable",
            detail="no change set against a deployed stack (no AWS endpoint); apply guards the change set it runs",
        )
    return CheckReport(check=CHECK_ID, status="ran", findings=tuple(findings(changes, allowed)))


def blocking(changes: Iterable[ResourceChange], allowed: Iterable[str]) -> list[Finding]:
    """The data-loss findings nobody allowed (what apply refuses on)."""
    return [f for f in findings(changes, allowed) if f.waived is None]
