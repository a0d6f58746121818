"""thresholds.new_findings_only: findings already at the base ref (same check, same resource) do not block."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main

OLD = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Assets:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: us-east-1a
      Size: 10
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
      DBInstanceClass: db.t3.micro
      AllocatedStorage: "20"
      MasterUsername: app
      ManageMasterUserPassword: true
      PubliclyAccessible: true
"""
QUEUE = """  Orders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: orders
"""
OLD_TF = 'resource "aws_s3_bucket" "assets" {\n  bucket = "acme-assets"\n}\n'
QUEUE_TF = 'resource "aws_sqs_queue" "orders" {\n  name = "orders"\n}\n'


def _git(*args: str) -> None:
    identity = ["-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", *identity, *args], check=True, capture_output=True)


def _repo(name: str, old: str, new: str) -> None:
    _git("init", "-q", ".")
    Path(name).write_text(old)
    _git("add", name)
    _git("commit", "-qm", "base")
    Path(name).write_text(new)


def _findings(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for c in plan["checks"] for f in c["findings"]]


def test_many_old_findings_and_one_new_queue_only_the_queue_counts(workdir: Path) -> None:
    _repo("t.yaml", OLD, OLD + QUEUE)
    code = main(["check", "t.yaml", "--base-ref", "HEAD", "--out", "o"])
    plan = json.loads(Path("o/gate-plan.json").read_text())
    found = _findings(plan)
    old = [f for f in found if f["resource"] != "Orders"]
    assert len(old) >= 15 and any(f["severity"] >= 3 for f in old)  # HIGH ones among them
    assert all(f["waived"].startswith("already on the base branch (git HEAD at ") for f in old)
    counted = [f for f in found if f["waived"] is None]
    assert counted and {f["resource"] for f in counted} == {"Orders"}
    assert code == 1 and plan["verdict"]["decision"] == "needs-approval"  # the queue's own MEDIUM finding
    comment = Path("o/comment.md").read_text()
    assert f"**{len(old)}** already on the base branch (not counted)" in comment
    assert "<details><summary><b>Already on the base branch</b>" in comment


def test_without_a_base_ref_every_old_finding_blocks(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    _repo("t.yaml", OLD, OLD + QUEUE)
    assert main(["check", "t.yaml", "--out", "o"]) == 1
    plan = json.loads(Path("o/gate-plan.json").read_text())
    assert plan["verdict"]["decision"] == "blocked"
    assert not [f for f in _findings(plan) if (f["waived"] or "").startswith("already on the base")]


def test_github_base_ref_is_the_base_too(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _repo("t.yaml", OLD, OLD + QUEUE)
    _git("update-ref", "refs/remotes/origin/main", "HEAD")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    main(["check", "t.yaml", "--out", "o"])
    plan = json.loads(Path("o/gate-plan.json").read_text())
    assert {f["resource"] for f in _findings(plan) if f["waived"] is None} == {"Orders"}


def test_terraform_old_bucket_findings_do_not_block_a_new_queue(workdir: Path) -> None:
    _repo("main.tf", OLD_TF, OLD_TF + QUEUE_TF)
    main(["check", "main.tf", "--base-ref", "HEAD", "--out", "o"])
    plan = json.loads(Path("o/gate-plan.json").read_text())
    found = _findings(plan)
    assert any(f["resource"] == "aws_s3_bucket.assets" for f in found)
    assert {f["resource"] for f in found if f["waived"] is None} == {"aws_sqs_queue.orders"}


def test_it_can_be_turned_off(workdir: Path) -> None:
    _repo("t.yaml", OLD, OLD + QUEUE)
    Path(".gate.yml").write_text("thresholds:\n  new_findings_only: false\n")
    assert main(["check", "t.yaml", "--base-ref", "HEAD", "--out", "o"]) == 1
    plan = json.loads(Path("o/gate-plan.json").read_text())
    assert plan["verdict"]["decision"] == "blocked"


def test_default_is_on_for_hand_written_iac_and_off_for_generated_plans() -> None:
    from gate.checks.baseline import enabled
    from gate.config import GateConfig
    from gate.iac import make_file
    from gate.models import IaCBundle

    config = GateConfig()
    template = make_file("t.yaml", "cloudformation", OLD)
    plan = make_file("plan.json", "terraform-plan", "{}")
    assert enabled(config, IaCBundle(origin="hand-written", files=(template,)))
    assert not enabled(config, IaCBundle(origin="synthesised", files=(template,)))
    assert not enabled(config, IaCBundle(origin="hand-written", files=(plan,)))
    forced = config.model_copy(update={"thresholds": config.thresholds.model_copy(update={"new_findings_only": True})})
    assert enabled(forced, IaCBundle(origin="synthesised", files=(template,)))
