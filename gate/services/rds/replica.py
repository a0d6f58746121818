"""Read replicas of a database outside this change ('a read replica of the existing database orders-prod-pg').

The replica names its source by identifier (same Region) or by ARN (cross-Region: ``SourceRegion`` is the ARN's
Region, and a KMS key of this Region encrypts the copy).  Engine, version, storage and encryption come from the
source: CloudFormation refuses ``StorageEncrypted`` on a same-Region replica, and RDS creates replicas with backups
off, so the gate's policies judge a replica by its source (unknown here, so reported as unverifiable).

Physical names: ``DBInstanceIdentifier`` / ``identifier`` is the spec name made a valid RDS identifier.  Deleting a
replica loses no data (the source keeps it): no final snapshot, but deletion protection stays on.
"""

from __future__ import annotations

import re
from typing import Any

from gate.services.rds.synth import NO_PERFORMANCE_INSIGHTS, PERFORMANCE_INSIGHTS_DAYS, db_refs
from gate.spec import RdsReadReplica
from gate.synth.common import cfn_tags, checkov_skips, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.existing import tf_key
from gate.synth.hcl import Block, tf_name

LOG_EXPORTS = {
    "postgres": ["postgresql", "upgrade"],
    "mysql": ["error", "general", "slowquery"],
    "mariadb": ["error", "general", "slowquery"],
}
_ARN_REGION = re.compile(r"^arn:aws[a-z-]*:rds:([a-z0-9-]+):")
# checks a replica meets through its source: encryption (inherited), and, for one AZ, Multi-AZ
_INHERITED = ("CKV_AWS_16",)


def identifier(res: RdsReadReplica) -> str:
    name = re.sub(r"-{2,}", "-", res.name).strip("-")
    return (name if name[:1].isalpha() else f"db-{name}")[:63].rstrip("-")


def source_region(res: RdsReadReplica) -> str | None:
    found = _ARN_REGION.match(res.source_db)
    return found.group(1) if found else None


def performance_insights(res: RdsReadReplica) -> bool:
    """On where RDS offers it (free at 7 days): every Postgres class, and MySQL/MariaDB beyond the small burstables."""
    return res.engine == "postgres" or res.instance_class not in NO_PERFORMANCE_INSIGHTS


def _skips(res: RdsReadReplica) -> list[str]:
    out = list(_INHERITED)
    if not res.multi_az:
        out.append("CKV_AWS_157")
    return out


class RdsReadReplicaSynth:
    kind = "rds_read_replica"

    def refs(self, res: RdsReadReplica, ctx: SynthContext) -> Refs:
        return db_refs(logical_id(res.name, "Replica"), "aws_db_instance", tf_name(res.name), grantable=False)

    def cloudformation(self, res: RdsReadReplica, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        props: dict[str, Any] = {
            "DBInstanceIdentifier": identifier(res),
            "SourceDBInstanceIdentifier": res.source_db,
            "DBInstanceClass": res.instance_class,
            "MultiAZ": res.multi_az,
            "PubliclyAccessible": False,
            "AutoMinorVersionUpgrade": True,
            "CopyTagsToSnapshot": True,
            "EnableIAMDatabaseAuthentication": True,
            "DeletionProtection": res.deletion_protection,
        }
        if region := source_region(res):
            props["SourceRegion"] = region
        if res.availability_zone:
            props["AvailabilityZone"] = res.availability_zone
        if res.kms_key_arn:
            props["KmsKeyId"] = res.kms_key_arn
        if res.db_subnet_group_name:
            props["DBSubnetGroupName"] = res.db_subnet_group_name
        if res.security_group_ids:
            props["VPCSecurityGroups"] = list(res.security_group_ids)
        if res.engine:  # inherited from the source either way; stated, the replica is priced and logs exported
            props["Engine"] = res.engine
            props["EnableCloudwatchLogsExports"] = LOG_EXPORTS[res.engine]
        if performance_insights(res):
            props.update(EnablePerformanceInsights=True, PerformanceInsightsRetentionPeriod=PERFORMANCE_INSIGHTS_DAYS)
        props["Tags"] = cfn_tags(res, {"role": "read-replica"})
        return {
            logical_id(res.name, "Replica"): {
                "Type": "AWS::RDS::DBInstance",
                "DeletionPolicy": "Delete",
                "UpdateReplacePolicy": "Delete",
                "Metadata": checkov_skips(*_skips(res)),
                "Properties": props,
            }
        }

    def terraform(self, res: RdsReadReplica, ctx: SynthContext) -> list[Block]:
        tf_only = [*(["CKV_AWS_354"] if performance_insights(res) and not res.kms_key_arn else []),
                   *(["CKV2_AWS_30"] if res.engine == "postgres" else [])]  # fmt: skip
        block = Block("resource", ("aws_db_instance", tf_name(res.name)), [*tf_skips(*_skips(res), *tf_only)])
        block.attrs(
            identifier=identifier(res),
            replicate_source_db=res.source_db,
            instance_class=res.instance_class,
            multi_az=res.multi_az,
            availability_zone=res.availability_zone,
            kms_key_id=tf_key(res.kms_key_arn, ctx),
            db_subnet_group_name=res.db_subnet_group_name,
            vpc_security_group_ids=list(res.security_group_ids) or None,
            publicly_accessible=False,
            auto_minor_version_upgrade=True,
            copy_tags_to_snapshot=True,
            iam_database_authentication_enabled=True,
            deletion_protection=res.deletion_protection,
            engine=res.engine,
            enabled_cloudwatch_logs_exports=LOG_EXPORTS[res.engine] if res.engine else None,
            performance_insights_enabled=True if performance_insights(res) else None,
            performance_insights_retention_period=PERFORMANCE_INSIGHTS_DAYS if performance_insights(res) else None,
            skip_final_snapshot=True,
            tags=tf_tags(res, {"role": "read-replica"}),
        )
        return [block]
