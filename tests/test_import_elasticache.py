"""ElastiCache replication groups read by ``devops-gate import`` on the embedded AWS: node type, engine, nodes,
failover, Multi-AZ, encryption, snapshots and tags of the live group in template.yaml (which cfn-lint accepts) and
main.tf, imported by its id; kept outside the spec.  The embedded AWS answers no member cache clusters, so the
engine version, subnet group and security groups (read from the first member) are not exercised here."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.models import GatePlan
from gate.synth import cfn_yaml
from tests.deploy_support import unique

pytestmark = pytest.mark.usefixtures("aws_credentials")


def _one(value: object) -> object:
    return value[0] if isinstance(value, list) else value


def test_replication_groups_are_imported_as_they_are(moto: AwsTarget, workdir: Path) -> None:
    prefix = unique("ecimp")
    gid = f"{prefix}-sessions"
    moto.client("elasticache").create_replication_group(
        ReplicationGroupId=gid,
        ReplicationGroupDescription="web sessions",
        Engine="valkey",
        CacheNodeType="cache.t4g.small",
        AutomaticFailoverEnabled=True,
        MultiAZEnabled=True,
        AtRestEncryptionEnabled=True,
        TransitEncryptionEnabled=True,
        SnapshotRetentionLimit=7,
        Tags=[{"Key": "team", "Value": "web"}],
    )
    args = ["import", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", prefix, "--types", "elasticache"]
    assert main([*args, "--out", "o"]) in (0, 1)

    template = cfn_yaml.load((workdir / "o" / "template.yaml").read_text(), "template.yaml")
    [(cache_id, body)] = [
        (k, v) for k, v in template["Resources"].items() if v["Type"] == "AWS::ElastiCache::ReplicationGroup"
    ]
    props = body["Properties"]
    assert (props["ReplicationGroupId"], props["ReplicationGroupDescription"]) == (gid, "web sessions")
    assert (props["Engine"], props["CacheNodeType"]) == ("valkey", "cache.t4g.small")
    assert (props["AutomaticFailoverEnabled"], props["MultiAZEnabled"]) == (True, True)
    assert (props["AtRestEncryptionEnabled"], props["TransitEncryptionEnabled"]) == (True, True)
    assert props["SnapshotRetentionLimit"] == 7
    assert props["NumCacheClusters"] >= 1
    assert props["Tags"] == [{"Key": "team", "Value": "web"}]
    assert "AuthToken" not in props  # cannot be read back
    assert body["DeletionPolicy"] == "Retain"
    assert body["Metadata"]["gate:identifier"] == {"ReplicationGroupId": gid}

    plan = GatePlan.model_validate_json((workdir / "o" / "gate-plan.json").read_text())
    lint = next(r for r in plan.checks if r.check == "cfn-lint")
    assert lint.status == "ran"
    assert [f.check_id for f in lint.findings if f.resource == cache_id and f.check_id.startswith("E")] == []

    parsed = hcl2.loads((workdir / "o" / "main.tf").read_text())
    [(tf_name, block)] = [
        (name, b)
        for resource in parsed["resource"]
        for rtype, named in resource.items()
        if rtype == "aws_elasticache_replication_group"
        for name, b in named.items()
    ]
    assert (_one(block["replication_group_id"]), _one(block["node_type"])) == (gid, "cache.t4g.small")
    assert (_one(block["engine"]), _one(block["multi_az_enabled"])) == ("valkey", True)
    assert _one(block["tags"]) == {"team": "web"}
    imports = {str(_one(b["to"])).removeprefix("${").removesuffix("}"): _one(b["id"]) for b in parsed["import"]}
    assert imports[f"aws_elasticache_replication_group.{tf_name}"] == gid
