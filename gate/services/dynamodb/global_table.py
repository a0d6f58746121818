"""The parts of a table beyond its keys: global secondary indexes, and a global table's replicas (both formats).

A table with ``replica_regions`` is an ``AWS::DynamoDB::GlobalTable`` in CloudFormation (one resource holds every
replica; the stack's Region is always one of them) and an ``aws_dynamodb_table`` with ``replica`` blocks in
Terraform (the provider's Region is the table itself).  Every replica keeps point-in-time recovery, deletion
protection, the table class and the tags; replication needs the NEW_AND_OLD_IMAGES stream, which is turned on.
"""

from __future__ import annotations

from typing import Any

from gate.spec import DynamodbTable, SecondaryIndex
from gate.synth.common import cfn_tags
from gate.synth.context import SynthContext
from gate.synth.hcl import Block, Value


def attributes(res: DynamodbTable) -> list[tuple[str, str]]:
    """Every attribute a key of the table or of an index uses, once, with its type."""
    out: dict[str, str] = {}
    keys = [res.partition_key, res.sort_key]
    keys += [k for i in res.global_secondary_indexes for k in (i.partition_key, i.sort_key)]
    for key in keys:
        if key is not None:
            out.setdefault(key.name, key.type)
    return list(out.items())


def cfn_index(res: DynamodbTable, index: SecondaryIndex) -> dict[str, Any]:
    keys = [{"AttributeName": index.partition_key.name, "KeyType": "HASH"}]
    if index.sort_key:
        keys.append({"AttributeName": index.sort_key.name, "KeyType": "RANGE"})
    projection: dict[str, Any] = {"ProjectionType": index.projection}
    if index.non_key_attributes:
        projection["NonKeyAttributes"] = list(index.non_key_attributes)
    out: dict[str, Any] = {"IndexName": index.name, "KeySchema": keys, "Projection": projection}
    if res.billing_mode == "PROVISIONED":
        out["ProvisionedThroughput"] = {
            "ReadCapacityUnits": res.read_capacity,
            "WriteCapacityUnits": res.write_capacity,
        }
    return out


def tf_indexes(res: DynamodbTable, table: Block) -> None:
    for index in res.global_secondary_indexes:
        block = table.block("global_secondary_index").attrs(
            name=index.name,
            hash_key=index.partition_key.name,
            range_key=index.sort_key.name if index.sort_key else None,
            projection_type=index.projection,
            non_key_attributes=list[Value](index.non_key_attributes) if index.non_key_attributes else None,
        )
        if res.billing_mode == "PROVISIONED":
            block.attrs(read_capacity=res.read_capacity, write_capacity=res.write_capacity)


def regions(res: DynamodbTable, region: str) -> list[str]:
    """The replicas' Regions, the stack's first."""
    return [region, *(r for r in res.replica_regions if r != region)]


def cfn_global_table(res: DynamodbTable, ctx: SynthContext, props: dict[str, Any]) -> dict[str, Any]:
    replica = {
        "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": res.point_in_time_recovery},
        "DeletionProtectionEnabled": res.deletion_protection,
        "TableClass": res.table_class,
        "Tags": cfn_tags(res),
    }
    body = {
        **props,
        "StreamSpecification": {"StreamViewType": "NEW_AND_OLD_IMAGES"},
        "SSESpecification": {"SSEEnabled": True, "SSEType": "KMS"},
        "Replicas": [{"Region": r, **replica} for r in regions(res, ctx.region)],
    }
    if "TimeToLiveSpecification" in body:
        body["TimeToLiveSpecification"] = {"AttributeName": res.ttl_attribute, "Enabled": True}
    return {"Type": "AWS::DynamoDB::GlobalTable", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
            "Properties": body}  # fmt: skip


def tf_replicas(res: DynamodbTable, ctx: SynthContext, table: Block) -> None:
    for region in regions(res, ctx.region)[1:]:
        table.block("replica").attrs(
            region_name=region, point_in_time_recovery=res.point_in_time_recovery, propagate_tags=True
        )
