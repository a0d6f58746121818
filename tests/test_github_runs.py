"""What one run of ``devops-gate action`` asks of GitHub and says, against the fake GitHub (every request checked
against GitHub's OpenAPI description): one paginated listing of the PR's comments per run, drafts and
``ready_for_review``, the cost outputs as the comment words them, the log's final line."""

from __future__ import annotations

from pathlib import Path

from gate.publish.flow import run_job
from gate.report.comment import marker
from tests.fakes.github_env import READER, WRITER, comment_event, example, fake_github, job, pr_event
from tests.fakes.github_server import BOT, FakeGitHub

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
