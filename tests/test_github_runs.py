"""What one run of ``devops-gate action`` asks of GitHub and says, against the fake GitHub (every request checked
against GitHub's OpenAPI description): one paginated listing of the PR's comments per run, drafts and
``ready_for_review``, the cost outputs as the comment words them, the log's final line."""

from __future__ import annotations

import hashlib
from pathlib import Path

from gate.plan_file import load_plan
from gate.publish.comment import read_plan_record
from gate.publish.flow import run_job
from gate.publish.plan_job import cost_outputs
from gate.report.comment import marker
from tests.conftest import FIXTURES
from tests.fakes.github_env import BODY, READER, WRITER, comment_event, example, fake_github, job, outputs, pr_event
from tests.fakes.github_files import change_file
from tests.fakes.github_server import BOT, FakeGitHub
from tests.test_check_cli import INSTANCE

PUBLIC_BUCKET = (FIXTURES / "iac" / "public-bucket.yaml").read_text()
NO_REQUEST = "Tidy up the infrastructure by hand.\n\n## Testing\nn/a\n"

MARKER = marker("default")


def _listings(fake: FakeGitHub, pr: int = 2) -> int:
    """How many pages of the PR's comments were asked for."""
    return sum(1 for method, path, _ in fake.requests if method == "GET" and path.endswith(f"/issues/{pr}/comments"))


def _sticky(fake: FakeGitHub, pr: int = 2) -> list[dict[str, object]]:
    return [c for c in fake.pr_comments(pr) if str(c["body"]).startswith(MARKER) and c["user"] == BOT]


def test_a_plan_run_lists_the_prs_comments_once_page_by_page(tmp_path: Path) -> None:
    """150 comments are two pages of 100: the sticky comment, the refinements and the data-loss allowances all
    read that one listing (before, each listed the comments again, 30 a page: 3 listings of 5 pages)."""
    with fake_github() as fake:
        for n in range(150):
            fake.add_comment(2, f"comment {n}", READER)
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path)[0]) == 0
        assert _listings(fake) == 2
        [sticky] = _sticky(fake)  # the 151st comment: on the second page from now on
        fake.requests.clear()
        assert run_job(job(fake, "pull_request", pr_event("synchronize"), tmp_path)[0]) == 0
        assert _listings(fake) == 2
    assert fake.violations == []
    assert [c["id"] for c in _sticky(fake)] == [sticky["id"]]  # found on page 2 and edited
    writes = [m for m, path, _ in fake.requests if "comments" in path and m != "GET"]
    assert writes == ["PATCH"]


def test_a_comment_command_run_lists_once_and_sees_its_own_replies(tmp_path: Path) -> None:
    """'/gate allow-data-loss' replies, then re-plans: the re-plan reads the listing the command read (with the
    reply the run wrote added to it), and edits the sticky comment found there instead of posting a second."""
    with fake_github() as fake:
        for n in range(120):
            fake.add_comment(2, f"comment {n}", READER)
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path)[0]) == 0
        fake.requests.clear()
        payload = comment_event("/gate allow-data-loss InvoicesBucket", WRITER, 2, fake)
        assert run_job(job(fake, "issue_comment", payload, tmp_path)[0]) == 0
        assert _listings(fake) == 2
    assert fake.violations == []
    assert len(_sticky(fake)) == 1
    writes = [m for m, path, _ in fake.requests if "comments" in path and m != "GET" and "reactions" not in path]
    assert writes == ["POST", "PATCH"]  # the reply, then the sticky comment edited in place


def _draft(action: str = "opened") -> dict[str, object]:
    payload = pr_event(action)
    payload["pull_request"]["draft"] = True
    return payload


def test_drafts_route_to_nothing_by_default_and_ready_for_review_plans() -> None:
    from gate.intake.route import route

    ready = example("pull_request", action="ready_for_review")  # GitHub's own payload: draft false now
    assert ready["pull_request"]["draft"] is False
    assert route("pull_request", ready).job == "plan"
    converted = example("pull_request", action="converted_to_draft")
    assert route("pull_request", converted).job == "ignore"
    for action in ("opened", "synchronize", "edited", "reopened", "labeled"):
        draft = _draft(action)
        decision = route("pull_request", draft)
        assert (decision.job, decision.pr) == ("ignore", 2)
        assert "draft" in decision.reason and "ready for review" in decision.reason
        assert route("pull_request", draft, plan_drafts=True).job == "plan"
        assert route("pull_request_target", draft).job == "ignore"
    closed = _draft("closed")
    assert route("pull_request", closed).job == "release"  # a closed draft still frees its lock


def test_a_draft_gets_no_plan_until_it_is_ready_for_review(tmp_path: Path) -> None:
    with fake_github() as fake:
        gate_job, log = job(fake, "pull_request", _draft(), tmp_path)
        assert run_job(gate_job) == 0
        assert fake.requests == [] and not (tmp_path / "gate-out").exists()  # nothing asked of GitHub
        assert "is a draft (plan-drafts is off)" in log[-1]
        fake.pulls[2]["draft"] = False
        ready = pr_event("ready_for_review")
        assert run_job(job(fake, "pull_request", ready, tmp_path)[0]) == 0
        assert len(_sticky(fake)) == 1 and fake.statuses[-1]["state"] == "success"
        fake.pulls[2]["draft"] = True
        assert run_job(job(fake, "pull_request", _draft("synchronize"), tmp_path, plan_drafts=True)[0]) == 0
        assert [s["state"] for s in fake.statuses] == ["pending", "success", "pending", "success"]
        assert run_job(job(fake, "issue_comment", comment_event("/gate plan", WRITER, 2, fake), tmp_path)[0]) == 0
        assert len(fake.statuses) == 6  # a writer's '/gate plan' plans a draft
    assert fake.violations == []


def test_cost_outputs_say_what_the_comment_says(tmp_path: Path) -> None:
    """A bucket priced only by usage nobody gave: the comment says "not estimated", and so do the outputs (they
    said 0.00); a resized instance is priced: its change, 'estimated'; one more resource unpriced: 'partial'."""
    with fake_github() as fake:
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path / "bucket")[0]) == 0
        bucket = str(_sticky(fake)[-1]["body"])
    with fake_github(body=NO_REQUEST) as fake:
        resized = INSTANCE.format(name="Web", size="t3.large")
        change_file(fake, 2, "stacks/web.yaml", resized, base=INSTANCE.format(name="Web", size="t3.small"))
        run_job(job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path / "instance")[0])
        instance = str(_sticky(fake)[-1]["body"])
    assert fake.violations == []
    assert "<b>💰 Cost</b>: not estimated (1 resource)" in bucket
    assert [outputs(tmp_path / "bucket")[k] for k in ("cost-delta", "cost-estimate")] == ["", "not-estimated"]
    assert "(+$45.56)" in instance
    assert [outputs(tmp_path / "instance")[k] for k in ("cost-delta", "cost-estimate")] == ["45.56", "estimated"]
    plan = load_plan(tmp_path / "instance" / "gate-out" / "gate-plan.json")
    assert plan.cost is not None
    unpriced = plan.cost.lines[0].model_copy(
        update={"logical_id": "Other", "monthly_after": None, "monthly_delta": None, "not_estimated": "no price"}
    )
    partial = plan.cost.model_copy(update={"lines": (*plan.cost.lines, unpriced)})
    assert cost_outputs(plan.model_copy(update={"cost": partial})) == ("45.56", "partial")
    assert cost_outputs(plan.model_copy(update={"cost": None})) == ("", "not-estimated")


def test_the_logs_last_line_is_the_steps_verdict(tmp_path: Path) -> None:
    """A PR with a passing request and a blocked hand-written template: the log ends with 'blocked', as the
    status, the check run and the verdict output do (it printed the request's 'pass' before)."""
    with fake_github() as fake:
        change_file(fake, 2, "infra/assets.yaml", PUBLIC_BUCKET)
        gate_job, log = job(fake, "pull_request", pr_event(), tmp_path)
        assert run_job(gate_job) == 1
    assert fake.violations == []
    assert log[-1].startswith("devops-gate: blocked (change request: pass, ")
    assert "; hand-written IaC: blocked, " in log[-1]
    assert outputs(tmp_path)["verdict"] == "blocked" and fake.statuses[-1]["state"] == "failure"
    assert fake.check_runs[-1]["conclusion"] == "failure"


def test_on_change_posts_only_when_what_the_comment_shows_changed(tmp_path: Path) -> None:
    with fake_github() as fake:
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path, comment_mode="on-change")[0]) == 0
        [first] = _sticky(fake)
        fake.requests.clear()
        rerun = job(fake, "pull_request", pr_event("synchronize"), tmp_path, comment_mode="on-change",
                    run_url="https://github.com/o/r/actions/runs/8")  # fmt: skip
        assert run_job(rerun[0]) == 0
        writes = [m for m, path, _ in fake.requests if "comments" in path and m != "GET"]
        assert "POST" not in writes and set(writes) <= {"PATCH"}  # at most the hidden plan record, in place
        [kept] = _sticky(fake)
        record = read_plan_record(str(kept["body"]))
        digest = hashlib.sha256((tmp_path / "gate-out" / "gate-plan.json").read_bytes()).hexdigest()
        assert kept["id"] == first["id"] and record is not None and record[0] == digest  # the plan this run made
        changed = pr_event("edited", body=BODY.replace("acme-invoices", "acme-receipts"))
        fake.pulls[2]["body"] = changed["pull_request"]["body"]
        assert run_job(job(fake, "pull_request", changed, tmp_path, comment_mode="on-change")[0]) == 0
    assert fake.violations == []
    old, new = _sticky(fake)
    assert old["id"] == first["id"] and fake.minimized == {first["id"]} and new["body"] != old["body"]
