"""RDS DB instances read by ``devops-gate import`` on the embedded AWS: the live instance's engine, class,
storage, encryption, backups and tags in template.yaml (which cfn-lint accepts) and main.tf, imported by its
identifier, its security group a reference to the imported group; kept outside the spec."""

from __future__ import annotations

import json
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


def test_db_instances_are_imported_as_they_are(moto: AwsTarget, workdir: Path) -> None:
    prefix = unique("rdsimp")
    ec2, rds = moto.client("ec2"), moto.client("rds")
    vpc = ec2.create_vpc(CidrBlock="10.42.0.0/16")["Vpc"]["VpcId"]
    group = ec2.create_security_group(GroupName=f"{prefix}-db", Description="db clients", VpcId=vpc)["GroupId"]
    ident = f"{prefix}-ledger"
    rds.create_db_instance(
        DBInstanceIdentifier=ident,
        Engine="postgres",
        EngineVersion="16.3",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        StorageType="gp3",
        MasterUsername="ledger",
        MasterUserPassword="not-a-real-password-1",
        StorageEncrypted=True,
        BackupRetentionPeriod=7,
        MultiAZ=False,
        DeletionProtection=True,
        PubliclyAccessible=False,
        VpcSecurityGroupIds=[group],
        Tags=[{"Key": "team", "Value": "ledger"}],
    )
    args = ["import", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", prefix, "--types", "rds,ec2"]
    assert main([*args, "--out", "o"]) in (0, 1)

    template = cfn_yaml.load((workdir / "o" / "template.yaml").read_text(), "template.yaml")
    [(group_id, _)] = [(k, v) for k, v in template["Resources"].items() if v["Type"] == "AWS::EC2::SecurityGroup"]
    [(db_id, db)] = [(k, v) for k, v in template["Resources"].items() if v["Type"] == "AWS::RDS::DBInstance"]
    props = db["Properties"]
    assert props["DBInstanceIdentifier"] == ident
    assert (props["Engine"], props["EngineVersion"], props["DBInstanceClass"]) == ("postgres", "16.3", "db.t4g.micro")
    assert (props["AllocatedStorage"], props["StorageType"], props["StorageEncrypted"]) == ("20", "gp3", True)
    assert (props["BackupRetentionPeriod"], props["MultiAZ"], props["DeletionProtection"]) == (7, False, True)
    assert props["VPCSecurityGroups"] == [{"Fn::GetAtt": [group_id, "GroupId"]}]  # the imported group
    assert props["Tags"] == [{"Key": "team", "Value": "ledger"}]
    assert "MasterUserPassword" not in props  # cannot be read back; the instance keeps its own
    assert db["DeletionPolicy"] == "Retain"
    assert json.loads(json.dumps(db["Metadata"]["gate:identifier"])) == {"DBInstanceIdentifier": ident}

    plan = GatePlan.model_validate_json((workdir / "o" / "gate-plan.json").read_text())
    lint = next(r for r in plan.checks if r.check == "cfn-lint")
    assert lint.status == "ran"
    assert [f.check_id for f in lint.findings if f.resource == db_id and f.check_id.startswith("E")] == []

    parsed = hcl2.loads((workdir / "o" / "main.tf").read_text())
    [(tf_name, body)] = [
        (name, body)
        for block in parsed["resource"]
        for rtype, named in block.items()
        if rtype == "aws_db_instance"
        for name, body in named.items()
    ]
    assert _one(body["identifier"]) == ident
    assert (_one(body["engine"]), _one(body["instance_class"])) == ("postgres", "db.t4g.micro")
    assert (_one(body["allocated_storage"]), _one(body["storage_encrypted"])) == (20, True)
    [group_ref] = _one(body["vpc_security_group_ids"])
    assert str(group_ref).startswith("${aws_security_group.")  # the imported group, by reference
    imports = {str(_one(b["to"])).removeprefix("${").removesuffix("}"): _one(b["id"]) for b in parsed["import"]}
    assert imports[f"aws_db_instance.{tf_name}"] == ident
