"""DynamoDB tables: KMS-encrypted, point-in-time recovery, deletion protection, retained on delete.

The table is named after the spec in both formats (``TableName`` / ``name``).  A named table cannot be
replaced in place (a new key schema needs a new name), which keeps a retained table from being swapped for
an empty one.
"""

from __future__ import annotations

from typing import Any

from gate.services.dynamodb.global_table import attributes, cfn_global_table, cfn_index, tf_indexes, tf_replicas
from gate.spec import DynamodbTable
from gate.synth.common import cfn_tags, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, Raw, ref, tf_name

AWS_MANAGED_KEY = "alias/aws/dynamodb"


def table_name(res: DynamodbTable) -> str:
    """The spec name; DynamoDB wants at least 3 characters."""
    return res.name if len(res.name) >= 3 else f"{res.name}-table"


class DynamodbTableSynth:
    kind = "dynamodb_table"

    def refs(self, res: DynamodbTable, ctx: SynthContext) -> Refs:
        did, tid = logical_id(res.name, "Table"), tf_name(res.name)
        arn = {"Fn::GetAtt": [did, "Arn"]}
        return Refs(
            cfn={
                "id": {"Ref": did},
                "arn": arn,
                "policy_arns": [arn, {"Fn::Sub": f"${{{did}.Arn}}/index/*"}],
                "alarm_dimensions": [{"TableName": {"Ref": did}}],
                "stream_arn": {"Fn::GetAtt": [did, "StreamArn"]},
            },
            tf={
                "id": ref("aws_dynamodb_table", tid, "name"),
                "arn": ref("aws_dynamodb_table", tid, "arn"),
                "policy_arns": [
                    ref("aws_dynamodb_table", tid, "arn"),
                    Raw(f'"${{aws_dynamodb_table.{tid}.arn}}/index/*"'),
                ],
                "alarm_dimensions": [{"TableName": ref("aws_dynamodb_table", tid, "name")}],
                "stream_arn": ref("aws_dynamodb_table", tid, "stream_arn"),
            },
        )

    def _keys(self, res: DynamodbTable) -> list[tuple[str, str, str]]:
        keys: list[tuple[str, str, str]] = [(res.partition_key.name, res.partition_key.type, "HASH")]
        if res.sort_key:
            keys.append((res.sort_key.name, res.sort_key.type, "RANGE"))
        return keys

    def cloudformation(self, res: DynamodbTable, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        keys = self._keys(res)
        props: dict[str, Any] = {
            "TableName": table_name(res),
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t} for n, t in attributes(res)],
            "KeySchema": [{"AttributeName": n, "KeyType": k} for n, _, k in keys],
            "BillingMode": res.billing_mode,
        }
        if res.billing_mode == "PROVISIONED":
            props["ProvisionedThroughput"] = {
                "ReadCapacityUnits": res.read_capacity,
                "WriteCapacityUnits": res.write_capacity,
            }
        if res.global_secondary_indexes:
            props["GlobalSecondaryIndexes"] = [cfn_index(res, i) for i in res.global_secondary_indexes]
        if res.ttl_attribute:
            props["TimeToLiveSpecification"] = {"AttributeName": res.ttl_attribute, "Enabled": True}
        if res.replica_regions:
            return {logical_id(res.name, "Table"): cfn_global_table(res, ctx, props)}
        props["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": res.point_in_time_recovery}
        props["SSESpecification"] = {
            "SSEEnabled": True,
            "SSEType": "KMS",
            "KMSMasterKeyId": res.kms_key_arn or AWS_MANAGED_KEY,
        }
        if res.stream != "none":
            props["StreamSpecification"] = {"StreamViewType": res.stream}
        if res.table_class != "STANDARD":
            props["TableClass"] = res.table_class
        props["DeletionProtectionEnabled"] = res.deletion_protection
        props["Tags"] = cfn_tags(res)
        return {
            logical_id(res.name, "Table"): {
                "Type": "AWS::DynamoDB::Table",
                "DeletionPolicy": "Retain",
                "UpdateReplacePolicy": "Retain",
                "Properties": props,
            }
        }

    def terraform(self, res: DynamodbTable, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        keys = self._keys(res)
        table = Block("resource", ("aws_dynamodb_table", tid)).attrs(
            name=table_name(res),
            billing_mode=res.billing_mode,
            hash_key=keys[0][0],
            range_key=keys[1][0] if len(keys) > 1 else None,
        )
        if res.billing_mode == "PROVISIONED":
            table.attrs(read_capacity=res.read_capacity, write_capacity=res.write_capacity)
        stream = "NEW_AND_OLD_IMAGES" if res.replica_regions else res.stream
        if stream != "none":
            table.attrs(stream_enabled=True, stream_view_type=stream)
        if res.table_class != "STANDARD":
            table.attr("table_class", res.table_class)
        table.attr("deletion_protection_enabled", res.deletion_protection)
        for name, typ in attributes(res):
            table.block("attribute").attrs(name=name, type=typ)
        tf_indexes(res, table)
        table.block("point_in_time_recovery").attr("enabled", res.point_in_time_recovery)
        if res.kms_key_arn:
            key = res.kms_key_arn
            table.block("server_side_encryption").attrs(enabled=True, kms_key_arn=key)
        else:
            ctx.data("kms:dynamodb", Block("data", ("aws_kms_alias", "dynamodb")).attr("name", AWS_MANAGED_KEY))
            table.block("server_side_encryption").attrs(
                enabled=True, kms_key_arn=ref("data.aws_kms_alias", "dynamodb", "target_key_arn")
            )
        if res.ttl_attribute:
            table.block("ttl").attrs(attribute_name=res.ttl_attribute, enabled=True)
        tf_replicas(res, ctx, table)
        table.attr("tags", tf_tags(res))
        table.block("lifecycle").attr("prevent_destroy", True)
        return [table]
