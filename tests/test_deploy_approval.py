"""jira.require_approval_before_apply: a 'needs-approval' plan is applied only once its ticket is approved for
exactly that plan (the real ``jira`` library against tests/fakes/jira_server.py, the stack on the moto server)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.config import parse_config
from tests.deploy_support import anchored, audit_records, bucket_template, plan, unique
from tests.fakes.jira_server import TOKEN, USER, jira_server
from tests.test_jira import TRANSITIONS

pytestmark = pytest.mark.usefixtures("aws_credentials")


@pytest.fixture(autouse=True)
def jira_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIRA_USER", USER)
    monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
    monkeypatch.delenv("JIRA_PAT", raising=False)


def test_needs_approval_plan_waits_for_the_ticket_of_exactly_that_plan(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, bucket = unique("apply-approval"), unique("apply-approval-b")
    with jira_server() as jira:
        raw = {
            "stack_name": stack,
            "aws": {"region": moto.region, "endpoint_url": moto.endpoint_url},
            "checks": {"enabled": ["policies"]},  # the hand-written bucket lacks what our policies ask for
            "thresholds": {"fail_on": "critical", "approval_on": "low"},
            "cost": {"enabled": False},
            "deploy": {"bake_minutes": 0, "poll_seconds": 0.05, "lock_ttl_minutes": 1, "stack_timeout_minutes": 0.5},
            "jira": {
                "server": jira.base_url,
                "project": "OPS",
                "transitions": TRANSITIONS,
                "approved_statuses": ["Approved"],
                "require_approval_before_apply": True,
            },
        }
        text = yaml.safe_dump(raw)
        (workdir / ".gate.yml").write_text(text)
        reviewed, path = plan(workdir, moto, parse_config(text, ".gate.yml"), bucket_template(bucket), "p")
        assert reviewed.verdict.decision == "needs-approval"

        assert main(["apply", *anchored(path)]) == 1, "no ticket yet: refused, not bad input"
        assert "no change ticket for this change" in capsys.readouterr().err

        assert main(["ticket", "--plan", str(path)]) == 1  # opens OPS-1 in 'Needs approval'
        assert main(["apply", *anchored(path)]) == 1
        assert "OPS-1 is in status 'Needs approval'" in capsys.readouterr().err

        jira.set_status("OPS-1", "Approved")  # a person approves this plan in Jira
        capsys.readouterr()
        assert main(["apply", *anchored(path)]) == 0
        out = capsys.readouterr().out
        assert "approval: OPS-1 approved (Approved)" in out
        assert "ticket: OPS-1 updated, moved to Deployed" in out  # apply reports its outcome to the ticket
        assert jira.status_of("OPS-1") == "Deployed"

    kinds = [r["kind"] for r in audit_records(workdir) if r["kind"] != "outbox"]
    assert kinds[:2] == ["apply-refused", "apply-refused"]
    assert kinds[-1] == "apply-finished" and audit_records(workdir)[-1]["outcome"] == "applied"
    assert moto.client("s3").head_bucket(Bucket=bucket)


def test_needs_approval_without_an_approval_source_is_never_applied(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, bucket = unique("apply-noapproval"), unique("apply-noapproval-b")
    raw = {
        "stack_name": stack,
        "aws": {"region": moto.region, "endpoint_url": moto.endpoint_url},
        "checks": {"enabled": ["policies"]},
        "thresholds": {"fail_on": "critical", "approval_on": "low"},
        "cost": {"enabled": False},
    }
    text = yaml.safe_dump(raw)
    (workdir / ".gate.yml").write_text(text)
    reviewed, path = plan(workdir, moto, parse_config(text, ".gate.yml"), bucket_template(bucket), "p")
    assert reviewed.verdict.decision == "needs-approval"
    assert main(["apply", *anchored(path)]) == 2
    assert "no approval of this plan was confirmed" in capsys.readouterr().err
