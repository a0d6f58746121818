"""Promise: apply runs only the reviewed plan. Without an anchor (the reviewed plan's sha256) it refuses; an
explicit ``--unanchored`` is loud and audited; every example and guide passes the anchor (issue 20, item 1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from tests.conftest import ROOT
from tests.deploy_support import anchored, audit_records, bucket_template, plan, unique, write_config

pytestmark = pytest.mark.usefixtures("aws_credentials")


def _stacks(moto: AwsTarget, stack: str) -> list[str]:
    summaries = moto.client("cloudformation").list_stacks()["StackSummaries"]
    return [s["StackStatus"] for s in summaries if s["StackName"] == stack]


def test_a_tampered_plan_is_never_applied_without_an_anchor(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attack of the review: a blocked plan whose verdict was edited to 'pass', applied with no anchor."""
    stack, old, new = unique("anchor-tamper"), unique("anchor-old"), unique("anchor-new")
    config = write_config(workdir, moto, stack)
    _, first = plan(workdir, moto, config, bucket_template(old), "p1")
    assert main(["apply", *anchored(first)]) == 0
    blocked, path = plan(workdir, moto, config, bucket_template(new), "blocked")
    assert blocked.verdict.decision == "blocked"
    edited = json.loads(path.read_text())
    edited["verdict"] = {"decision": "pass", "reasons": [], "exit_code": 0}
    path.write_text(json.dumps(edited))
    capsys.readouterr()

    assert main(["apply", "--plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert "apply needs the reviewed plan's sha256" in err and "--expect-sha256" in err and "--unanchored" in err
    names = {b["Name"] for b in moto.client("s3").list_buckets()["Buckets"]}
    assert new not in names and old in names, "nothing was applied"
    refused = audit_records(workdir)[-1]
    assert refused["kind"] == "apply-refused" and "reviewed plan's sha256" in refused["reason"]


def test_unanchored_apply_is_loud_and_audited(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = unique("anchor-local")
    config = write_config(workdir, moto, stack)
    _, path = plan(workdir, moto, config, bucket_template(unique("anchor-local-b")), "p")
    assert main(["apply", "--plan", str(path), "--unanchored"]) == 0
    err = capsys.readouterr().err
    assert "WARNING: --unanchored" in err and "WITHOUT checking" in err
    records = audit_records(workdir)
    assert records[0]["kind"] == "apply-unanchored"
    started = next(r for r in records if r["kind"] == "apply-started")
    assert started["anchored"] is False


def test_the_ci_anchor_variable_anchors_apply(workdir: Path, moto: AwsTarget, monkeypatch: pytest.MonkeyPatch) -> None:
    """$GATE_PLAN_SHA256 (set by the CI system between its plan and apply jobs) is the anchor, and is checked."""
    stack = unique("anchor-env")
    config = write_config(workdir, moto, stack)
    _, path = plan(workdir, moto, config, bucket_template(unique("anchor-env-b")), "p")
    monkeypatch.setenv("GATE_PLAN_SHA256", "0123456789abcdef")
    assert main(["apply", "--plan", str(path)]) == 2, "a wrong CI anchor refuses"
    monkeypatch.setenv("GATE_PLAN_SHA256", anchored(path)[-1])
    assert main(["apply", "--plan", str(path)]) == 0
    started = next(r for r in audit_records(workdir) if r["kind"] == "apply-started")
    assert started["anchored"] is True


_APPLY = re.compile(r"devops-gate apply\b[^\n`]*")
GUIDES = ("README.md", "docs/ci.md", "examples/README.md")


def _apply_lines() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in [*(ROOT / g for g in GUIDES), *sorted((ROOT / "examples").rglob("*.y*ml"))]:
        text = path.read_text(encoding="utf-8").replace("\\\n", " ")  # shell continuation lines
        found += [(path.relative_to(ROOT).as_posix(), m.group(0)) for m in _APPLY.finditer(text)]
    return found


def test_every_example_and_guide_passes_the_anchor() -> None:
    lines = _apply_lines()
    assert any(path.startswith("examples/gitlab") for path, _ in lines)
    assert any(path.startswith("examples/codebuild") for path, _ in lines)
    commands = [(p, line) for p, line in lines if "--plan" in line]
    assert commands, "the guides show how to apply"
    unanchored = [(p, line) for p, line in commands if "--expect-sha256" not in line and "--unanchored" not in line]
    assert unanchored == []
    local_only = [(p, line) for p, line in commands if "--unanchored" in line]
    assert all("README" in p for p, _ in local_only), "--unanchored is shown for local use only"
