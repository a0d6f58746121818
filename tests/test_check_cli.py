"""`devops-gate check` on hand-written CloudFormation and Terraform."""

from __future__ import annotations

import json
from pathlib import Path

from gate.cli import main
from tests.conftest import FIXTURES


def test_public_read_bucket_is_blocked_and_named_in_the_comment(workdir: Path) -> None:
    code = main(["check", str(FIXTURES / "iac" / "public-bucket.yaml"), "--out", "o"])
    assert code == 1
    comment = (workdir / "o" / "comment.md").read_text()
    assert "CKV_AWS_20" in comment
    assert "GATE-S3-001" in comment  # our own policy agrees
    assert "blocked" in comment
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    assert plan["iac"]["origin"] == "hand-written"
    assert plan["verdict"]["decision"] == "blocked"
    assert not (workdir / "o" / "template.yaml").exists(), "hand-written IaC is not copied into the outputs"


def test_private_bucket_passes_with_its_waiver_visible(workdir: Path) -> None:
    assert main(["check", str(FIXTURES / "iac" / "private-bucket.yaml"), "--out", "o"]) == 0
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    waived = [f for c in plan["checks"] for f in c["findings"] if f["waived"]]
    assert [f["check_id"] for f in waived] == ["CKV_AWS_18"]
    assert "central logging account" in waived[0]["waived"]


def test_terraform_public_acl_is_blocked(workdir: Path) -> None:
    code = main(["check", str(FIXTURES / "iac" / "public_bucket.tf"), "--out", "o"])
    assert code == 1
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    checks = {c["check"]: c for c in plan["checks"]}
    assert checks["cfn-lint"]["status"] == "not-applicable"
    ids = {f["check_id"] for f in checks["checkov"]["findings"]}
    assert "CKV_AWS_20" in ids or "CKV_AWS_57" in ids or "CKV2_AWS_6" in ids
    assert {r["logical_id"] for r in plan["resources"]} == {
        "aws_s3_bucket.assets",
        "aws_s3_bucket_acl.assets",
    }


def test_folder_is_walked_for_iac(workdir: Path) -> None:
    folder = workdir / "infra"
    folder.mkdir()
    (folder / "bucket.yaml").write_text((FIXTURES / "iac" / "private-bucket.yaml").read_text())
    (folder / "README.md").write_text("not IaC")
    (folder / "values.yaml").write_text("replicas: 3\n")  # YAML that is not CloudFormation is passed over
    assert main(["check", "infra", "--out", "o"]) == 0
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    assert [f["path"] for f in plan["iac"]["files"]] == ["infra/bucket.yaml"]


def test_fail_on_flag_overrides_config(workdir: Path) -> None:
    (workdir / ".gate.yml").write_text("thresholds:\n  fail_on: critical\n  approval_on: null\n")
    # CKV_AWS_20 is critical in our map, so even fail_on critical blocks the public bucket
    assert main(["check", str(FIXTURES / "iac" / "public-bucket.yaml"), "--out", "o"]) == 1
    assert main(["check", str(FIXTURES / "iac" / "public-bucket.yaml"), "--out", "o", "--fail-on", "critical"]) == 1
