"""RDS DB instances (``devops-gate import --types rds``): engine, class, storage, encryption, backups, Multi-AZ,
deletion protection, network placement and tags, as the live instance has them.

Kept as imported, outside the spec: the spec's ``rds_instance`` builds its own subnet group, security group and
Secrets Manager password, which an existing instance does not have to match; its security groups become references
when they are imported too.  The master password cannot be read back: neither file sets one (an imported instance
keeps its own).  Aurora cluster members are left out (they belong to an ``AWS::RDS::DBCluster``, not read yet).
"""

from __future__ import annotations

from typing import Any

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, pages, tag_map
from gate.synth.hcl import Block, Value

_OUTSIDE = "kept as imported: the spec's rds_instance builds its own subnet group, security group and password"
# describe_db_instances key -> (CloudFormation property, Terraform attribute)
_PLAIN = {
    "DBInstanceClass": ("DBInstanceClass", "instance_class"),
    "Engine": ("Engine", "engine"),
    "EngineVersion": ("EngineVersion", "engine_version"),
    "AllocatedStorage": ("AllocatedStorage", "allocated_storage"),
    "StorageType": ("StorageType", "storage_type"),
    "MultiAZ": ("MultiAZ", "multi_az"),
    "StorageEncrypted": ("StorageEncrypted", "storage_encrypted"),
    "BackupRetentionPeriod": ("BackupRetentionPeriod", "backup_retention_period"),
    "DeletionProtection": ("DeletionProtection", "deletion_protection"),
    "PubliclyAccessible": ("PubliclyAccessible", "publicly_accessible"),
    "MasterUsername": ("MasterUsername", "username"),
    "PreferredBackupWindow": ("PreferredBackupWindow", "backup_window"),
    "PreferredMaintenanceWindow": ("PreferredMaintenanceWindow", "maintenance_window"),
}


def _kms(data: dict[str, Any]) -> str | None:
    """The instance's KMS key ARN; anything else (the embedded AWS answers a placeholder id) is left out, which an
    import may do: the key of an encrypted instance cannot change in place anyway."""
    key = str(data.get("KmsKeyId") or "")
    return key if key.startswith("arn:") else None


def _groups(data: dict[str, Any]) -> list[str]:
    return [str(g["VpcSecurityGroupId"]) for g in data.get("VpcSecurityGroups") or [] if g.get("VpcSecurityGroupId")]


class _Rds:
    service = "rds"
    import_order = 100  # after its subnets and security groups
    cfn_type = "AWS::RDS::DBInstance"
    tf_type = "aws_db_instance"
    logical_suffix = "Database"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        rds = target.client("rds")
        found = []
        for db in pages(target, rds, "describe_db_instances", "DBInstances"):
            ident = str(db["DBInstanceIdentifier"])
            if db.get("DBClusterIdentifier") or not wanted(ident):
                continue
            tags = db.get("TagList")
            if tags is None:
                doing = f"reading the tags of DB instance {ident}"
                tags = call(target, doing, rds.list_tags_for_resource, ResourceName=db["DBInstanceArn"])["TagList"]
            found.append(Live(self.service, "rds_instance", ident, db.get("DBInstanceArn"), ident, tag_map(tags), db))
        return found

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        data = live.data
        props: dict[str, Any] = {"DBInstanceIdentifier": live.label}
        for key, (prop, _) in _PLAIN.items():
            if data.get(key) is not None:
                props[prop] = str(data[key]) if key == "AllocatedStorage" else data[key]
        if _kms(data):
            props["KmsKeyId"] = links.cfn(str(_kms(data)), "Arn")
        subnet_group = (data.get("DBSubnetGroup") or {}).get("DBSubnetGroupName")
        if subnet_group:
            props["DBSubnetGroupName"] = subnet_group
        if _groups(data):
            props["VPCSecurityGroups"] = [links.cfn(g, "GroupId") for g in _groups(data)]
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        return Cfn(self.cfn_type, props, {"DBInstanceIdentifier": live.physical_id}, frozenset())

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        return SpecResult(None, {"*": _OUTSIDE})

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        data = live.data
        block = Block("resource", (self.tf_type, tf_name)).attrs(identifier=live.label)
        for key, (_, attr) in _PLAIN.items():
            if data.get(key) is not None:
                block.attr(attr, data[key])
        if _kms(data):
            block.attr("kms_key_id", links.tf(str(_kms(data)), "arn"))
        subnet_group = (data.get("DBSubnetGroup") or {}).get("DBSubnetGroupName")
        if subnet_group:
            block.attr("db_subnet_group_name", subnet_group)
        groups: list[Value] = [links.tf(g) for g in _groups(data)]
        if groups:
            block.attr("vpc_security_group_ids", groups)
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        return Tf([(block, live.physical_id)])


READER = _Rds()
