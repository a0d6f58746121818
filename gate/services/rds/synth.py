"""RDS instances: private, encrypted, multi-AZ, IAM auth, deletion protection, password kept by Secrets
Manager, snapshot on delete; parameter group, option group, subnet group, read replicas.

Physical names: the instance is ``DBInstanceIdentifier`` / ``identifier`` = the spec name (made a valid RDS
identifier the same way for both formats), its replicas ``<name>-replica-<n>``.  A named instance cannot be
replaced in place: a change that needs replacement fails (CloudFormation) or is stopped by
``prevent_destroy`` (Terraform) until the database is renamed, which for a database is what we want.

Read replicas inherit storage encryption (and its key) and backups from their source: CloudFormation refuses
``StorageEncrypted``/``KmsKeyId`` on a same-region replica, and RDS creates replicas with backups off.  The
gate's policies judge a replica by its source (``Gate.Source``, see gate/checks/policies.py).
"""

from __future__ import annotations

import re
from typing import Any

from gate.services.rds.versions import pinned
from gate.spec import RdsCluster, RdsInstance
from gate.synth.common import cfn_tags, checkov_skips, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.existing import cfn_groups, cfn_subnets, tf_groups, tf_key, tf_subnets
from gate.synth.hcl import Block, Raw, Value, ref, tf_name

LOG_EXPORTS = {
    "postgres": ["postgresql", "upgrade"],
    "mysql": ["error", "general", "slowquery"],
    "mariadb": ["error", "general", "slowquery"],
}


# RDS for MySQL and MariaDB offer no Performance Insights on these classes (AWS: "Amazon RDS DB engine, Region,
# and instance class support for Database Insights"); elsewhere its 7-day retention is free, so it is on.
NO_PERFORMANCE_INSIGHTS = frozenset(
    f"db.{family}.{size}" for family in ("t2", "t3", "t4g") for size in ("micro", "small")
)
PERFORMANCE_INSIGHTS_DAYS = 7  # the free retention


def performance_insights(res: RdsInstance) -> bool:
    return res.engine == "postgres" or res.instance_class not in NO_PERFORMANCE_INSIGHTS


def _tf_waivers(res: RdsInstance) -> list[str]:
    """Terraform-only checks a default database knowingly does not meet (reasons in common.KNOWN_WAIVERS)."""
    out = []
    if performance_insights(res) and not res.kms_key_arn:
        out.append("CKV_AWS_354")
    if res.engine == "postgres" and not res.parameters:
        out.append("CKV2_AWS_30")
    return out


# The major version used when the spec names none: its newest minor that is not deprecated (rds_versions).
DEFAULT_MAJORS = {"postgres": "17", "mysql": "8.4", "mariadb": "11.4"}


def version(res: RdsInstance) -> str:
    return res.engine_version or pinned(res.engine, DEFAULT_MAJORS[res.engine])[0]


def major_version(res: RdsInstance) -> str:
    parts = version(res).split(".")
    return parts[0] if res.engine == "postgres" else ".".join(parts[:2])


def family(res: RdsInstance) -> str:
    return f"{res.engine}{major_version(res)}"


def identifier(res: RdsInstance) -> str:
    """The DB instance identifier: the spec name as RDS accepts it (starts with a letter, no '--', no
    trailing '-'), the same string in CloudFormation and Terraform."""
    name = re.sub(r"-{2,}", "-", res.name).strip("-")
    return name if name[:1].isalpha() else f"db-{name}"[:63].rstrip("-")


def _short(res: RdsInstance) -> str:
    return identifier(res)[:40].rstrip("-")


def replica_identifier(res: RdsInstance, number: int) -> str:
    return f"{_short(res)}-replica-{number}"


def _cfn_insights(res: RdsInstance) -> dict[str, Any]:
    if not performance_insights(res):
        return {}
    out: dict[str, Any] = {
        "EnablePerformanceInsights": True,
        "PerformanceInsightsRetentionPeriod": PERFORMANCE_INSIGHTS_DAYS,
    }
    if res.kms_key_arn:
        out["PerformanceInsightsKMSKeyId"] = res.kms_key_arn
    return out


def _tf_insights(res: RdsInstance, ctx: SynthContext) -> dict[str, Value]:
    if not performance_insights(res):
        return {}
    return {
        "performance_insights_enabled": True,
        "performance_insights_retention_period": PERFORMANCE_INSIGHTS_DAYS,
        "performance_insights_kms_key_id": tf_key(res.kms_key_arn, ctx),
    }


def cfn_subnet_group(res: RdsInstance | RdsCluster, ctx: SynthContext) -> dict[str, Any] | None:
    """The DB subnet group of a database placed in subnets (None: no subnets, or a named existing group)."""
    subnets = cfn_subnets(res, ctx)
    if not subnets:
        return None
    return {
        "Type": "AWS::RDS::DBSubnetGroup",
        "Properties": {
            "DBSubnetGroupDescription": f"private subnets for {res.name}",
            "SubnetIds": subnets,
            "Tags": cfn_tags(res),
        },
    }


def db_refs(cfn_id: str, tf_type: str, tf_id: str, *, cluster: bool = False, grantable: bool = True) -> Refs:
    """What other resources reference of a database (an instance, or an Aurora ``cluster``): its identifier, ARN,
    the ARNs a policy grants on (``grantable``) and the dimensions of an alarm on it, in both formats."""
    key, arn_attr, tf_key_attr = (
        ("DBClusterIdentifier", "DBClusterArn", "cluster_identifier")
        if cluster
        else ("DBInstanceIdentifier", "DBInstanceArn", "identifier")
    )
    arn = {"Fn::GetAtt": [cfn_id, arn_attr]}
    cfn: dict[str, Any] = {"id": {"Ref": cfn_id}, "arn": arn, "alarm_dimensions": [{key: {"Ref": cfn_id}}]}
    tf: dict[str, Any] = {
        "id": ref(tf_type, tf_id, tf_key_attr),
        "arn": ref(tf_type, tf_id, "arn"),
        "alarm_dimensions": [{key: ref(tf_type, tf_id, tf_key_attr)}],
    }
    if grantable:
        cfn["policy_arns"], tf["policy_arns"] = [arn], [ref(tf_type, tf_id, "arn")]
    return Refs(cfn=cfn, tf=tf)


class RdsInstanceSynth:
    kind = "rds_instance"

    def refs(self, res: RdsInstance, ctx: SynthContext) -> Refs:
        return db_refs(logical_id(res.name, "Database"), "aws_db_instance", tf_name(res.name))

    def cloudformation(self, res: RdsInstance, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        did = logical_id(res.name, "Database")
        out: dict[str, dict[str, Any]] = {}
        props: dict[str, Any] = {
            "DBInstanceIdentifier": identifier(res),
            "Engine": res.engine,
            "EngineVersion": version(res),
            "DBInstanceClass": res.instance_class,
            "AllocatedStorage": str(res.storage_gb),
            "StorageType": res.storage_type,
            "MultiAZ": res.multi_az,
            "BackupRetentionPeriod": res.backup_retention_days,
            "PreferredBackupWindow": res.backup_window,
            "PreferredMaintenanceWindow": res.maintenance_window,
            "StorageEncrypted": res.storage_encrypted,
            "DeletionProtection": res.deletion_protection,
            "PubliclyAccessible": False,
            "MasterUsername": res.master_username,
            "ManageMasterUserPassword": True,
            "EnableIAMDatabaseAuthentication": True,
            "AutoMinorVersionUpgrade": True,
            "CopyTagsToSnapshot": True,
            "EnableCloudwatchLogsExports": LOG_EXPORTS[res.engine],
            **_cfn_insights(res),
        }
        if res.iops:
            props["Iops"] = res.iops
        if res.max_storage_gb:
            props["MaxAllocatedStorage"] = res.max_storage_gb
        if res.port:
            props["Port"] = str(res.port)
        if res.kms_key_arn:
            props["KmsKeyId"] = res.kms_key_arn
        if res.database_name:
            props["DBName"] = res.database_name
        if res.db_subnet_group_name:
            props["DBSubnetGroupName"] = res.db_subnet_group_name
        if group := cfn_subnet_group(res, ctx):
            out[f"{did}SubnetGroup"] = group
            props["DBSubnetGroupName"] = {"Ref": f"{did}SubnetGroup"}
        if groups := cfn_groups(res, ctx):
            props["VPCSecurityGroups"] = groups
        if res.parameters:
            out[f"{did}ParameterGroup"] = {
                "Type": "AWS::RDS::DBParameterGroup",
                "Properties": {
                    "Family": family(res),
                    "Description": f"parameters for {res.name}",
                    "Parameters": dict(res.parameters),
                    "Tags": cfn_tags(res),
                },
            }
            props["DBParameterGroupName"] = {"Ref": f"{did}ParameterGroup"}
        if res.options:
            out[f"{did}OptionGroup"] = {
                "Type": "AWS::RDS::OptionGroup",
                "Properties": {
                    "EngineName": res.engine,
                    "MajorEngineVersion": major_version(res),
                    "OptionGroupDescription": f"options for {res.name}",
                    "OptionConfigurations": [
                        {
                            "OptionName": o.name,
                            **(
                                {"OptionSettings": [{"Name": k, "Value": v} for k, v in o.settings.items()]}
                                if o.settings
                                else {}
                            ),
                        }
                        for o in res.options
                    ],
                    "Tags": cfn_tags(res),
                },
            }
            props["OptionGroupName"] = {"Ref": f"{did}OptionGroup"}
        props["Tags"] = cfn_tags(res)
        out[did] = {
            "Type": "AWS::RDS::DBInstance",
            "DeletionPolicy": "Snapshot",
            "UpdateReplacePolicy": "Snapshot",
            "Properties": props,
        }
        for i in range(res.read_replicas):
            # no StorageEncrypted/KmsKeyId: a same-region replica inherits both from its source
            replica = {
                "DBInstanceIdentifier": replica_identifier(res, i + 1),
                "SourceDBInstanceIdentifier": {"Ref": did},
                "DBInstanceClass": res.instance_class,
                "PubliclyAccessible": False,
                "AutoMinorVersionUpgrade": True,
                "CopyTagsToSnapshot": True,
                "EnableIAMDatabaseAuthentication": True,
                "DeletionProtection": res.deletion_protection,
                "EnableCloudwatchLogsExports": LOG_EXPORTS[res.engine],
                **_cfn_insights(res),
                "Tags": cfn_tags(res, {"role": "read-replica"}),
            }
            if "VPCSecurityGroups" in props:
                replica["VPCSecurityGroups"] = props["VPCSecurityGroups"]
            out[f"{did}Replica{i + 1}"] = {
                "Type": "AWS::RDS::DBInstance",
                "DeletionPolicy": "Delete",
                "UpdateReplacePolicy": "Delete",
                "Metadata": checkov_skips("CKV_AWS_16", "CKV_AWS_157"),
                "Properties": replica,
            }
        ctx.outputs[f"{did}Endpoint"] = {
            "Description": f"Endpoint of {res.name}",
            "Value": {"Fn::GetAtt": [did, "Endpoint.Address"]},
        }
        return out

    def terraform(self, res: RdsInstance, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        out: list[Block] = []
        db = Block("resource", ("aws_db_instance", tid), [*tf_skips(*_tf_waivers(res))]).attrs(
            identifier=identifier(res),
            engine=res.engine,
            engine_version=version(res),
            instance_class=res.instance_class,
            allocated_storage=res.storage_gb,
            max_allocated_storage=res.max_storage_gb,
            port=res.port,
            storage_type=res.storage_type,
            iops=res.iops,
            multi_az=res.multi_az,
            backup_retention_period=res.backup_retention_days,
            backup_window=res.backup_window,
            maintenance_window=res.maintenance_window,
            storage_encrypted=res.storage_encrypted,
            kms_key_id=tf_key(res.kms_key_arn, ctx),
            deletion_protection=res.deletion_protection,
            publicly_accessible=False,
            db_name=res.database_name,
            username=res.master_username,
            manage_master_user_password=True,
            iam_database_authentication_enabled=True,
            auto_minor_version_upgrade=True,
            copy_tags_to_snapshot=True,
            enabled_cloudwatch_logs_exports=LOG_EXPORTS[res.engine],
            **_tf_insights(res, ctx),
            skip_final_snapshot=False,
            final_snapshot_identifier=f"{_short(res)}-final",
        )
        if res.db_subnet_group_name:
            db.attr("db_subnet_group_name", res.db_subnet_group_name)
        if subnets := tf_subnets(res, ctx):
            out.append(
                Block("resource", ("aws_db_subnet_group", tid)).attrs(
                    name_prefix=f"{res.name[:40]}-",
                    description=f"private subnets for {res.name}",
                    subnet_ids=subnets,
                    tags=tf_tags(res),
                )
            )
            db.attr("db_subnet_group_name", ref("aws_db_subnet_group", tid, "name"))
        groups = tf_groups(res, ctx)
        if groups:
            db.attr("vpc_security_group_ids", groups)
        if res.parameters:
            pg = Block("resource", ("aws_db_parameter_group", tid)).attrs(
                name_prefix=f"{res.name[:40]}-", family=family(res), description=f"parameters for {res.name}"
            )
            for key, value in res.parameters.items():
                pg.block("parameter").attrs(name=key, value=value)
            pg.attr("tags", tf_tags(res))
            out.append(pg)
            db.attr("parameter_group_name", ref("aws_db_parameter_group", tid, "name"))
        if res.options:
            og = Block("resource", ("aws_db_option_group", tid)).attrs(
                name_prefix=f"{res.name[:40]}-",
                option_group_description=f"options for {res.name}",
                engine_name=res.engine,
                major_engine_version=major_version(res),
            )
            for option in res.options:
                ob = og.block("option").attr("option_name", option.name)
                for key, value in option.settings.items():
                    ob.block("option_settings").attrs(name=key, value=value)
            og.attr("tags", tf_tags(res))
            out.append(og)
            db.attr("option_group_name", ref("aws_db_option_group", tid, "name"))
        db.attr("tags", tf_tags(res))
        db.block("lifecycle").attr("prevent_destroy", True)
        out.append(db)
        if res.read_replicas:
            replica = Block("resource", ("aws_db_instance", f"{tid}_replica"))
            replica.body.extend(tf_skips("CKV_AWS_157", *(w for w in _tf_waivers(res) if w != "CKV2_AWS_30")))
            replica.attrs(
                count=res.read_replicas,
                identifier=Raw(f'"{_short(res)}-replica-${{count.index + 1}}"'),
                replicate_source_db=ref("aws_db_instance", tid, "identifier"),
                instance_class=res.instance_class,
                # inherited from the source; stated so Terraform's plan matches what RDS reports (no diff)
                storage_encrypted=res.storage_encrypted,
                publicly_accessible=False,
                auto_minor_version_upgrade=True,
                copy_tags_to_snapshot=True,
                iam_database_authentication_enabled=True,
                deletion_protection=res.deletion_protection,
                enabled_cloudwatch_logs_exports=LOG_EXPORTS[res.engine],
                **_tf_insights(res, ctx),
                skip_final_snapshot=True,
            )
            if groups:
                replica.attr("vpc_security_group_ids", groups)
            replica.attr("tags", tf_tags(res, {"role": "read-replica"}))
            out.append(replica)
        return out
