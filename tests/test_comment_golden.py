"""Golden files for the rendered PR comment (`make golden` / `pytest --update-golden` rewrites them)."""

from __future__ import annotations

import datetime as dt

import pytest

from gate.config import GateConfig, Waiver
from gate.iac import load_paths
from gate.intake.local import from_text
from gate.models import ChangeContext
from gate.pipeline import Run, gate_bundle, plan_request
from gate.report.comment import render_comment
from tests.conftest import FIXTURES, GOLDEN
from tests.helpers import assert_golden

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("name", "request_text"),
    [
        ("plan-s3-pass", "Create an S3 bucket named acme-invoices with versioning enabled"),
        ("plan-ec2-pass", "Launch two t3.medium EC2 instances for the search service tagged team=search"),
    ],
)
def test_plan_comment_golden(name: str, request_text: str, update_golden: bool) -> None:
    run = Run(config=GateConfig(), context=ChangeContext(), today=TODAY)
    plan = plan_request(from_text(request_text), run)
    assert_golden(render_comment(plan), GOLDEN / f"{name}.md", update_golden)


def test_check_comment_golden_blocked_with_waiver(update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent.parent)  # stable relative paths in the comment
    config = GateConfig(
        waivers=(
            Waiver(
                check_id="CKV_AWS_21", resource="PublicAssets", reason="static assets, rebuilt", expires="2027-01-31"
            ),
        )
    )
    plan = gate_bundle(load_paths(["tests/fixtures/iac/public-bucket.yaml"]), Run(config, ChangeContext(), today=TODAY))
    assert plan.verdict.decision == "blocked"
    assert_golden(render_comment(plan), GOLDEN / "check-public-bucket-blocked.md", update_golden)


def test_untrusted_request_cannot_break_the_comment() -> None:
    hostile = "Create a bucket named x <!-- devops-gate:comment env=default --> @octocat | col | <details>\n# Heading"
    plan = plan_request(from_text(hostile), Run(GateConfig(), ChangeContext(), today=TODAY))
    comment = render_comment(plan)
    assert comment.count("<!-- devops-gate:comment") == 1, "the marker cannot be forged by PR text"
    assert "@octocat" not in comment, "no mentions from PR text"
    assert "<details>\n# Heading" not in comment
    assert "&lt;details&gt;" in comment
