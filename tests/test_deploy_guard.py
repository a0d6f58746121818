"""Replacement from the resource provider schemas cfn-lint ships, and the data-loss guard (no AWS needed)."""

from __future__ import annotations

from typing import Any

import pytest

from gate.deploy import guard
from gate.deploy.replacement import annotate, create_only_properties, replacement_for
from gate.models import ResourceChange


def _bucket(**props: Any) -> dict[str, Any]:
    return {"Type": "AWS::S3::Bucket", "Properties": props}


def test_schemas_know_what_forces_replacement() -> None:
    assert "/properties/BucketName" in (create_only_properties("AWS::S3::Bucket") or ())
    assert "/properties/TableName" in (create_only_properties("AWS::DynamoDB::Table", "eu-west-1") or ())
    assert create_only_properties("Custom::Thing") is None
    assert create_only_properties("AWS::S3::Bucket", "xx-nowhere-1") == create_only_properties("AWS::S3::Bucket")


@pytest.mark.parametrize(
    ("old", "new", "answer", "props"),
    [
        (_bucket(BucketName="a"), _bucket(BucketName="b"), "True", ("BucketName",)),
        (_bucket(BucketName="a", Tags=[]), _bucket(BucketName="a", Tags=[{"Key": "k", "Value": "v"}]), "False", ()),
        (_bucket(), _bucket(BucketName="named-now"), "True", ("BucketName",)),
        (
            _bucket(BucketName={"Ref": "Name"}),
            _bucket(BucketName={"Fn::Sub": "${Name}-x"}),
            "Conditional",
            ("BucketName",),
        ),
        (_bucket(), {"Type": "AWS::SQS::Queue"}, "True", ("Type",)),
        (
            {"Type": "Custom::Thing", "Properties": {"A": 1}},
            {"Type": "Custom::Thing", "Properties": {"A": 2}},
            "Unknown",
            (),
        ),
        # documented "Update requires: Replacement", missing from the provider schemas' createOnlyProperties
        (
            {"Type": "AWS::DynamoDB::Table", "Properties": {"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}]}},
            {"Type": "AWS::DynamoDB::Table", "Properties": {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}},
            "True",
            ("KeySchema",),
        ),
        (
            {"Type": "AWS::EC2::Volume", "Properties": {"AvailabilityZone": "us-east-1a", "Size": 10}},
            {"Type": "AWS::EC2::Volume", "Properties": {"AvailabilityZone": "us-east-1b", "Size": 10}},
            "True",
            ("AvailabilityZone",),
        ),
        (
            {"Type": "AWS::EC2::Volume", "Properties": {"AvailabilityZone": "us-east-1a", "Size": 10}},
            {"Type": "AWS::EC2::Volume", "Properties": {"AvailabilityZone": "us-east-1a", "Size": 20}},
            "False",
            (),
        ),
    ],
)
def test_replacement_for(old: dict[str, Any], new: dict[str, Any], answer: str, props: tuple[str, ...]) -> None:
    assert replacement_for(old, new, "us-east-1") == (answer, props)


def test_annotate_keeps_aws_answers_and_fills_the_rest() -> None:
    changes = [
        ResourceChange(logical_id="B", type="AWS::S3::Bucket", action="Modify"),
        ResourceChange(
            logical_id="C", type="AWS::S3::Bucket", action="Modify", replacement="False", replacement_source="aws"
        ),
        ResourceChange(logical_id="D", type="AWS::S3::Bucket", action="Add"),
    ]
    old = {"Resources": {"B": _bucket(BucketName="x"), "C": _bucket(BucketName="x")}}
    new = {"Resources": {"B": _bucket(BucketName="y"), "C": _bucket(BucketName="y"), "D": _bucket()}}
    b, c, d = annotate(changes, old, new, "us-east-1")
    assert (b.replacement, b.replacement_source, b.details) == ("True", "schema", ("createOnly:BucketName",))
    assert (c.replacement, c.replacement_source) == ("False", "aws")
    assert d == changes[2]


def _change(action: str, rtype: str = "AWS::DynamoDB::Table", replacement: str = "Unknown") -> ResourceChange:
    return ResourceChange(logical_id="Orders", type=rtype, action=action, replacement=replacement)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "loses"),
    [
        (_change("Remove"), True),
        (_change("Modify", replacement="True"), True),
        (_change("Modify", replacement="Conditional"), True),
        (_change("Modify", replacement="False"), False),
        (_change("Add"), False),
        (_change("Remove", rtype="AWS::SNS::Topic"), False),
        (_change("Remove", rtype="AWS::RDS::DBInstance"), True),
        (_change("Modify", rtype="AWS::EC2::Volume", replacement="True"), True),
    ],
)
def test_what_loses_data(change: ResourceChange, loses: bool) -> None:
    assert guard.loses_data(change) is loses


def test_guard_blocks_unless_allowed_by_id_or_all() -> None:
    changes = [_change("Remove"), _change("Modify", rtype="AWS::S3::Bucket", replacement="False")]
    blocked = guard.data_loss_report(changes, ())
    assert blocked.status == "ran" and len(blocked.findings) == 1
    finding = blocked.findings[0]
    assert finding.severity.name == "CRITICAL" and finding.waived is None
    assert finding.title.startswith("This change deletes Orders (AWS::DynamoDB::Table): every item in the table")
    assert guard.data_loss_report(changes, ("Orders",)).findings[0].waived == "data loss allowed explicitly (Orders)"
    assert guard.blocking(changes, ("*",)) == []
    assert guard.blocking(changes, ("Other",)) == [finding]
    assert guard.data_loss_report(None, ()).status == "not-applicable"
