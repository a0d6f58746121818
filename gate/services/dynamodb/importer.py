"""DynamoDB tables: keys, billing, capacity, point-in-time recovery, TTL, stream, encryption, indexes (raw)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, pages, tag_map
from gate.spec import DynamodbTable, KeyAttribute
from gate.synth.hcl import Block


class _Dynamodb:
    service = "dynamodb"
    import_order = 90  # before the functions and triggers that use a table
    cfn_type = "AWS::DynamoDB::Table"
    tf_type = "aws_dynamodb_table"
    logical_suffix = "Table"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        ddb = target.client("dynamodb")
        found = []
        for name in pages(target, ddb, "list_tables", "TableNames"):
            if not wanted(str(name)):
                continue
            doing = f"reading DynamoDB table {name}"
            table = call(target, doing, ddb.describe_table, TableName=name)["Table"]
            pitr = call(target, doing, ddb.describe_continuous_backups, TableName=name)
            ttl = call(target, doing, ddb.describe_time_to_live, TableName=name).get("TimeToLiveDescription") or {}
            arn = str(table["TableArn"])
            tags = tag_map(call(target, doing, ddb.list_tags_of_resource, ResourceArn=arn).get("Tags"))
            status = pitr["ContinuousBackupsDescription"].get("PointInTimeRecoveryDescription", {})
            data = {"table": table, "pitr": status.get("PointInTimeRecoveryStatus") == "ENABLED", "ttl": ttl}
            found.append(Live("dynamodb", "dynamodb_table", str(name), arn, str(name), tags, data))
        return found

    @staticmethod
    def _keys(table: dict[str, Any]) -> dict[str, str]:
        return {str(k["KeyType"]): str(k["AttributeName"]) for k in table["KeySchema"]}

    @staticmethod
    def _billing(table: dict[str, Any]) -> str:
        return str((table.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED")

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        table = live.data["table"]
        billing = self._billing(table)
        props: dict[str, Any] = {
            "TableName": live.physical_id,
            "AttributeDefinitions": table["AttributeDefinitions"],
            "KeySchema": table["KeySchema"],
            "BillingMode": billing,
        }
        if billing == "PROVISIONED":
            tp = table.get("ProvisionedThroughput") or {}
            props["ProvisionedThroughput"] = {
                "ReadCapacityUnits": int(tp.get("ReadCapacityUnits", 0)),
                "WriteCapacityUnits": int(tp.get("WriteCapacityUnits", 0)),
            }
        if table.get("GlobalSecondaryIndexes"):
            props["GlobalSecondaryIndexes"] = [
                {k: gsi[k] for k in ("IndexName", "KeySchema", "Projection") if k in gsi}
                for gsi in table["GlobalSecondaryIndexes"]
            ]
        props["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": live.data["pitr"]}
        ttl = live.data["ttl"]
        if ttl.get("TimeToLiveStatus") == "ENABLED":
            props["TimeToLiveSpecification"] = {"AttributeName": ttl["AttributeName"], "Enabled": True}
        stream = table.get("StreamSpecification") or {}
        if stream.get("StreamEnabled"):
            props["StreamSpecification"] = {"StreamViewType": stream["StreamViewType"]}
        sse = table.get("SSEDescription") or {}
        if sse.get("Status") == "ENABLED":
            props["SSESpecification"] = {"SSEEnabled": True, "SSEType": "KMS"}
            if sse.get("KMSMasterKeyArn"):
                props["SSESpecification"]["KMSMasterKeyId"] = sse["KMSMasterKeyArn"]
        props["DeletionProtectionEnabled"] = bool(table.get("DeletionProtectionEnabled", False))
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        expressed = set(props) - {"GlobalSecondaryIndexes", "SSESpecification"}
        if "SSESpecification" in props:
            expressed.add("SSESpecification")
        return Cfn(self.cfn_type, props, {"TableName": live.physical_id}, frozenset(expressed))

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        table = live.data["table"]
        notes: dict[str, str] = {}
        types = {str(a["AttributeName"]): str(a["AttributeType"]) for a in table["AttributeDefinitions"]}
        keys = self._keys(table)
        if table.get("GlobalSecondaryIndexes"):
            notes["GlobalSecondaryIndexes"] = f"{len(table['GlobalSecondaryIndexes'])} index(es) kept as imported"
        sse = table.get("SSEDescription") or {}
        if sse.get("Status") != "ENABLED":
            notes["SSESpecification"] = "AWS owned key (the default); the spec uses a KMS key: a change to this "
            notes["SSESpecification"] += "entry moves it to alias/aws/dynamodb"
        stream = table.get("StreamSpecification") or {}
        ttl = live.data["ttl"]
        tp = table.get("ProvisionedThroughput") or {}
        billing = self._billing(table)
        try:
            spec = DynamodbTable(
                name=name,
                tags=live.tags,
                partition_key=KeyAttribute(name=keys["HASH"], type=types[keys["HASH"]]),
                sort_key=KeyAttribute(name=keys["RANGE"], type=types[keys["RANGE"]]) if "RANGE" in keys else None,
                billing_mode="PROVISIONED" if billing == "PROVISIONED" else "PAY_PER_REQUEST",
                read_capacity=max(1, int(tp.get("ReadCapacityUnits") or 5)),
                write_capacity=max(1, int(tp.get("WriteCapacityUnits") or 5)),
                point_in_time_recovery=live.data["pitr"],
                ttl_attribute=ttl.get("AttributeName") if ttl.get("TimeToLiveStatus") == "ENABLED" else None,
                stream=stream.get("StreamViewType", "none") if stream.get("StreamEnabled") else "none",
                kms_key_arn=sse.get("KMSMasterKeyArn"),
                deletion_protection=bool(table.get("DeletionProtectionEnabled", False)),
            )
        except ValidationError as exc:
            return SpecResult(None, {"*": f"not expressible in the spec: {exc.errors()[0]['msg']}"})
        return SpecResult(spec, notes)

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        table = live.data["table"]
        keys = self._keys(table)
        billing = self._billing(table)
        block = Block("resource", ("aws_dynamodb_table", tf_name)).attrs(
            name=live.physical_id, billing_mode=billing, hash_key=keys["HASH"], range_key=keys.get("RANGE")
        )
        if billing == "PROVISIONED":
            tp = table.get("ProvisionedThroughput") or {}
            block.attrs(
                read_capacity=int(tp.get("ReadCapacityUnits", 0)), write_capacity=int(tp.get("WriteCapacityUnits", 0))
            )
        block.attr("deletion_protection_enabled", bool(table.get("DeletionProtectionEnabled", False)))
        stream = table.get("StreamSpecification") or {}
        if stream.get("StreamEnabled"):
            block.attrs(stream_enabled=True, stream_view_type=stream["StreamViewType"])
        for attr in table["AttributeDefinitions"]:
            block.block("attribute").attrs(name=attr["AttributeName"], type=attr["AttributeType"])
        for gsi in table.get("GlobalSecondaryIndexes") or []:
            gkeys = self._keys(gsi)
            projection = gsi.get("Projection") or {}
            block.block("global_secondary_index").attrs(
                name=gsi["IndexName"],
                hash_key=gkeys["HASH"],
                range_key=gkeys.get("RANGE"),
                projection_type=projection.get("ProjectionType", "ALL"),
            )
        block.block("point_in_time_recovery").attrs(enabled=live.data["pitr"])
        ttl = live.data["ttl"]
        if ttl.get("TimeToLiveStatus") == "ENABLED":
            block.block("ttl").attrs(attribute_name=ttl["AttributeName"], enabled=True)
        sse = table.get("SSEDescription") or {}
        if sse.get("Status") == "ENABLED":
            block.block("server_side_encryption").attrs(enabled=True, kms_key_arn=sse.get("KMSMasterKeyArn"))
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        return Tf([(block, live.physical_id)])


READER = _Dynamodb()
