"""`devops-gate plan` end to end: request -> four output files, schema-valid plan, valid SARIF, exit codes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from cfnlint.decode import decode_str

from gate.cli import main
from tests.conftest import FIXTURES, ROOT

S3_REQUEST = "Create an S3 bucket named acme-invoices with versioning enabled"


def _plan_schema() -> dict[str, object]:
    return json.loads((ROOT / "schema" / "gate-plan.schema.json").read_text())


def _sarif_schema() -> dict[str, object]:
    return json.loads((FIXTURES / "sarif" / "sarif-2.1.0-rtm.5.json").read_text())


def test_plan_writes_its_files_for_the_s3_request(workdir: Path) -> None:
    code = main(["plan", "--request", S3_REQUEST, "--out", "o"])
    assert code == 0
    out = workdir / "o"
    assert sorted(p.name for p in out.iterdir()) == [
        "comment.md",
        "gate-plan.json",
        "main.tf",
        "report.html",
        "results.sarif",
        "template.yaml",
    ]

    template, problems = decode_str((out / "template.yaml").read_text())
    assert not problems
    buckets = [r for r in template["Resources"].values() if r["Type"] == "AWS::S3::Bucket"]
    assert len(buckets) == 1
    assert buckets[0]["Properties"]["BucketName"] == "acme-invoices"
    assert buckets[0]["Properties"]["VersioningConfiguration"] == {"Status": "Enabled"}

    plan = json.loads((out / "gate-plan.json").read_text())
    jsonschema.Draft202012Validator(_plan_schema()).validate(plan)
    assert plan["verdict"]["decision"] == "pass"
    assert plan["request"]["text"] == S3_REQUEST
    assert plan["spec"]["resources"][0]["bucket_name"] == "acme-invoices"
    assert {c["check"]: c["status"] for c in plan["checks"]} == {
        "cfn-lint": "ran",
        "checkov": "ran",
        "policies": "ran",
        "secrets": "ran",
        "least-privilege": "ran",
        "data-loss": "not-applicable",  # no endpoint given: no change set to guard
    }
    assert plan["template_sha256"] == hashlib.sha256((out / "template.yaml").read_bytes()).hexdigest()

    sarif = json.loads((out / "results.sarif").read_text())
    jsonschema.Draft4Validator(_sarif_schema()).validate(sarif)
    assert sarif["version"] == "2.1.0"


def test_sarif_of_a_blocked_change_is_valid_and_carries_locations(workdir: Path) -> None:
    assert main(["check", str(FIXTURES / "iac" / "public-bucket.yaml"), "--out", "o"]) == 1
    sarif = json.loads((workdir / "o" / "results.sarif").read_text())
    jsonschema.Draft4Validator(_sarif_schema()).validate(sarif)
    results = sarif["runs"][0]["results"]
    by_rule = {r["ruleId"]: r for r in results}
    assert by_rule["CKV_AWS_20"]["level"] == "error"
    location = by_rule["CKV_AWS_20"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("public-bucket.yaml")
    assert location["region"]["startLine"] == 4  # the resource's line
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["CKV_AWS_20"]["properties"]["security-severity"] == "9.5"


def test_ec2_request_synthesises_instances_with_secure_defaults(workdir: Path) -> None:
    assert main(["plan", "--request", "Start 3 c6g.large instances", "--out", "o"]) == 0
    template, _ = decode_str((workdir / "o" / "template.yaml").read_text())
    instances = [r for r in template["Resources"].values() if r["Type"] == "AWS::EC2::Instance"]
    assert len(instances) == 3
    props = instances[0]["Properties"]
    assert props["InstanceType"] == "c6g.large"
    assert props["MetadataOptions"]["HttpTokens"] == "required"
    assert props["BlockDeviceMappings"][0]["Ebs"]["Encrypted"] is True
    param = next(iter(template["Parameters"].values()))
    assert param["Default"].endswith("arm64"), "Graviton instances need an arm64 AMI"


def test_request_file_and_config_thresholds(workdir: Path) -> None:
    (workdir / "req.md").write_text("Launch a t3.medium EC2 instance for the search service\n")
    (workdir / ".gate.yml").write_text("thresholds:\n  fail_on: info\n")
    # with fail_on: info, the knowingly waived low finding stays waived, so the plan still passes
    assert main(["plan", "--request-file", "req.md", "--out", "o"]) == 0
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    assert plan["request"]["origin"] == "file:req.md"


@pytest.mark.parametrize(
    ("args", "files", "needle"),
    [
        (["plan", "--request", "   "], {}, "the change request is empty"),
        (["plan", "--request", "Improve our infrastructure"], {}, "could not find a resource"),
        (["plan", "--request-file", "missing.md"], {}, "missing.md: cannot read the request file"),
        (
            ["plan", "--request", "a bucket", "--config", "bad.yml"],
            {"bad.yml": "thresholds: [\n"},
            "is not valid YAML",
        ),
        (
            ["plan", "--request", "a bucket", "--config", "bad.yml"],
            {"bad.yml": "thresholds:\n  fail_on: loud\n"},
            "key 'thresholds.fail_on'",
        ),
        (
            ["plan", "--request", "a bucket", "--config", "bad.yml"],
            {"bad.yml": "colour: blue\n"},
            "key 'colour'",
        ),
        (["plan", "--event", "e.json"], {"e.json": "{not json"}, "e.json: is not valid JSON"),
        (
            ["plan", "--event", "e.json", "--event-name", "push"],
            {"e.json": "{}"},
            "event 'push' carries no change",
        ),
        (["check", "nothing-here"], {}, "nothing-here: does not exist"),
        (["check", "notes.txt"], {"notes.txt": "hello"}, "neither CloudFormation nor Terraform"),
    ],
)
def test_bad_input_exits_2_with_a_reason_and_a_fix(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: list[str], files: dict[str, str], needle: str
) -> None:
    for name, text in files.items():
        (workdir / name).write_text(text)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert needle in err
    assert "Fix:" in err
    assert not (workdir / "gate-out").exists(), "nothing is written for bad input"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["plan"])
    assert exc.value.code == 2
    assert "one of the arguments --request --request-file --event is required" in capsys.readouterr().err


def test_invalid_bucket_name_is_refused_clearly(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--request", "Create an S3 bucket named Bad_Bucket", "--out", "o"]) == 2
    assert "bucket name 'bad_bucket' is not valid" in capsys.readouterr().err


def test_template_yaml_is_plain_cloudformation(workdir: Path) -> None:
    assert main(["plan", "--request", S3_REQUEST, "--out", "o"]) == 0
    text = (workdir / "o" / "template.yaml").read_text()
    assert "!GetAtt" in text and "!Ref" in text
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load(text)  # short-form tags are CloudFormation's, not plain YAML's
