"""RDS instances and Aurora clusters in Terraform -> the CloudFormation shape the policies read."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, put


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
        put(props, cfn_key, attr(block, tf_key))
    return props


MAPPING = TfMapping(
    types={
        "aws_db_instance": ("AWS::RDS::DBInstance", _rds),
        "aws_rds_cluster": ("AWS::RDS::DBCluster", _rds),
        "aws_rds_cluster_instance": ("AWS::RDS::DBInstance", _rds),  # an Aurora instance: judged with its cluster
    }
)
