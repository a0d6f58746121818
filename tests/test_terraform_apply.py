"""Plan a Terraform root (check --tf-root) and apply exactly its planfile, against the embedded AWS (moto)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.deploy.verify import plan_file_sha256

MIRROR = Path("/opt/tf-plugins")
pytestmark = [
    pytest.mark.usefixtures("aws_credentials"),  # terraform reads AWS_ACCESS_KEY_ID/SECRET from the environment
    pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH"),
    pytest.mark.skipif(not MIRROR.is_dir(), reason=f"no AWS provider mirror at {MIRROR} (no network for init)"),
]

PROVIDER = """variable "endpoint" { type = string }
provider "aws" {
  region                      = "us-east-1"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
  s3_use_path_style           = true
  endpoints {
    s3  = var.endpoint
    sts = var.endpoint
  }
}
"""
BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "%s"\n}\n'


def _root(workdir: Path, moto: AwsTarget, bucket: str) -> None:
    (workdir / "infra").mkdir()
    (workdir / "infra" / "providers.tf").write_text(PROVIDER)
    (workdir / "infra" / "main.tf").write_text(BUCKET % bucket)
    # a bare bucket has findings at MEDIUM and HIGH: this test is about plan and apply, so only CRITICAL blocks
    (workdir / ".gate.yml").write_text(
        f"thresholds:\n  fail_on: critical\n  approval_on: null\n"
        f"terraform:\n  plugin_mirror: {MIRROR}\n  variables:\n    endpoint: {moto.endpoint_url}\n"
    )


def _plan(out: str) -> str:
    assert main(["check", "--tf-root", "infra", "--out", out]) == 0
    return plan_file_sha256(f"{out}/gate-plan.json")


def _buckets(moto: AwsTarget) -> set[str]:
    return {b["Name"] for b in moto.client("s3").list_buckets()["Buckets"]}


def test_a_planned_root_is_applied_from_its_planfile(workdir: Path, moto: AwsTarget) -> None:
    _root(workdir, moto, "acme-tf-applied")
    sha = _plan("o")
    plan = json.loads(Path("o/gate-plan.json").read_text())
    run = plan["terraform"]
    assert run["root"] == "infra" and run["planfile"] == "terraform.tfplan"
    assert len(run["planfile_sha256"]) == 64 and run["state_serial"] is None  # no state before the first apply
    assert [(c["logical_id"], c["action"]) for c in plan["changes"]] == [("aws_s3_bucket.b", "Add")]
    assert "acme-tf-applied" not in _buckets(moto)
    assert main(["apply", "--plan", "o/gate-plan.json", "--expect-sha256", sha]) == 0
    assert "acme-tf-applied" in _buckets(moto)
    audit = [json.loads(line) for line in Path(".gate-state/audit.jsonl").read_text().splitlines()]
    assert audit[-1]["kind"] == "terraform-applied"


def test_editing_the_root_after_the_plan_makes_apply_refuse(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    _root(workdir, moto, "acme-tf-edited")
    sha = _plan("o")
    (workdir / "infra" / "main.tf").write_text(BUCKET % "acme-tf-edited" + 'resource "aws_s3_bucket" "c" {}\n')
    assert main(["apply", "--plan", "o/gate-plan.json", "--expect-sha256", sha]) == 1
    out = capsys.readouterr()
    assert "REFUSED terraform:infra" in out.out
    assert "changed after the plan" in out.out + out.err
    assert "acme-tf-edited" not in _buckets(moto)


def test_a_plan_made_before_another_apply_is_stale(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    _root(workdir, moto, "acme-tf-stale")
    first = _plan("first")
    second = _plan("second")
    assert main(["apply", "--plan", "second/gate-plan.json", "--expect-sha256", second]) == 0
    assert main(["apply", "--plan", "first/gate-plan.json", "--expect-sha256", first]) == 1
    assert "state moved since the plan (serial None -> " in "".join(capsys.readouterr())


def test_a_tampered_planfile_is_refused(workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]) -> None:
    _root(workdir, moto, "acme-tf-tampered")
    sha = _plan("o")
    with Path("o/terraform.tfplan").open("ab") as planfile:
        planfile.write(b"\0")
    assert main(["apply", "--plan", "o/gate-plan.json", "--expect-sha256", sha]) == 1
    assert "is not the reviewed" in "".join(capsys.readouterr())
    assert "acme-tf-tampered" not in _buckets(moto)


def test_tf_plan_runs_terraform_show_itself(workdir: Path, moto: AwsTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    _root(workdir, moto, "acme-tf-show")
    _plan("o")  # init and a planfile in o/
    monkeypatch.chdir(workdir / "infra")  # terraform show reads the providers of the initialised root
    assert main(["check", "--tf-plan", "../o/terraform.tfplan", "--out", "../shown"]) in (0, 1)
    plan = json.loads((workdir / "shown" / "gate-plan.json").read_text())
    assert [f["path"] for f in plan["iac"]["files"]] == ["../o/terraform.tfplan.json"]
    assert [c["logical_id"] for c in plan["changes"]] == ["aws_s3_bucket.b"]
