"""ElastiCache replication groups (Valkey / Redis OSS; ``devops-gate import --types elasticache``): node type, engine,
nodes, failover, Multi-AZ, encryption, snapshots and tags, as the live group has them; the engine version, subnet
group and security groups from its first member cluster when the account answers for it.

Kept as imported, outside the spec: the spec's ``elasticache_cluster`` builds its own subnet group and security
group.  An AUTH token cannot be read back: neither file sets one (the group keeps its own).
"""

from __future__ import annotations

from typing import Any

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, optional, pages, tag_map
from gate.synth.hcl import Block, Value

_OUTSIDE = "kept as imported: the spec's elasticache_cluster builds its own subnet group and security group"
_FLAGS = {  # describe answer (enabled / disabled) -> (CloudFormation property, Terraform attribute)
    "AutomaticFailover": ("AutomaticFailoverEnabled", "automatic_failover_enabled"),
    "MultiAZ": ("MultiAZEnabled", "multi_az_enabled"),
}
_BOOLS = {
    "AtRestEncryptionEnabled": ("AtRestEncryptionEnabled", "at_rest_encryption_enabled"),
    "TransitEncryptionEnabled": ("TransitEncryptionEnabled", "transit_encryption_enabled"),
}
_PLAIN = {
    "Engine": ("Engine", "engine"),
    "CacheNodeType": ("CacheNodeType", "node_type"),
    "SnapshotRetentionLimit": ("SnapshotRetentionLimit", "snapshot_retention_limit"),
    "SnapshotWindow": ("SnapshotWindow", "snapshot_window"),
}


def _values(data: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(CloudFormation property, Terraform attribute, value) of everything read, in one order for both files."""
    out: list[tuple[str, str, Any]] = []
    for key, (prop, attr) in _PLAIN.items():
        if data.get(key) is not None:
            out.append((prop, attr, data[key]))
    member = data.get("member") or {}
    if member.get("EngineVersion"):
        out.append(("EngineVersion", "engine_version", member["EngineVersion"]))
    out.append(("NumCacheClusters", "num_cache_clusters", len(data.get("MemberClusters") or []) or 1))
    for key, (prop, attr) in _FLAGS.items():
        if data.get(key) in ("enabled", "disabled", "enabling", "disabling"):
            out.append((prop, attr, str(data[key]).startswith("enabl")))
    for key, (prop, attr) in _BOOLS.items():
        if data.get(key) is not None:
            out.append((prop, attr, bool(data[key])))
    if member.get("CacheSubnetGroupName"):
        out.append(("CacheSubnetGroupName", "subnet_group_name", member["CacheSubnetGroupName"]))
    return out


def _groups(data: dict[str, Any]) -> list[str]:
    member = data.get("member") or {}
    return [str(g["SecurityGroupId"]) for g in member.get("SecurityGroups") or [] if g.get("SecurityGroupId")]


class _ReplicationGroups:
    service = "elasticache"
    import_order = 110  # after its subnets and security groups
    cfn_type = "AWS::ElastiCache::ReplicationGroup"
    tf_type = "aws_elasticache_replication_group"
    logical_suffix = "Cache"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        cache = target.client("elasticache")
        found = []
        for group in pages(target, cache, "describe_replication_groups", "ReplicationGroups"):
            gid = str(group["ReplicationGroupId"])
            if not wanted(gid):
                continue
            doing = f"reading ElastiCache replication group {gid}"
            tags = call(target, doing, cache.list_tags_for_resource, ResourceName=group["ARN"]).get("TagList")
            member: dict[str, Any] = {}
            for cluster_id in (group.get("MemberClusters") or [])[:1]:
                answer = optional(
                    target, doing, ("CacheClusterNotFound",), cache.describe_cache_clusters, CacheClusterId=cluster_id
                )
                member = dict(((answer or {}).get("CacheClusters") or [{}])[0])
            found.append(Live(self.service, "elasticache_cluster", gid, group.get("ARN"), gid, tag_map(tags),
                              {**group, "member": member}))  # fmt: skip
        return found

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        data = live.data
        props: dict[str, Any] = {
            "ReplicationGroupId": live.label,
            "ReplicationGroupDescription": data.get("Description") or live.label,
        }
        props.update({prop: value for prop, _, value in _values(data)})
        if data.get("KmsKeyId"):
            props["KmsKeyId"] = links.cfn(str(data["KmsKeyId"]), "Arn")
        if _groups(data):
            props["SecurityGroupIds"] = [links.cfn(g, "GroupId") for g in _groups(data)]
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        return Cfn(self.cfn_type, props, {"ReplicationGroupId": live.physical_id}, frozenset())

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        return SpecResult(None, {"*": _OUTSIDE})

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        data = live.data
        block = Block("resource", (self.tf_type, tf_name)).attrs(
            replication_group_id=live.label, description=data.get("Description") or live.label
        )
        for _, attr, value in _values(data):
            block.attr(attr, value)
        if data.get("KmsKeyId"):
            block.attr("kms_key_id", links.tf(str(data["KmsKeyId"]), "arn"))
        groups: list[Value] = [links.tf(g) for g in _groups(data)]
        if groups:
            block.attr("security_group_ids", groups)
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        return Tf([(block, live.physical_id)])


READER = _ReplicationGroups()
