"""`devops-gate demo` runs the PR-side job against its own moto server and shows the change set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget


def test_demo_plans_and_previews_the_change_set(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", "demo-out"]) == 0
    out = capsys.readouterr().out
    assert "starting the embedded AWS" in out
    assert "Add     AcmeInvoicesBucket" in out
    assert "stopping the embedded AWS" in out
    assert "executing the reviewed change set" in out
    assert "bake: alarm demo-api-5xx-errors is in ALARM since" in out
    assert "==> OUTCOME: rolled-back" in out
    assert "rollback: deleted stack devops-gate-change, which this apply created" in out
    audit = [json.loads(line) for line in (workdir / "demo-out" / "audit.jsonl").read_text().splitlines()]
    assert [r["kind"] for r in audit] == ["apply-started", "apply-executed", "rollback", "apply-finished"]
    assert audit[-1]["outcome"] == "rolled-back" and audit[-1]["alarm"]["name"] == "demo-api-5xx-errors"
    plan = json.loads((workdir / "demo-out" / "gate-plan.json").read_text())
    assert {(c["action"], c["type"]) for c in plan["changes"]} == {
        ("Add", "AWS::S3::Bucket"),
        ("Add", "AWS::S3::BucketPolicy"),
    }
    assert plan["verdict"]["decision"] == "pass"


def test_plan_against_moto_endpoint_records_the_change_set(
    workdir: Path, moto: AwsTarget, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")  # as a user would export for their endpoint
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    (workdir / ".gate.yml").write_text(f"stack_name: plan-endpoint-test\naws:\n  endpoint_url: {moto.endpoint_url}\n")
    assert main(["plan", "--request", "Launch a t3.small instance for the build agent", "--out", "o"]) == 0
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    types = sorted(c["type"] for c in plan["changes"])
    assert types == ["AWS::EC2::Instance", "AWS::IAM::InstanceProfile", "AWS::IAM::Role"]
    assert "### Changes against `plan-endpoint-test`" in (workdir / "o" / "comment.md").read_text()
