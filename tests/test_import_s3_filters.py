"""S3 lifecycle rules filtered by tag, by object size or by several conditions (``And``): kept in the template
(``TagFilters``, ``ObjectSizeGreaterThan``...) and in main.tf (``filter { tag / and / object_size_* }``) as live,
and listed as raw (the spec's rules filter by prefix only).

Tag and ``And`` filters run on the embedded AWS. moto 5.2.5 drops ``ObjectSizeGreaterThan``/``ObjectSizeLessThan``
from the lifecycle rules it answers (measured in the first test), so size filters are tested on the reader with
the rule as the S3 API reference shapes ``GetBucketLifecycleConfiguration``'s answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hcl2
import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.importer.base import Links, Live
from gate.services.s3.importer import READER
from gate.spec import ChangeSpec
from gate.synth import cfn_yaml
from gate.synth.hcl import render
from tests.deploy_support import unique

pytestmark = pytest.mark.usefixtures("aws_credentials")


def _plain(value: Any) -> Any:
    """python-hcl2's answer without its one-item lists and line markers."""
    if isinstance(value, list):
        return _plain(value[0]) if len(value) == 1 else [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if not k.startswith("__")}
    return value


def _tf_filters(text: str) -> dict[str, Any]:
    parsed = _plain(hcl2.loads(text))
    resources = parsed["resource"] if isinstance(parsed["resource"], list) else [parsed["resource"]]
    [life] = [
        body
        for block in resources
        for rtype, named in block.items()
        if rtype == "aws_s3_bucket_lifecycle_configuration"
        for body in named.values()
    ]
    rules = life["rule"] if isinstance(life["rule"], list) else [life["rule"]]
    return {rule["id"]: rule["filter"] for rule in rules}


def test_tag_and_and_filters_are_kept_in_both_files(moto: AwsTarget, workdir: Path) -> None:
    prefix = unique("filters")
    bucket = f"{prefix}-archive"
    s3 = moto.client("s3")
    s3.create_bucket(Bucket=bucket)
    tag = {"Key": "tier", "Value": "cold"}
    both = {"Prefix": "logs/", "Tags": [{"Key": "app", "Value": "shop"}, {"Key": "env", "Value": "prod"}]}
    rules = [
        {"ID": "by-tag", "Status": "Enabled", "Filter": {"Tag": tag}, "Expiration": {"Days": 30}},
        {"ID": "logs-of-app", "Status": "Enabled", "Filter": {"And": both}, "Expiration": {"Days": 7}},
        {"ID": "big", "Status": "Enabled", "Filter": {"ObjectSizeGreaterThan": 1048576}, "Expiration": {"Days": 60}},
    ]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    live = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]}
    assert live["big"]["Filter"] == {}  # the moto gap: the size filter is not answered back
    args = ["import", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", prefix, "--types", "s3"]
    assert main([*args, "--out", "o"]) in (0, 1)

    template = cfn_yaml.load((workdir / "o" / "template.yaml").read_text(), "template.yaml")
    [body] = template["Resources"].values()
    written = {r["Id"]: r for r in body["Properties"]["LifecycleConfiguration"]["Rules"]}
    assert written["by-tag"]["TagFilters"] == [tag] and "Prefix" not in written["by-tag"]
    assert (written["logs-of-app"]["Prefix"], written["logs-of-app"]["TagFilters"]) == ("logs/", both["Tags"])
    assert "LifecycleConfiguration" in body["Metadata"]["gate:raw"]  # the spec's rules filter by prefix only

    filters = _tf_filters((workdir / "o" / "main.tf").read_text())
    assert filters["by-tag"] == {"tag": {"key": "tier", "value": "cold"}}
    assert filters["logs-of-app"] == {"and": {"prefix": "logs/", "tags": {"app": "shop", "env": "prod"}}}

    spec = ChangeSpec.model_validate_json((workdir / "o" / "spec.json").read_text())
    assert (bucket, "raw:LifecycleConfiguration") in {(a.resource, a.field) for a in spec.assumptions}


def test_size_filters_as_aws_answers_them() -> None:
    rules = [
        {"ID": "big", "Status": "Enabled", "Filter": {"ObjectSizeGreaterThan": 1048576}, "Expiration": {"Days": 60}},
        {
            "ID": "small-logs",
            "Status": "Enabled",
            "Filter": {"And": {"Prefix": "logs/", "ObjectSizeGreaterThan": 128, "ObjectSizeLessThan": 4096}},
            "Expiration": {"Days": 7},
        },
    ]
    live = Live("s3", "s3_bucket", "archive", "arn:aws:s3:::archive", "archive", {}, {"lifecycle": {"Rules": rules}})
    cfn = READER.cloudformation(live, Links({}))
    written = {r["Id"]: r for r in cfn.properties["LifecycleConfiguration"]["Rules"]}
    assert written["big"]["ObjectSizeGreaterThan"] == "1048576"
    assert (written["small-logs"]["ObjectSizeGreaterThan"], written["small-logs"]["ObjectSizeLessThan"]) == (
        "128",
        "4096",
    )
    assert "LifecycleConfiguration" not in cfn.expressed
    filters = _tf_filters(render([b for b, _ in READER.terraform(live, "archive", Links({})).blocks]))
    assert filters["big"] == {"object_size_greater_than": 1048576}
    assert filters["small-logs"] == {
        "and": {"prefix": "logs/", "object_size_greater_than": 128, "object_size_less_than": 4096}
    }
