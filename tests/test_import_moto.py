"""``devops-gate import`` on the embedded AWS: the estate of issue 18 made by boto3, read back into templates
that cfn-lint accepts, whose properties are those of the live resources, with references between them; the
findings name what is insecure; ``--report`` lists all of it as unmanaged."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.models import GatePlan
from gate.spec import ChangeSpec
from gate.synth import cfn_yaml, delta
from tests.deploy_support import unique
from tests.import_support import TRUST, Estate, make_estate

pytestmark = pytest.mark.usefixtures("aws_credentials")


@pytest.fixture(scope="module")
def estate(moto: AwsTarget) -> Estate:
    return make_estate(moto, unique("imp"))


@pytest.fixture(scope="module")
def imported(moto: AwsTarget, estate: Estate, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("import")
    mp = pytest.MonkeyPatch()
    mp.setenv("AWS_ACCESS_KEY_ID", "testing")
    mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    mp.chdir(out)
    try:
        code = main(["import", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", estate.prefix, "--out", "o"])
    finally:
        mp.undo()
    assert code == 1  # the estate is insecure on purpose: the audit blocks
    return out / "o"


def _template(out: Path) -> dict[str, Any]:
    return cfn_yaml.load((out / "template.yaml").read_text(), "template.yaml")


def _by_type(template: dict[str, Any], rtype: str) -> list[tuple[str, dict[str, Any]]]:
    return [(k, v) for k, v in template["Resources"].items() if v["Type"] == rtype]


def test_every_resource_is_imported_retained_and_cfn_lint_accepts_it(imported: Path) -> None:
    template = _template(imported)
    types = sorted(v["Type"] for v in template["Resources"].values())
    assert types == [
        "AWS::DynamoDB::Table",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::Subnet",
        "AWS::EC2::VPC",
        "AWS::IAM::Role",
        "AWS::Lambda::EventSourceMapping",
        "AWS::Lambda::Function",
        "AWS::S3::Bucket",
        "AWS::SQS::Queue",
        "AWS::SQS::Queue",
    ]
    assert all(v["DeletionPolicy"] == "Retain" for v in template["Resources"].values())
    assert all(v["Metadata"]["gate:identifier"] for v in template["Resources"].values())
    plan = GatePlan.model_validate_json((imported / "gate-plan.json").read_text())
    lint = next(r for r in plan.checks if r.check == "cfn-lint")
    assert lint.status == "ran"
    # no error; the one warning is the subnet's AZ, which an import must name as it is
    [(subnet_id, _)] = _by_type(_template(imported), "AWS::EC2::Subnet")
    assert [(f.check_id, f.resource) for f in lint.findings] == [("W3010", subnet_id)]


def test_the_template_is_the_live_resources(moto: AwsTarget, estate: Estate, imported: Path) -> None:
    """Each property read back independently with boto3 and compared with the template."""
    template = _template(imported)
    s3, sqs, ddb = moto.client("s3"), moto.client("sqs"), moto.client("dynamodb")
    iam, lam, ec2 = moto.client("iam"), moto.client("lambda"), moto.client("ec2")
    [(_, bucket)] = _by_type(template, "AWS::S3::Bucket")
    props = bucket["Properties"]
    assert props["BucketName"] == estate.bucket
    assert props["VersioningConfiguration"]["Status"] == s3.get_bucket_versioning(Bucket=estate.bucket)["Status"]
    [live_rule] = s3.get_bucket_lifecycle_configuration(Bucket=estate.bucket)["Rules"]
    [rule] = props["LifecycleConfiguration"]["Rules"]
    assert (rule["Id"], rule["Prefix"], rule["ExpirationInDays"]) == (
        live_rule["ID"],
        live_rule["Filter"]["Prefix"],
        live_rule["Expiration"]["Days"],
    )
    assert rule["Transitions"] == [
        {"StorageClass": t["StorageClass"], "TransitionInDays": t["Days"]} for t in live_rule["Transitions"]
    ]
    assert props["Tags"] == s3.get_bucket_tagging(Bucket=estate.bucket)["TagSet"]

    queues = dict(_by_type(template, "AWS::SQS::Queue"))
    for url in (estate.queue_url, estate.dlq_url):
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        [q] = [q["Properties"] for q in queues.values() if q["Properties"]["QueueName"] == url.rsplit("/", 1)[-1]]
        for key in ("VisibilityTimeout", "MessageRetentionPeriod", "DelaySeconds", "MaximumMessageSize"):
            assert q[key] == int(attrs[key]), key

    [(_, table)] = _by_type(template, "AWS::DynamoDB::Table")
    live_table = ddb.describe_table(TableName=estate.table)["Table"]
    assert table["Properties"]["KeySchema"] == live_table["KeySchema"]
    assert table["Properties"]["AttributeDefinitions"] == live_table["AttributeDefinitions"]
    assert table["Properties"]["BillingMode"] == live_table.get("BillingModeSummary", {}).get(
        "BillingMode", "PROVISIONED"
    )
    live_tp = live_table["ProvisionedThroughput"]
    assert table["Properties"]["ProvisionedThroughput"] == {
        "ReadCapacityUnits": live_tp["ReadCapacityUnits"],
        "WriteCapacityUnits": live_tp["WriteCapacityUnits"],
    }

    [(_, role)] = _by_type(template, "AWS::IAM::Role")
    assert role["Properties"]["AssumeRolePolicyDocument"] == TRUST
    live_inline = iam.get_role_policy(RoleName=estate.role, PolicyName="read-jobs")["PolicyDocument"]
    assert role["Properties"]["Policies"] == [{"PolicyName": "read-jobs", "PolicyDocument": live_inline}]

    [(_, fn)] = _by_type(template, "AWS::Lambda::Function")
    config = lam.get_function(FunctionName=estate.function)["Configuration"]
    for key in ("Runtime", "Handler", "MemorySize", "Timeout"):
        assert fn["Properties"][key] == config[key], key

    [(_, sg)] = _by_type(template, "AWS::EC2::SecurityGroup")
    group = ec2.describe_security_groups(GroupIds=[estate.group_id])["SecurityGroups"][0]
    [(vpc_id, vpc)] = _by_type(template, "AWS::EC2::VPC")
    [(_, subnet)] = _by_type(template, "AWS::EC2::Subnet")
    assert sg["Properties"]["GroupName"] == group["GroupName"]
    assert sg["Properties"]["VpcId"] == {"Ref": vpc_id} and group["VpcId"] == estate.vpc  # a reference
    assert subnet["Properties"]["VpcId"] == {"Ref": vpc_id}
    live_vpc = ec2.describe_vpcs(VpcIds=[estate.vpc])["Vpcs"][0]
    live_subnet = ec2.describe_subnets(SubnetIds=[estate.subnet])["Subnets"][0]
    assert vpc["Properties"]["CidrBlock"] == live_vpc["CidrBlock"]
    assert (subnet["Properties"]["CidrBlock"], subnet["Properties"]["AvailabilityZone"]) == (
        live_subnet["CidrBlock"],
        live_subnet["AvailabilityZone"],
    )
    [perm] = group["IpPermissions"]
    assert sg["Properties"]["SecurityGroupIngress"] == [
        {"IpProtocol": "tcp", "FromPort": perm["FromPort"], "ToPort": perm["ToPort"], "CidrIp": "0.0.0.0/0"}
    ]


def test_references_between_imported_resources(imported: Path) -> None:
    template = _template(imported)
    [(role_id, _)] = _by_type(template, "AWS::IAM::Role")
    [(fn_id, fn)] = _by_type(template, "AWS::Lambda::Function")
    assert fn["Properties"]["Role"] == {"Fn::GetAtt": [role_id, "Arn"]}
    [(_, trigger)] = _by_type(template, "AWS::Lambda::EventSourceMapping")
    assert trigger["Properties"]["FunctionName"] == {"Ref": fn_id}
    queues = dict(_by_type(template, "AWS::SQS::Queue"))
    [dlq_id] = [k for k, v in queues.items() if v["Properties"]["QueueName"].endswith("-dlq")]
    [main_q] = [v for k, v in queues.items() if k != dlq_id]
    assert trigger["Properties"]["EventSourceArn"] == {"Fn::GetAtt": [next(k for k in queues if k != dlq_id), "Arn"]}
    assert main_q["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [dlq_id, "Arn"]},
        "maxReceiveCount": 4,
    }
    tf = (imported / "main.tf").read_text()
    assert f"= aws_iam_role.{_tf(role_id, template)}.arn" in tf
    assert "deadLetterTargetArn = aws_sqs_queue." in tf


def _tf(logical: str, template: dict[str, Any]) -> str:
    return str(template["Resources"][logical]["Metadata"]["gate:spec"]).replace("-", "_")


def test_terraform_has_an_import_block_per_resource(estate: Estate, imported: Path) -> None:
    tf = (imported / "main.tf").read_text()
    everything = (estate.bucket, estate.queue_url, estate.table, estate.role, estate.function, estate.trigger)
    for physical in (*everything, estate.group_id, estate.vpc, estate.subnet):
        assert f'id = "{physical}"' in tf, physical
    assert tf.count("import {") == tf.count('resource "')
    fmt = subprocess.run(["terraform", "fmt", "-check", "-"], input=tf, text=True, capture_output=True, check=False)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


def test_findings_name_what_is_insecure(imported: Path) -> None:
    plan = GatePlan.model_validate_json((imported / "gate-plan.json").read_text())
    template = _template(imported)
    [(sg_id, _)] = _by_type(template, "AWS::EC2::SecurityGroup")
    [(bucket_id, _)] = _by_type(template, "AWS::S3::Bucket")
    on = {(f.check_id, f.resource) for f in plan.findings}
    assert ("GATE-SG-001", sg_id) in on
    assert any(r == bucket_id and "GATE-S3" in i for i, r in on)
    assert plan.verdict.decision == "blocked"
    assert plan.stack_name is None and plan.template_sha256 is None  # no IMPORT change set: never applied


def test_cost_of_what_exists_today(imported: Path) -> None:
    plan = GatePlan.model_validate_json((imported / "gate-plan.json").read_text())
    template = _template(imported)
    [(table_id, _)] = _by_type(template, "AWS::DynamoDB::Table")
    assert plan.cost is not None
    [line] = [line for line in plan.cost.lines if line.logical_id == table_id]
    assert line.monthly_after is not None and line.monthly_after > 0  # 10 RCU + 5 WCU provisioned, priced
    assert {line.logical_id for line in plan.cost.lines} >= {k for k, _ in _by_type(template, "AWS::SQS::Queue")}


def test_spec_holds_what_it_can_and_the_comment_lists_the_rest(imported: Path) -> None:
    spec = ChangeSpec.model_validate_json((imported / "spec.json").read_text())
    kinds = sorted(r.kind for r in spec.resources)
    assert kinds == ["dynamodb_table", "iam_role", "s3_bucket", "security_group", "sqs_queue", "sqs_queue"]
    bucket = next(r for r in spec.resources if r.kind == "s3_bucket")
    assert bucket.versioning is True and bucket.lifecycle_rules[0].expiration_days == 365  # type: ignore[union-attr]
    raw = {(a.resource, a.field) for a in spec.assumptions}
    assert any(f == "raw:Policies" for _, f in raw)
    assert any(f == "raw:RedrivePolicy" for _, f in raw)
    assert any(f == "kept-as-imported" for _, f in raw)  # the Lambda: its code cannot be read back
    comment = (imported / "comment.md").read_text()
    assert "raw:Policies" in comment and "kept-as-imported" in comment
    # stored whole in the template (as JSON text: the queues' 'no dead-letter queue' is a null), read back equal
    stored = delta.stored_spec(_template(imported))
    assert stored is not None and stored.resources == spec.resources


def test_report_lists_the_estate_as_unmanaged(moto: AwsTarget, estate: Estate, workdir: Path) -> None:
    args = ["import", "--report", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", estate.prefix]
    assert main([*args, "--out", "r"]) == 0
    cov = json.loads((workdir / "r" / "coverage.json").read_text())
    unmanaged = {svc: sorted(r["id"] for r in v["unmanaged"]) for svc, v in cov["services"].items()}
    assert unmanaged == {
        "vpc": [estate.vpc],
        "subnet": [estate.subnet],
        "iam": [estate.role],
        "ec2": [estate.group_id],
        "s3": [estate.bucket],
        "logs": [],
        "rds": [],
        "elasticache": [],
        "sqs": sorted([estate.queue_url, estate.dlq_url]),
        "sns": [],
        "dynamodb": [estate.table],
        "lambda": [estate.function],
        "lambda-trigger": [estate.trigger],
    }
    assert cov["unmanaged_total"] == 10


def test_report_counts_terraform_state_as_managed(moto: AwsTarget, estate: Estate, workdir: Path) -> None:
    state = {
        "version": 4,
        "resources": [
            {"mode": "managed", "type": "aws_s3_bucket", "instances": [{"attributes": {"id": estate.bucket}}]},
            {"mode": "managed", "type": "aws_sqs_queue", "instances": [{"attributes": {"id": estate.queue_url}}]},
        ],
    }
    (workdir / "terraform.tfstate").write_text(json.dumps(state))
    args = ["import", "--report", "--json", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", estate.prefix]
    assert main([*args, "--state", "terraform.tfstate", "--types", "s3,sqs", "--out", "r"]) == 0
    cov = json.loads((workdir / "r" / "coverage.json").read_text())
    assert [r["id"] for r in cov["services"]["s3"]["unmanaged"]] == []
    assert [r["id"] for r in cov["services"]["sqs"]["unmanaged"]] == [estate.dlq_url]


def test_moto_has_no_import_change_sets(
    moto: AwsTarget, estate: Estate, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Measured gap: moto plans 'Add' for every resource of an IMPORT change set; the gate refuses to plan it."""
    args = ["import", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", estate.prefix, "--types", "s3"]
    assert main([*args, "--stack", unique("adopt"), "--out", "a"]) == 2
    err = capsys.readouterr().err
    assert "did not plan an import of every resource" in err and "(Add)" in err


@pytest.mark.parametrize(
    ("extra", "says"),
    [(["--types", "s3,eks"], "'eks' is not a service"), (["--tag", "team"], "is not key=value")],
)
def test_bad_input_is_exit_2(
    moto: AwsTarget, workdir: Path, extra: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "--endpoint-url", str(moto.endpoint_url), *extra]) == 2
    assert says in capsys.readouterr().err


MIRROR = Path("/opt/tf-plugins")
_SERVICES = ("s3", "sqs", "sns", "dynamodb", "iam", "lambda", "ec2", "sts")


def test_terraform_plans_imports_and_no_replacement(moto: AwsTarget, imported: Path, tmp_path: Path) -> None:
    """The generated main.tf, untouched, planned by Terraform against the live resources (moto through an override
    file): every resource block is imported, none is added, replaced or destroyed."""
    terraform = shutil.which("terraform")
    if terraform is None or not MIRROR.is_dir():
        pytest.skip("terraform or its offline provider mirror (/opt/tf-plugins) is not on this machine")
    shutil.copy(imported / "main.tf", tmp_path / "main.tf")
    endpoints = "\n".join(f'    {s} = "{moto.endpoint_url}"' for s in _SERVICES)
    (tmp_path / "moto_override.tf").write_text(
        'provider "aws" {\n  access_key = "testing"\n  secret_key = "testing"\n  skip_credentials_validation = true\n'
        "  skip_requesting_account_id = true\n  skip_metadata_api_check = true\n  s3_use_path_style = true\n"
        f"  endpoints {{\n{endpoints}\n  }}\n}}\n"
    )
    (tmp_path / "cli.tfrc").write_text(
        f'provider_installation {{\n  filesystem_mirror {{\n    path = "{MIRROR}"\n  }}\n}}\n'
    )
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(tmp_path / "cli.tfrc"), "TF_IN_AUTOMATION": "1"}
    for argv in (["init", "-input=false"], ["plan", "-input=false", "-out=plan.out"]):
        done = subprocess.run([terraform, *argv, "-no-color"], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    shown = subprocess.run(
        [terraform, "show", "-json", "plan.out"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    changes = json.loads(shown.stdout)["resource_changes"]
    blocks = (imported / "main.tf").read_text().count('resource "')
    assert len(changes) == blocks and all(c.get("change", {}).get("importing") for c in changes)
    actions = {c["address"]: c["change"]["actions"] for c in changes}
    assert all(a in (["no-op"], ["update"]) for a in actions.values()), actions
    updated = [c for c in changes if c["change"]["actions"] == ["update"]]
    # moto answers RedrivePolicy with spaces in its JSON (AWS does not): the one update is whitespace only
    for change in updated:
        before, after = change["change"]["before"], change["change"]["after"]
        differing = [k for k in after if before.get(k) != after.get(k) and k != "last_modified"]
        assert differing == ["redrive_policy"], (change["address"], differing)
        assert json.loads(before["redrive_policy"]) == json.loads(after["redrive_policy"])


def test_what_the_spec_cannot_express_is_kept_and_listed(moto: AwsTarget, workdir: Path) -> None:
    prefix = unique("odd")
    iam, s3, ec2 = moto.client("iam"), moto.client("s3"), moto.client("ec2")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}
        ],
    }
    iam.create_role(RoleName=f"{prefix}-cross-account", AssumeRolePolicyDocument=json.dumps(trust))
    s3.create_bucket(Bucket=f"{prefix}-half-open")
    s3.put_public_access_block(
        Bucket=f"{prefix}-half-open",
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": False,
            "RestrictPublicBuckets": False,
        },
    )
    group = ec2.create_security_group(GroupName=f"{prefix}-v6", Description="ipv6 web")["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "::/0"}]}],
    )
    args = ["import", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", prefix, "--types", "iam,s3,sg"]
    assert main([*args, "--out", "o"]) in (0, 1)
    spec = ChangeSpec.model_validate_json((workdir / "o" / "spec.json").read_text())
    assert sorted(r.kind for r in spec.resources) == ["s3_bucket", "security_group"]  # the role is not a spec entry
    listed = {(a.resource, a.field): a for a in spec.assumptions}
    role = listed[(f"{prefix}-cross-account", "kept-as-imported")]
    assert "AssumeRolePolicyDocument" in role.value and "more than AWS services" in role.reason
    assert "partly set" in listed[(f"{prefix}-half-open", "raw:PublicAccessBlockConfiguration")].reason
    assert "IPv6" in listed[(f"{prefix}-v6", "raw:SecurityGroupIngress")].reason
    template = _template(workdir / "o")
    [(_, sg)] = _by_type(template, "AWS::EC2::SecurityGroup")
    assert sg["Properties"]["SecurityGroupIngress"] == [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIpv6": "::/0"}
    ]  # in the template as it is, though the spec entry has no such rule
    assert {"SecurityGroupIngress", "VpcId"} <= set(sg["Metadata"]["gate:raw"])


def test_tag_selects(moto: AwsTarget, estate: Estate, workdir: Path) -> None:
    args = ["import", "--report", "--json", "--endpoint-url", str(moto.endpoint_url), "--types", "s3,sqs"]
    assert main([*args, "--tag", "team=payments", "--name-prefix", estate.prefix, "--out", "r"]) == 0
    cov = json.loads((workdir / "r" / "coverage.json").read_text())
    assert cov["services"]["s3"]["resources"] == 1 and cov["services"]["sqs"]["resources"] == 0
