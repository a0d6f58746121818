"""CloudWatch Logs log groups read by ``devops-gate import`` on the embedded AWS: the retention, KMS key and tags of
the live groups in template.yaml and main.tf (imported by name); a group that never expires keeps no retention."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.synth import cfn_yaml
from tests.deploy_support import unique

pytestmark = pytest.mark.usefixtures("aws_credentials")


def _one(value: object) -> object:
    return value[0] if isinstance(value, list) else value


def test_log_groups_are_imported_with_retention_and_tags(moto: AwsTarget, workdir: Path) -> None:
    prefix = unique("logs")
    logs = moto.client("logs")
    kept, forever = f"{prefix}-app", f"{prefix}-audit"
    logs.create_log_group(logGroupName=kept, tags={"team": "payments"})
    logs.put_retention_policy(logGroupName=kept, retentionInDays=30)
    logs.create_log_group(logGroupName=forever)
    args = ["import", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", prefix, "--types", "logs"]
    assert main([*args, "--out", "o"]) in (0, 1)

    template = cfn_yaml.load((workdir / "o" / "template.yaml").read_text(), "template.yaml")
    groups = {
        body["Properties"]["LogGroupName"]: body["Properties"]
        for body in template["Resources"].values()
        if body["Type"] == "AWS::Logs::LogGroup"
    }
    assert set(groups) == {kept, forever}
    assert groups[kept]["RetentionInDays"] == 30
    assert groups[kept]["Tags"] == [{"Key": "team", "Value": "payments"}]
    assert "RetentionInDays" not in groups[forever]  # never expires, as live

    parsed = hcl2.loads((workdir / "o" / "main.tf").read_text())
    blocks = {
        _one(body["name"]): body
        for block in parsed["resource"]
        for rtype, named in block.items()
        if rtype == "aws_cloudwatch_log_group"
        for body in named.values()
    }
    assert set(blocks) == {kept, forever}
    assert _one(blocks[kept]["retention_in_days"]) == 30
    assert _one(blocks[kept]["tags"]) == {"team": "payments"}
    assert "retention_in_days" not in blocks[forever]
    imported = {str(_one(b["id"])) for b in parsed["import"]}
    assert {kept, forever} <= imported  # imported by name
