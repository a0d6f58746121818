"""`devops-gate check` on hand-written CloudFormation and Terraform."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from gate.cli import main
from tests.conftest import FIXTURES

INSTANCE = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  {name}:
    Type: AWS::EC2::Instance
    Properties:
      InstanceType: {size}
      ImageId: ami-0abcdef1234567890
"""


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


def git(repo: Path, *args: str) -> str:
    """git in a throwaway repository, deaf to the user's and the system's git config."""
    env = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "PATH": "/usr/bin:/bin"}
    ident = ["-c", "user.name=Gate Test", "-c", "user.email=gate@example.com", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *ident, *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def bumped(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """main: infra/web.yaml with a t3.small; head (branch pr): the instance is a t3.large and infra/new.yaml
    (a t3.micro) is new. The cost threshold (60 USD/month more) lets the change through, not the whole stack."""
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    (workdir / ".gate.yml").write_text(
        "checks: {enabled: [], allow_no_checks: true}\n"
        "cost:\n  thresholds:\n    monthly_delta_usd: {limit: 60, action: block}\n"
    )
    infra = workdir / "infra"
    infra.mkdir()
    (infra / "web.yaml").write_text(INSTANCE.format(name="Web", size="t3.small"))
    git(workdir, "init", "-q", "-b", "main")
    git(workdir, "add", ".")
    git(workdir, "commit", "-q", "-m", "base")
    git(workdir, "checkout", "-q", "-b", "pr")
    (infra / "web.yaml").write_text(INSTANCE.format(name="Web", size="t3.large"))
    (infra / "new.yaml").write_text(INSTANCE.format(name="Worker", size="t3.micro"))
    git(workdir, "add", ".")
    git(workdir, "commit", "-q", "-m", "bigger web, new worker")
    return workdir


def test_base_ref_prices_the_change_not_the_whole_stack(bumped: Path) -> None:
    assert main(["check", "infra", "--base-ref", "main", "--out", "o"]) == 0
    plan = json.loads((bumped / "o" / "gate-plan.json").read_text())
    cost = plan["cost"]
    sha = git(bumped, "rev-parse", "main")
    assert cost["base"] == f"git main at {sha[:12]}"
    lines = {line["logical_id"]: line for line in cost["lines"]}
    # t3.small 0.0208/h, t3.large 0.0832/h, t3.micro 0.0104/h (us-east-1, 730 h) + an 8 GB gp2 root volume 0.80
    web, worker = lines["infra/web.yaml:Web"], lines["infra/new.yaml:Worker"]
    assert (web["change"], web["monthly_before"], web["monthly_after"], web["monthly_delta"]) == (
        "modify",
        15.98,
        61.54,
        45.56,
    )
    assert (worker["change"], worker["monthly_before"], worker["monthly_after"]) == ("add", None, 8.39)
    assert (cost["monthly_before"], cost["monthly_after"], cost["monthly_delta"]) == (15.98, 69.93, 53.95)
    comment = (bumped / "o" / "comment.md").read_text()
    assert f"before $15.98 (git main at {sha[:12]}), after $69.93, change +$53.95" in comment
    assert "| `infra/web.yaml:Web` | `AWS::EC2::Instance` | $15.98 | $61.54 | +$45.56 |" in comment
    assert "| `infra/new.yaml:Worker` | `AWS::EC2::Instance` | - | $8.39 | +$8.39 |" in comment


def test_without_a_base_the_whole_stack_is_the_delta(bumped: Path) -> None:
    assert main(["check", "infra", "--out", "o"]) == 1  # what --base-ref fixes: 69.93 "more" trips the 60 limit
    plan = json.loads((bumped / "o" / "gate-plan.json").read_text())
    assert plan["cost"]["base"] == "empty: no deployed stack to compare with"
    assert any("rises by" in reason for reason in plan["verdict"]["reasons"])


def test_a_bad_base_ref_is_a_usage_error_that_names_it(bumped: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "infra", "--base-ref", "mian", "--out", "o"]) == 2
    err = capsys.readouterr().err
    assert "base ref 'mian' is not a commit in this clone" in err
    assert "git fetch origin mian" in err and "fetch-depth: 0" in err
    assert not (bumped / "o").exists()
