"""Plan a Terraform root (check --tf-root) and apply exactly its planfile, against the embedded AWS (moto)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.deploy.backend import backend_for
from gate.deploy.job import ApplyJob, ReviewedPlanfile
from gate.deploy.verify import plan_file_sha256
from gate.errors import GateError
from gate.plan_file import load_plan
from tests.deploy_support import create_alarm

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


def test_the_terraform_backend_hands_over_a_planfile_never_template_text(workdir: Path, moto: AwsTarget) -> None:
    _root(workdir, moto, "acme-tf-typed")
    _plan("o")
    plan = load_plan("o/gate-plan.json")
    backend = backend_for(plan, "o/gate-plan.json")
    reviewed = backend.reviewed(plan, "o/gate-plan.json", None, approved=False)
    assert backend.name == "terraform" and reviewed == ReviewedPlanfile("o/gate-plan.json")
    with pytest.raises(GateError, match="--template names a CloudFormation template"):
        backend.reviewed(plan, "o/gate-plan.json", "o/template.yaml", approved=False)
    job = ApplyJob(plan, reviewed, None, None, None, "ci", None, print)  # type: ignore[arg-type]
    assert job.planfile.plan_path == "o/gate-plan.json"
    with pytest.raises(TypeError, match="holds no CloudFormation template"):
        job.template  # noqa: B018


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


# -- the bake after a Terraform apply, and the rollback to the base commit's configuration --------------------


def _git(workdir: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=gate-test", "-c", "user.email=gate@test", *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def _commit_base(workdir: Path) -> str:
    _git(workdir, "init", "-q")
    _git(workdir, "add", "-A")
    _git(workdir, "commit", "-q", "-m", "base")
    return _git(workdir, "rev-parse", "HEAD")


def _watch(workdir: Path, moto: AwsTarget, alarm: str) -> None:
    """Bake on ``alarm`` for a few seconds (the moto server is the account the alarms are read from)."""
    create_alarm(moto, alarm)
    with (workdir / ".gate.yml").open("a") as config:
        config.write(
            f"aws:\n  endpoint_url: {moto.endpoint_url}\n"
            f"deploy:\n  alarms: [{alarm}]\n  bake_minutes: 0.2\n  poll_seconds: 0.05\n"
        )


def _alarm_once(moto: AwsTarget, alarm: str, bucket: str) -> threading.Thread:
    """Something goes wrong once the PR's bucket exists: ``alarm`` goes to ALARM, as CloudWatch would."""

    def run() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and bucket not in _buckets(moto):
            time.sleep(0.05)
        moto.client("cloudwatch").set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="5xx after apply")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _audit() -> list[dict[str, Any]]:
    return [json.loads(line) for line in Path(".gate-state/audit.jsonl").read_text().splitlines()]


def test_an_alarm_after_the_apply_re_applies_the_base_commits_configuration(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    _root(workdir, moto, "acme-tf-base")
    base = _commit_base(workdir)
    assert main(["apply", "--plan", "o/gate-plan.json", "--expect-sha256", _plan("o")]) == 0  # the base is live
    alarm = f"tf-bake-{uuid.uuid4().hex[:8]}"
    _watch(workdir, moto, alarm)
    (workdir / "infra" / "main.tf").write_text(BUCKET % "acme-tf-base" + BUCKET.replace('"b"', '"c"') % "acme-tf-pr")
    assert main(["check", "--tf-root", "infra", "--base-ref", base, "--out", "pr"]) == 0
    run = json.loads(Path("pr/gate-plan.json").read_text())["terraform"]
    assert run["base_commit"] == base and run["base_config"] == "terraform-base"
    assert (workdir / "pr" / "terraform-base" / "main.tf").read_text() == BUCKET % "acme-tf-base"
    watcher = _alarm_once(moto, alarm, "acme-tf-pr")
    capsys.readouterr()
    assert main(["apply", "--plan", "pr/gate-plan.json", "--expect-sha256", plan_file_sha256("pr/gate-plan.json")]) == 1
    watcher.join(5)
    out = capsys.readouterr().out
    assert "ROLLED-BACK terraform:infra" in out
    assert f"alarm {alarm} fired" in out
    assert f"rollback: re-applied the configuration of infra at the base commit {base[:12]}" in out
    assert "acme-tf-pr" not in _buckets(moto) and "acme-tf-base" in _buckets(moto)
    records = _audit()
    assert [r["kind"] for r in records[-2:]] == ["rollback", "terraform-rolled-back"]
    assert records[-1]["alarm"]["name"] == alarm and records[-1]["rollback"].startswith("re-applied")


def test_a_root_new_in_the_pr_is_destroyed_on_alarm(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "README").write_text("no Terraform root at the base\n")
    base = _commit_base(workdir)
    _root(workdir, moto, "acme-tf-new-root")
    alarm = f"tf-bake-new-{uuid.uuid4().hex[:8]}"
    _watch(workdir, moto, alarm)
    assert main(["check", "--tf-root", "infra", "--base-ref", base, "--out", "pr"]) == 0
    watcher = _alarm_once(moto, alarm, "acme-tf-new-root")
    assert main(["apply", "--plan", "pr/gate-plan.json", "--expect-sha256", plan_file_sha256("pr/gate-plan.json")]) == 1
    watcher.join(5)
    assert "rollback: destroyed what root infra manages (terraform apply -destroy)" in capsys.readouterr().out
    assert "acme-tf-new-root" not in _buckets(moto)


def test_without_a_recorded_base_the_alarm_is_a_failed_rollback(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    _root(workdir, moto, "acme-tf-no-base")
    alarm = f"tf-bake-nobase-{uuid.uuid4().hex[:8]}"
    _watch(workdir, moto, alarm)
    sha = _plan("o")
    assert "the root's base configuration is not recorded" in capsys.readouterr().err
    watcher = _alarm_once(moto, alarm, "acme-tf-no-base")
    assert main(["apply", "--plan", "o/gate-plan.json", "--expect-sha256", sha]) == 1
    watcher.join(5)
    out = capsys.readouterr().out
    assert "FAILED terraform:infra" in out
    assert "rollback FAILED: " in out and "the plan recorded no base configuration of the root" in out
    assert _audit()[-1]["kind"] == "terraform-failed"


def test_an_alarm_already_firing_refuses_the_terraform_apply(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    _root(workdir, moto, "acme-tf-firing")
    alarm = f"tf-firing-{uuid.uuid4().hex[:8]}"
    _watch(workdir, moto, alarm)
    sha = _plan("o")
    moto.client("cloudwatch").set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="already bad")
    assert main(["apply", "--plan", "o/gate-plan.json", "--expect-sha256", sha]) == 1
    assert f"alarm {alarm} is already in ALARM" in capsys.readouterr().out
    assert "acme-tf-firing" not in _buckets(moto)
    assert _audit()[-1]["kind"] == "terraform-refused"
