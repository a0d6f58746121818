"""ElastiCache replication groups in Terraform -> the CloudFormation shape the policies read."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, put


def _group(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for tf_key, cfn_key in (
        ("engine", "Engine"), ("node_type", "CacheNodeType"), ("num_cache_clusters", "NumCacheClusters"),
        ("at_rest_encryption_enabled", "AtRestEncryptionEnabled"),
        ("transit_encryption_enabled", "TransitEncryptionEnabled"), ("kms_key_id", "KmsKeyId"),
        ("automatic_failover_enabled", "AutomaticFailoverEnabled"), ("multi_az_enabled", "MultiAZEnabled"),
        ("snapshot_retention_limit", "SnapshotRetentionLimit"), ("snapshot_window", "SnapshotWindow"),
        ("subnet_group_name", "CacheSubnetGroupName"), ("security_group_ids", "SecurityGroupIds"),
    ):  # fmt: skip
        put(props, cfn_key, attr(block, tf_key))
    return props


MAPPING = TfMapping(types={"aws_elasticache_replication_group": ("AWS::ElastiCache::ReplicationGroup", _group)})
