"""What one run of ``devops-gate action`` asks of GitHub and says, against the fake GitHub (every request checked
against GitHub's OpenAPI description): one paginated listing of the PR's comments per run, drafts and
``ready_for_review``, the cost outputs as the comment words them, the log's final line."""

from __future__ import annotations

from pathlib import Path

from gate.publish.flow import run_job
from gate.report.comment import marker
from tests.fakes.github_env import READER, WRITER, comment_event, fake_github, job, pr_event
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
