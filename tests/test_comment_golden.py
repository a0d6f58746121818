"""Golden files for the rendered PR comment (`make golden` / `pytest --update-golden` rewrites them)."""

from __future__ import annotations

import datetime as dt

import pytest

from gate.config import GateConfig, Waiver
from gate.iac import load_paths
from gate.intake.local import from_text
from gate.models import ChangeContext, GatePlan
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
        ("plan-business-files", "somewhere to store uploaded images for our app"),  # options considered, costed
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


def _public_bucket_plan(config: GateConfig) -> GatePlan:
    return gate_bundle(
        load_paths([str(FIXTURES / "iac" / "public-bucket.yaml")]), Run(config, ChangeContext(), today=TODAY)
    )


def test_headline_counts_open_findings_and_waived_ones_apart() -> None:
    plan = _public_bucket_plan(GateConfig())
    every = {(f.check_id, f.resource) for f in plan.findings}
    waivers = tuple(
        Waiver(check_id=cid, resource=res, reason="accepted for the test", expires="2099-01-01") for cid, res in every
    )
    waived = _public_bucket_plan(GateConfig(waivers=waivers))
    assert waived.findings and all(f.waived for f in waived.findings)
    comment = render_comment(waived)
    n = len(waived.findings)
    assert f"**0** open; **{n}** waived (not counted)" in comment
    assert f"</b>: {n} waived</summary>" in comment  # the file's section counts them, apart
    assert "<details open>" not in comment.split("### Findings")[1].split("###")[0], "nothing open to show"

    some = _public_bucket_plan(GateConfig(waivers=waivers[:1]))
    headline = next(line for line in render_comment(some).splitlines() if line.endswith("waived (not counted)"))
    open_count = sum(1 for f in some.findings if not f.waived)
    assert headline.startswith(f"**{open_count}** open (") and "**1** waived" in headline


def test_options_costs_are_labelled_as_rough_at_an_assumed_usage() -> None:
    plan = plan_request(
        from_text("somewhere to store uploaded images for our app"), Run(GateConfig(), ChangeContext(), today=TODAY)
    )
    assert plan.spec is not None and any(o.monthly_usd is not None for o in plan.spec.options_considered)
    comment = render_comment(plan)
    options = comment.split("<b>Options considered</b>")[1].split("</details>")[0]
    assert "Rough cost / month at assumed usage" in options
    priced = [line for line in options.splitlines() if line.startswith("| ") and "~$" in line]
    assert priced and all("(rough, at assumed usage;" in line for line in priced)
    assert "not this change's cost" in options
    cost = comment.split("<b>💰 Cost</b>")[1].split("</details>\n\n\n")[0]
    assert "not estimated" in cost and "these totals do not: they use only the usage file" in cost
