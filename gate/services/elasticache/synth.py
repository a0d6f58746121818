"""ElastiCache replication groups (Valkey or Redis OSS): encrypted at rest and in transit, private (a cache
subnet group in the VPC's private tier when the spec names a VPC), Multi-AZ with automatic failover when there
is a replica, minor versions upgraded automatically, daily snapshots and a final snapshot on delete.

Physical names: the replication group id is the spec name (``ReplicationGroupId`` / ``replication_group_id``,
at most 40 characters), so a change that needs replacement fails instead of emptying the cache silently.
"""

from __future__ import annotations

import re
from typing import Any

from gate.spec import ElasticacheCluster
from gate.synth.common import cfn_tags, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.existing import cfn_groups, cfn_subnets, tf_groups, tf_subnets
from gate.synth.hcl import Block, ref, tf_name

DEFAULT_VERSIONS = {"valkey": "8.0", "redis": "7.1"}
PORT = 6379
MAINTENANCE_WINDOW = "sun:05:00-sun:06:00"


def group_id(res: ElasticacheCluster) -> str:
    """The replication group id: the spec name as ElastiCache accepts it (a letter first, no '--', 40 chars)."""
    name = re.sub(r"-{2,}", "-", res.name).strip("-")
    name = name if name[:1].isalpha() else f"cache-{name}"
    return name[:40].rstrip("-")


def version(res: ElasticacheCluster) -> str:
    return res.engine_version or DEFAULT_VERSIONS[res.engine]


class ElasticacheClusterSynth:
    kind = "elasticache_cluster"

    def refs(self, res: ElasticacheCluster, ctx: SynthContext) -> Refs:
        cid, tid = logical_id(res.name, "Cache"), tf_name(res.name)
        region_account = "${AWS::Partition}:elasticache:${AWS::Region}:${AWS::AccountId}"
        arn = {"Fn::Sub": f"arn:{region_account}:replicationgroup:${{{cid}}}"}
        return Refs(
            cfn={
                "id": {"Ref": cid},
                "arn": arn,
                "policy_arns": [arn],
                "endpoint": {"Fn::GetAtt": [cid, "PrimaryEndPoint.Address"]},
            },
            tf={
                "id": ref("aws_elasticache_replication_group", tid, "id"),
                "arn": ref("aws_elasticache_replication_group", tid, "arn"),
                "policy_arns": [ref("aws_elasticache_replication_group", tid, "arn")],
                "endpoint": ref("aws_elasticache_replication_group", tid, "primary_endpoint_address"),
            },
        )

    def cloudformation(self, res: ElasticacheCluster, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        cid = logical_id(res.name, "Cache")
        out: dict[str, dict[str, Any]] = {}
        failover = res.replicas > 0
        props: dict[str, Any] = {
            "ReplicationGroupId": group_id(res),
            "ReplicationGroupDescription": f"{res.engine} cache {res.name}",
            "Engine": res.engine,
            "EngineVersion": version(res),
            "CacheNodeType": res.node_type,
            "NumCacheClusters": 1 + res.replicas,
            "AutomaticFailoverEnabled": failover,
            "MultiAZEnabled": failover,
            "AtRestEncryptionEnabled": True,
            "TransitEncryptionEnabled": True,
            "Port": PORT,
            "AutoMinorVersionUpgrade": True,
            "SnapshotRetentionLimit": res.snapshot_retention_days,
            "PreferredMaintenanceWindow": MAINTENANCE_WINDOW,
        }
        if res.snapshot_retention_days:
            props["SnapshotWindow"] = res.snapshot_window
        if res.kms_key_arn:
            props["KmsKeyId"] = res.kms_key_arn
        if res.cache_subnet_group_name:
            props["CacheSubnetGroupName"] = res.cache_subnet_group_name
        if subnets := cfn_subnets(res, ctx):
            out[f"{cid}SubnetGroup"] = {
                "Type": "AWS::ElastiCache::SubnetGroup",
                "Properties": {
                    "Description": f"private subnets for {res.name}",
                    "SubnetIds": subnets,
                    "Tags": cfn_tags(res),
                },
            }
            props["CacheSubnetGroupName"] = {"Ref": f"{cid}SubnetGroup"}
        if groups := cfn_groups(res, ctx):
            props["SecurityGroupIds"] = groups
        props["Tags"] = cfn_tags(res)
        out[cid] = {
            "Type": "AWS::ElastiCache::ReplicationGroup",
            "DeletionPolicy": "Snapshot",
            "UpdateReplacePolicy": "Snapshot",
            "Properties": props,
        }
        return out

    def terraform(self, res: ElasticacheCluster, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        out: list[Block] = []
        failover = res.replicas > 0
        group = Block("resource", ("aws_elasticache_replication_group", tid)).attrs(
            replication_group_id=group_id(res),
            description=f"{res.engine} cache {res.name}",
            engine=res.engine,
            engine_version=version(res),
            node_type=res.node_type,
            num_cache_clusters=1 + res.replicas,
            automatic_failover_enabled=failover,
            multi_az_enabled=failover,
            at_rest_encryption_enabled=True,
            transit_encryption_enabled=True,
            kms_key_id=res.kms_key_arn,
            port=PORT,
            auto_minor_version_upgrade=True,
            snapshot_retention_limit=res.snapshot_retention_days,
            snapshot_window=res.snapshot_window if res.snapshot_retention_days else None,
            maintenance_window=MAINTENANCE_WINDOW,
            final_snapshot_identifier=f"{group_id(res)}-final",
        )
        if res.cache_subnet_group_name:
            group.attr("subnet_group_name", res.cache_subnet_group_name)
        if subnets := tf_subnets(res, ctx):
            out.append(
                Block("resource", ("aws_elasticache_subnet_group", tid)).attrs(
                    name=group_id(res),
                    description=f"private subnets for {res.name}",
                    subnet_ids=subnets,
                    tags=tf_tags(res),
                )
            )
            group.attr("subnet_group_name", ref("aws_elasticache_subnet_group", tid, "name"))
        groups = tf_groups(res, ctx)
        if groups:
            group.attr("security_group_ids", groups)
        group.attr("tags", tf_tags(res))
        group.block("lifecycle").attr("prevent_destroy", True)
        out.append(group)
        return out
