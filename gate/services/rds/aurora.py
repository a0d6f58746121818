"""Aurora DB clusters (PostgreSQL- or MySQL-compatible) and their instances: private, encrypted (with the named
key, else the AWS managed one), IAM database authentication, deletion protection, the master password kept by
Secrets Manager, logs exported, Performance Insights on, a snapshot on delete.

Physical names: the cluster is ``DBClusterIdentifier`` / ``cluster_identifier`` = the spec name (made a valid
identifier the same way for both formats), its instances ``<name>-<n>`` (the first is the writer).  Storage and
I/O are priced on the cluster (``gate/cost/rules_clusters.py``), instance hours by the RDS rule.
"""

from __future__ import annotations

import re
from typing import Any

from gate.services.rds.synth import PERFORMANCE_INSIGHTS_DAYS, cfn_subnet_group, db_refs
from gate.services.rds.versions import pinned
from gate.spec import RdsCluster
from gate.synth.common import cfn_tags, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.existing import cfn_groups, tf_groups, tf_key, tf_subnets
from gate.synth.hcl import Block, Raw, ref, tf_name

LOG_EXPORTS = {"aurora-postgresql": ["postgresql"], "aurora-mysql": ["audit", "error", "general", "slowquery"]}
DEFAULT_MAJORS = {"aurora-postgresql": "16", "aurora-mysql": "8.0"}


def version(res: RdsCluster) -> str | None:
    """The version to deploy: as given, else the newest minor of the default major that cfn-lint lists (Aurora
    MySQL's versions are '8.0.mysql_aurora.3.x' builds the spec does not take: then RDS picks its default)."""
    found, source = pinned(res.engine, res.engine_version or DEFAULT_MAJORS[res.engine])
    return found if source != "given" or res.engine_version else None


def identifier(res: RdsCluster) -> str:
    name = re.sub(r"-{2,}", "-", res.name).strip("-")
    return (name if name[:1].isalpha() else f"db-{name}")[:55].rstrip("-")


class RdsClusterSynth:
    kind = "rds_cluster"

    def refs(self, res: RdsCluster, ctx: SynthContext) -> Refs:
        return db_refs(logical_id(res.name, "Cluster"), "aws_rds_cluster", tf_name(res.name), cluster=True)

    def cloudformation(self, res: RdsCluster, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        cid = logical_id(res.name, "Cluster")
        out: dict[str, dict[str, Any]] = {}
        props: dict[str, Any] = {
            "DBClusterIdentifier": identifier(res),
            "Engine": res.engine,
            "MasterUsername": res.master_username,
            "ManageMasterUserPassword": True,
            "StorageEncrypted": True,
            "BackupRetentionPeriod": res.backup_retention_days,
            "PreferredBackupWindow": "03:00-04:00",
            "PreferredMaintenanceWindow": "sun:04:30-sun:05:30",
            "DeletionProtection": res.deletion_protection,
            "EnableIAMDatabaseAuthentication": True,
            "CopyTagsToSnapshot": True,
            "EnableCloudwatchLogsExports": LOG_EXPORTS[res.engine],
        }
        if found := version(res):
            props["EngineVersion"] = found
        if res.kms_key_arn:
            props["KmsKeyId"] = res.kms_key_arn
        if res.database_name:
            props["DatabaseName"] = res.database_name
        if res.db_subnet_group_name:
            props["DBSubnetGroupName"] = res.db_subnet_group_name
        if group := cfn_subnet_group(res, ctx):
            out[f"{cid}SubnetGroup"] = group
            props["DBSubnetGroupName"] = {"Ref": f"{cid}SubnetGroup"}
        if groups := cfn_groups(res, ctx):
            props["VpcSecurityGroupIds"] = groups
        props["Tags"] = cfn_tags(res)
        out[cid] = {"Type": "AWS::RDS::DBCluster", "DeletionPolicy": "Snapshot", "UpdateReplacePolicy": "Snapshot",
                    "Properties": props}  # fmt: skip
        for n in range(res.instances):
            instance: dict[str, Any] = {
                "DBInstanceIdentifier": f"{identifier(res)}-{n + 1}",
                "DBClusterIdentifier": {"Ref": cid},
                "Engine": res.engine,
                "DBInstanceClass": res.instance_class,
                "PubliclyAccessible": False,
                "AutoMinorVersionUpgrade": True,
                "EnablePerformanceInsights": True,
                "PerformanceInsightsRetentionPeriod": PERFORMANCE_INSIGHTS_DAYS,
                "Tags": cfn_tags(res, {"role": "writer" if n == 0 else "reader"}),
            }
            if res.kms_key_arn:
                instance["PerformanceInsightsKMSKeyId"] = res.kms_key_arn
            out[f"{cid}Instance{n + 1}"] = {"Type": "AWS::RDS::DBInstance", "Properties": instance}
        ctx.outputs[f"{cid}Endpoint"] = {"Description": f"Writer endpoint of {res.name}",
                                         "Value": {"Fn::GetAtt": [cid, "Endpoint.Address"]}}  # fmt: skip
        return out

    def terraform(self, res: RdsCluster, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        out: list[Block] = []
        pi_waiver = [] if res.kms_key_arn else ["CKV_AWS_354"]
        waived = (
            "CKV2_AWS_8",
            *(["CKV2_AWS_27"] if res.engine == "aurora-postgresql" else ["CKV_AWS_326"]),
            *([] if res.kms_key_arn else ["CKV_AWS_327"]),
        )
        cluster = Block("resource", ("aws_rds_cluster", tid), [*tf_skips(*waived)]).attrs(
            cluster_identifier=identifier(res),
            engine=res.engine,
            engine_version=version(res),
            master_username=res.master_username,
            manage_master_user_password=True,
            storage_encrypted=True,
            kms_key_id=tf_key(res.kms_key_arn, ctx),
            backup_retention_period=res.backup_retention_days,
            preferred_backup_window="03:00-04:00",
            preferred_maintenance_window="sun:04:30-sun:05:30",
            deletion_protection=res.deletion_protection,
            iam_database_authentication_enabled=True,
            copy_tags_to_snapshot=True,
            enabled_cloudwatch_logs_exports=LOG_EXPORTS[res.engine],
            database_name=res.database_name,
            db_subnet_group_name=res.db_subnet_group_name,
            skip_final_snapshot=False,
            final_snapshot_identifier=f"{identifier(res)}-final",
        )
        if subnets := tf_subnets(res, ctx):
            out.append(
                Block("resource", ("aws_db_subnet_group", tid)).attrs(
                    name_prefix=f"{res.name[:40]}-",
                    description=f"private subnets for {res.name}",
                    subnet_ids=subnets,
                    tags=tf_tags(res),
                )
            )
            cluster.attr("db_subnet_group_name", ref("aws_db_subnet_group", tid, "name"))
        if groups := tf_groups(res, ctx):
            cluster.attr("vpc_security_group_ids", groups)
        cluster.attr("tags", tf_tags(res))
        cluster.block("lifecycle").attr("prevent_destroy", True)
        out.append(cluster)
        instances = Block("resource", ("aws_rds_cluster_instance", tid), [*tf_skips(*pi_waiver)]).attrs(
            count=res.instances,
            identifier=Raw(f'"{identifier(res)}-${{count.index + 1}}"'),
            cluster_identifier=ref("aws_rds_cluster", tid, "id"),
            engine=res.engine,
            instance_class=res.instance_class,
            publicly_accessible=False,
            auto_minor_version_upgrade=True,
            performance_insights_enabled=True,
            performance_insights_retention_period=PERFORMANCE_INSIGHTS_DAYS,
            performance_insights_kms_key_id=tf_key(res.kms_key_arn, ctx),
            tags=tf_tags(res),
        )
        out.append(instances)
        return out
