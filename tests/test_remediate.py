"""Remediation: suggestions on hand-written CloudFormation, `devops-gate fix`, and fixed generated templates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gate.checks.base import CheckInput
from gate.checks.policies import PolicyCheck
from gate.cli import main
from gate.config import GateConfig
from gate.iac import load_paths, make_file
from gate.models import IaCBundle
from gate.pipeline import write_outputs
from gate.remediate.patch import fence, fix_file, suggestions
from gate.synth import cfn_yaml
from tests.conftest import FIXTURES

FIXED_BY_FIX = {"GATE-S3-001", "GATE-S3-002", "GATE-S3-003", "GATE-RDS-001", "GATE-RDS-002", "GATE-RDS-003",
                "GATE-RDS-004", "GATE-LAMBDA-001", "GATE-LOGS-002"}  # fmt: skip
LEAST_PRIVILEGE_LEFT = {"GATE-IAM-002", "GATE-IAM-003"}  # s3:* on "*": narrowed only when asked


def _policy_ids(path: Path, tmp: Path) -> set[tuple[str, str | None]]:
    bundle = load_paths([str(path)])
    report = PolicyCheck().run(CheckInput(bundle, GateConfig(), tmp, "us-east-1"))
    return {(f.check_id, f.resource) for f in report.findings if f.severity > 0}


def test_fix_applies_every_fixable_finding_and_keeps_the_rest(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = workdir / "stack.yaml"
    shutil.copy(FIXTURES / "iac" / "insecure-stack.yaml", target)
    before = _policy_ids(target, workdir)
    assert main(["fix", "stack.yaml"]) == 0
    after = _policy_ids(target, workdir)
    assert {cid for cid, _ in before - after} == FIXED_BY_FIX
    assert {cid for cid, _ in after} == {"GATE-SG-001", "GATE-LOGS-001"} | LEAST_PRIVILEGE_LEFT
    fixed = cfn_yaml.load(target.read_text(), "stack.yaml")["Resources"]
    assert "MasterUserPassword" not in fixed["Database"]["Properties"]
    assert fixed["Database"]["Properties"]["ManageMasterUserPassword"] is True
    assert fixed["Worker"]["Properties"]["Role"] == {"Fn::GetAtt": ["AppRole", "Arn"]}, "intrinsics survive"
    text = target.read_text()
    assert text.startswith('AWSTemplateFormatVersion: "2010-09-09"\n'), "lines outside fixed resources are untouched"
    assert "  AdminCidr:\n    Type: String\n" in text
    policy = fixed["AppRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
    assert (policy["Action"], policy["Resource"]) == ("s3:*", "*"), "no least-privilege guess unless asked"
    err = capsys.readouterr().err
    assert "need a person" in err and "GATE-SG-001" in err
    assert "GATE-IAM-002 AppRole" in err, "the skipped least-privilege narrowing is said, not silent"
    assert "Tr0ub4dor" not in err


def test_least_privilege_narrowing_is_applied_only_when_asked(tmp_path: Path) -> None:
    from gate.checks.least_privilege import LeastPrivilegeCheck

    bundle = load_paths([str(FIXTURES / "iac" / "insecure-stack.yaml")])
    given = CheckInput(bundle, GateConfig(), tmp_path, "us-east-1")
    findings = [*PolicyCheck().run(given).findings, *LeastPrivilegeCheck().run(given).findings]
    file = bundle.files[0]

    default = fix_file(file, findings)
    assert default is not None
    assert {c for r, c in default.skipped if r == "AppRole"} == {"GATE-IAM-002", "GATE-IAM-003", "GATE-LP-001"}
    assert not [c for r, c in default.applied if r == "AppRole"]
    role = cfn_yaml.load(default.fixed, "f")["Resources"]["AppRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    assert role["Statement"][0]["Action"] == "s3:*"

    asked = fix_file(file, findings, include_least_privilege=True)
    assert asked is not None and asked.skipped == ()
    assert ("AppRole", "GATE-IAM-002") in asked.applied
    role = cfn_yaml.load(asked.fixed, "f")["Resources"]["AppRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    assert role["Statement"][0]["Action"] != "s3:*" and role["Statement"][0]["Resource"] != "*"

    only_iam = make_file("role.yaml", "cloudformation", file.content)
    moved = [f.model_copy(update={"file": "role.yaml"}) for f in findings if f.check_id in {"GATE-IAM-002"}]
    nothing = fix_file(only_iam, moved)
    assert nothing is not None and nothing.applied == () and nothing.fixed == only_iam.content
    assert nothing.skipped == (("AppRole", "GATE-IAM-002"),), "a fix that only skips still says so"


def test_fix_command_takes_include_least_privilege(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = workdir / "stack.yaml"
    shutil.copy(FIXTURES / "iac" / "insecure-stack.yaml", target)
    assert main(["fix", "stack.yaml"]) == 0
    assert "use --include-least-privilege to apply them" in capsys.readouterr().err
    untouched = cfn_yaml.load(target.read_text(), "stack.yaml")["Resources"]["AppRole"]["Properties"]
    assert untouched["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"] == "s3:*"
    assert main(["fix", "stack.yaml", "--include-least-privilege"]) == 0
    fixed = cfn_yaml.load(target.read_text(), "stack.yaml")["Resources"]["AppRole"]["Properties"]
    assert fixed["Policies"][0]["PolicyDocument"]["Statement"][0]["Action"] != "s3:*"


def test_comment_says_how_the_patches_apply_and_marks_the_least_privilege_guess(tmp_path: Path) -> None:
    from gate.models import ChangeContext
    from gate.pipeline import Run, gate_bundle
    from gate.report.comment import render_comment

    bundle = load_paths([str(FIXTURES / "iac" / "insecure-stack.yaml")])
    comment = render_comment(gate_bundle(bundle, Run(GateConfig(), ChangeContext())))
    assert "Accept them here" not in comment and "```suggestion" not in comment
    assert "GitHub cannot apply it from this comment" in comment and "`devops-gate fix <file>`" in comment
    blocks = comment.split("<details><summary>")
    role = next(b for b in blocks if b.startswith("`AppRole`"))
    assert "a guess, check it before use" in role and "--include-least-privilege" in role
    bucket = next(b for b in blocks if b.startswith("`Uploads`"))
    assert "a guess" not in bucket


def test_dry_run_prints_the_diff_and_changes_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = workdir / "bucket.yaml"
    shutil.copy(FIXTURES / "iac" / "public-bucket.yaml", target)
    original = target.read_text()
    assert main(["fix", "bucket.yaml", "--dry-run"]) == 0
    assert target.read_text() == original
    out = capsys.readouterr().out
    assert out.startswith("--- a/bucket.yaml\n+++ b/bucket.yaml\n")
    assert "-      AccessControl: PublicRead" in out and "+        BlockPublicAcls: true" in out


def test_waived_findings_are_not_fixed(workdir: Path) -> None:
    target = workdir / "bucket.yaml"
    shutil.copy(FIXTURES / "iac" / "public-bucket.yaml", target)
    (workdir / ".gate.yml").write_text(
        "waivers:\n  - {check_id: GATE-S3-003, resource: PublicAssets, reason: rebuilt from git, expires: 2099-01-01}\n"
    )
    assert main(["fix", "bucket.yaml"]) == 0
    assert "VersioningConfiguration" not in target.read_text()


def test_json_templates_are_fixed_whole(workdir: Path) -> None:
    template = {"Resources": {"Logs": {"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": "/x"}}}}
    (workdir / "logs.json").write_text(json.dumps(template))
    assert main(["fix", "logs.json"]) == 0
    fixed = json.loads((workdir / "logs.json").read_text())
    assert fixed["Resources"]["Logs"]["Properties"] == {"LogGroupName": "/x", "RetentionInDays": 365}


def test_suggestion_replaces_the_resource_lines_and_applies_cleanly(tmp_path: Path) -> None:
    bundle = load_paths([str(FIXTURES / "iac" / "public-bucket.yaml")])
    findings = PolicyCheck().run(CheckInput(bundle, GateConfig(), tmp_path, "us-east-1")).findings
    (suggestion,) = suggestions(bundle, findings)
    assert (suggestion.resource, suggestion.start_line, suggestion.end_line) == ("PublicAssets", 5, 8)
    assert suggestion.check_ids == ("GATE-S3-001", "GATE-S3-002", "GATE-S3-003")
    lines = bundle.files[0].content.splitlines(keepends=True)
    applied = (
        "".join(lines[: suggestion.start_line - 1]) + suggestion.replacement + "".join(lines[suggestion.end_line :])
    )
    patched = make_file("b.yaml", "cloudformation", applied)
    report = PolicyCheck().run(
        CheckInput(IaCBundle(origin="hand-written", files=(patched,)), GateConfig(), tmp_path, "x")
    )
    assert not [f for f in report.findings if f.check_id.startswith("GATE-S3")]
    assert suggestion.diff.startswith("--- a/") and "+      VersioningConfiguration:" in suggestion.diff


def test_suggestions_never_carry_a_secret(tmp_path: Path) -> None:
    text = (FIXTURES / "iac" / "insecure-stack.yaml").read_text()
    bundle = IaCBundle(origin="hand-written", files=(make_file("s.yaml", "cloudformation", text),))
    from gate.checks.secrets import SecretsCheck

    given = CheckInput(bundle, GateConfig(), tmp_path, "us-east-1")
    findings = PolicyCheck().run(given).findings + SecretsCheck().run(given).findings
    made = suggestions(bundle, findings)
    assert made, "the other resources still get suggestions"
    worker = [s for s in made if s.resource == "Worker"]
    assert not worker, "the Worker block holds an access key id: no suggestion repeats it"
    database = next(s for s in made if s.resource == "Database")
    assert "ManageMasterUserPassword: true" in database.replacement and "Tr0ub4dor" not in database.replacement


def test_generated_templates_get_the_fixed_template_itself(tmp_path: Path) -> None:
    from gate.models import ChangeContext
    from gate.pipeline import Run, gate_bundle

    template = (
        "Resources:\n  Data:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n"
    )
    bundle = IaCBundle(origin="synthesised", files=(make_file("template.yaml", "cloudformation", template),))
    plan = gate_bundle(bundle, Run(GateConfig(), ChangeContext()))
    assert plan.suggestions == (), "suggestions are for hand-written IaC"
    written = write_outputs(plan, tmp_path / "out")
    fixed = cfn_yaml.load(written["template.fixed.yaml"].read_text(), "fixed")["Resources"]["Data"]["Properties"]
    assert fixed["SSESpecification"] == {"SSEEnabled": True}
    assert fixed["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}


def test_terraform_is_not_patched() -> None:
    text = (FIXTURES / "iac" / "insecure.tf").read_text()
    assert fix_file(make_file("main.tf", "terraform", text), []) is None


def test_fence_outlasts_backticks_in_the_code() -> None:
    assert fence("plain") == "```"
    assert fence("Description: ```` tricky") == "`````"


def test_fix_lists_what_it_cannot_patch_in_terraform(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Terraform is not patched: every finding in it is listed for a person, none dropped from the list."""
    shutil.copy(FIXTURES / "iac" / "insecure.tf", workdir / "main.tf")
    before = (workdir / "main.tf").read_text()
    assert main(["fix", "main.tf"]) == 0
    err = capsys.readouterr().err
    assert (workdir / "main.tf").read_text() == before
    assert "fixed 0 finding(s)" in err
    listed = [line for line in err.splitlines() if line.startswith("  - ")]
    assert listed and all("main.tf:" in line for line in listed)
    assert any("GATE-S3" in line for line in listed), "fixable in CloudFormation, still listed for Terraform"
