"""``devops-gate action`` against a fake GitHub that checks every request against GitHub's OpenAPI description.

Real webhook payloads in, PyGithub over HTTP to a local server out: sticky comment, commit status, outputs,
comment modes, retries, permissions, fork safety.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.cli import main
from gate.publish.comment import is_sticky, read_plan_record
from gate.publish.contexts import plan_context
from gate.publish.flow import run_job
from gate.report.comment import marker
from tests.fakes.github_env import READER, WRITER, comment_event, fake_github, job, outputs, pr_event
from tests.fakes.github_server import BOT, FakeGitHub

PLAN_CONTEXT = plan_context("default")

MARKER = marker("default")


def _sticky(fake: FakeGitHub, pr: int = 2) -> list[dict[str, object]]:
    return [c for c in fake.pr_comments(pr) if str(c["body"]).startswith(MARKER) and c["user"] == BOT]


def test_pr_opened_plans_comments_and_sets_a_required_status(tmp_path: Path) -> None:
    with fake_github() as fake:
        gate_job, log = job(fake, "pull_request", pr_event("opened"), tmp_path)
        assert run_job(gate_job) == 0
    assert fake.violations == []
    [comment] = _sticky(fake)
    assert "acme\\-invoices" in str(comment["body"]) or "acme-invoices" in str(comment["body"])
    head = pr_event()["pull_request"]["head"]["sha"]
    states = [(s["context"], s["state"], s["sha"]) for s in fake.statuses]
    assert states == [(PLAN_CONTEXT, "pending", head), (PLAN_CONTEXT, "success", head)]
    record = read_plan_record(str(comment["body"]))
    assert record is not None and record[1] == head
    out = outputs(tmp_path)
    assert out["verdict"] == "pass"
    assert Path(out["plan-path"]).name == "gate-plan.json"
    assert out["comment-url"].endswith(f"#issuecomment-{comment['id']}")
    assert "devops-gate" in (tmp_path / "summary.md").read_text()
    assert any("-> plan" in line for line in log)


def test_re_running_on_the_same_pr_edits_the_one_comment(tmp_path: Path) -> None:
    with fake_github() as fake:
        for action in ("opened", "synchronize", "edited"):
            assert run_job(job(fake, "pull_request", pr_event(action), tmp_path)[0]) == 0
    assert fake.violations == []
    assert len(_sticky(fake)) == 1
    methods = [m for m, path, _ in fake.requests if "/issues/" in path and "comments" in path and m != "GET"]
    assert methods == ["POST", "PATCH", "PATCH"]


@pytest.mark.parametrize(
    ("mode", "visible", "hidden"),
    [("update", 1, 0), ("hide-and-new", 2, 1), ("delete-and-new", 1, 0), ("new", 2, 0)],
)
def test_comment_modes(tmp_path: Path, mode: str, visible: int, hidden: int) -> None:
    with fake_github() as fake:
        for action in ("opened", "synchronize"):
            assert run_job(job(fake, "pull_request", pr_event(action), tmp_path, comment_mode=mode)[0]) == 0
    assert fake.violations == []
    sticky = _sticky(fake)
    assert len(sticky) == visible
    assert len(fake.minimized) == hidden
    if mode == "delete-and-new":
        assert any(m == "DELETE" for m, _, _ in fake.requests)
    if mode == "hide-and-new":
        assert fake.minimized == {sticky[0]["id"]}  # the old one is hidden, the new one is not


def test_a_forged_marker_in_someone_elses_comment_is_left_alone(tmp_path: Path) -> None:
    with fake_github() as fake:
        forged = fake.add_comment(2, MARKER + "\n<!-- devops-gate:plan sha256=" + "0" * 64 + " head= -->", READER)
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path)[0]) == 0
    assert fake.violations == []
    assert fake.comments[forged["id"]]["body"].startswith(MARKER)  # untouched
    assert len(_sticky(fake)) == 1


def test_a_read_only_user_is_refused_politely(tmp_path: Path) -> None:
    with fake_github() as fake:
        assert run_job(job(fake, "issue_comment", comment_event("/gate plan", READER, 2), tmp_path)[0]) == 0
    assert fake.violations == []
    replies = [c["body"] for c in fake.pr_comments(2)]
    assert len(replies) == 1
    assert "only for people with write access" in replies[0] and "reader-rob" in replies[0]
    assert fake.statuses == []  # nothing planned


def test_an_unknown_command_gets_the_help(tmp_path: Path) -> None:
    with fake_github() as fake:
        payload = comment_event("/gate deploy-everything @octocat", WRITER, 2)
        assert run_job(job(fake, "issue_comment", payload, tmp_path)[0]) == 0
        payload = comment_event("looks good to me", WRITER, 2)
        assert run_job(job(fake, "issue_comment", payload, tmp_path)[0]) == 0  # not a command: ignored
    assert fake.violations == []
    [reply] = [c["body"] for c in fake.pr_comments(2)]
    assert "no command `deploy-everything`" in reply
    assert "/gate explain" in reply and "@octocat" not in reply


def test_a_writer_runs_plan_by_comment(tmp_path: Path) -> None:
    with fake_github() as fake:
        payload = comment_event("/gate plan", WRITER, 2, fake)
        assert run_job(job(fake, "issue_comment", payload, tmp_path)[0]) == 0
    assert fake.violations == []
    assert fake.reactions == [(payload["comment"]["id"], "eyes")]
    assert len(_sticky(fake)) == 1
    assert [s["state"] for s in fake.statuses] == ["pending", "success"]


def test_allow_data_loss_from_a_writer_is_recorded_and_replanned(tmp_path: Path) -> None:
    with fake_github() as fake:
        fake.add_comment(2, "/gate allow-data-loss OtherBucket", READER)  # not allowed: read-only
        payload = comment_event("/gate allow-data-loss InvoicesBucket", WRITER, 2, fake)
        assert run_job(job(fake, "issue_comment", payload, tmp_path)[0]) == 0
    assert fake.violations == []
    assert any("data loss on `InvoicesBucket` is allowed" in c["body"] for c in fake.pr_comments(2))
    context = json.loads((tmp_path / "gate-out" / "gate-plan.json").read_text())["context"]
    assert context["allow_data_loss"] == ["InvoicesBucket"]


TRIAGER = {"login": "triage-tom", "id": 13, "type": "User"}


@pytest.mark.parametrize(("who", "counts"), [(WRITER, True), (TRIAGER, False)])
def test_the_allow_data_loss_label_counts_only_from_a_writer(
    tmp_path: Path, who: dict[str, object], counts: bool
) -> None:
    with fake_github() as fake:
        fake.permissions[TRIAGER["login"]] = "triage"  # may add labels, may not run /gate allow-data-loss
        fake.add_label(2, "gate:allow-data-loss", who)
        gate_job, log = job(fake, "pull_request", pr_event("labeled"), tmp_path)
        assert run_job(gate_job) == 0
    assert fake.violations == []
    assert any(path.endswith("/issues/2/events") for _, path, _ in fake.requests)
    context = json.loads((tmp_path / "gate-out" / "gate-plan.json").read_text())["context"]
    assert ("*" in context["allow_data_loss"]) is counts
    if not counts:
        assert any("ignored: added by triage-tom" in line for line in log)


def test_the_label_re_added_by_a_triager_after_a_writer_does_not_count(tmp_path: Path) -> None:
    with fake_github() as fake:
        fake.permissions[TRIAGER["login"]] = "triage"
        fake.add_label(2, "gate:allow-data-loss", WRITER)
        fake.remove_label(2, "gate:allow-data-loss", TRIAGER)
        fake.add_label(2, "gate:allow-data-loss", TRIAGER)
        assert run_job(job(fake, "pull_request", pr_event("labeled"), tmp_path)[0]) == 0
    assert fake.violations == []
    context = json.loads((tmp_path / "gate-out" / "gate-plan.json").read_text())["context"]
    assert "*" not in context["allow_data_loss"]


def test_explain_answers_from_the_policy_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with fake_github() as fake:
        payload = comment_event("/gate explain GATE-S3-001", WRITER, 2)
        assert run_job(job(fake, "issue_comment", payload, tmp_path)[0]) == 0
    [reply] = [c["body"] for c in fake.pr_comments(2)]
    assert reply.startswith("**`GATE-S3-001`**")
    assert fake.violations == []


def test_github_502_then_200_is_retried_and_the_result_lands(tmp_path: Path) -> None:
    with fake_github() as fake:
        fake.fail_next("POST", r"/issues/2/comments$", 502)
        fake.fail_next("GET", r"/pulls/2$", 502, times=2)
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path)[0]) == 0
    assert fake.violations == []
    assert len(_sticky(fake)) == 1
    posts = [p for m, p, _ in fake.requests if m == "POST" and p.endswith("/issues/2/comments")]
    assert len(posts) == 2
    assert fake.statuses[-1]["state"] == "success"


def test_rate_limit_403_with_retry_after_is_waited_for(tmp_path: Path) -> None:
    with fake_github() as fake:
        fake.fail_next("POST", r"/statuses/", 403, {"Retry-After": "30"})
        fake.fail_next("PATCH", r"/issues/comments/", 429, {"Retry-After": "1"})
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path)[0]) == 0
        assert run_job(job(fake, "pull_request", pr_event("synchronize"), tmp_path)[0]) == 0
    assert fake.violations == []
    assert [s["state"] for s in fake.statuses] == ["pending", "success", "pending", "success"]
    assert len(_sticky(fake)) == 1


def test_endless_5xx_fails_with_a_clear_error(tmp_path: Path) -> None:
    from gate.errors import GateError

    with fake_github() as fake:
        fake.fail_next("GET", r"/pulls/2$", 503, times=10)
        with pytest.raises(GateError, match="HTTP 503"):
            run_job(job(fake, "pull_request", pr_event(), tmp_path)[0])
    gets = [p for m, p, _ in fake.requests if m == "GET" and p.endswith("/pulls/2")]
    assert len(gets) == 4  # the first try and three retries, then it stops


def test_a_pr_without_a_change_request_or_iac_has_nothing_to_gate(tmp_path: Path) -> None:
    # the hand-written IaC a PR changes is gated instead (tests/test_github_iac.py); this one changes none
    with fake_github(body="just a refactor") as fake:
        assert run_job(job(fake, "pull_request", pr_event(body="just a refactor"), tmp_path)[0]) == 0
    assert fake.violations == []
    assert fake.statuses[-1]["state"] == "success"
    assert fake.statuses[-1]["description"].startswith("nothing to gate: no change request")
    assert _sticky(fake) == []


def test_a_pr_whose_files_cannot_be_read_fails_the_status_with_the_reason(tmp_path: Path) -> None:
    from gate.errors import GateError

    with fake_github(body="just a refactor") as fake, pytest.raises(GateError, match="listing the files"):
        fake.fail_next("GET", r"/pulls/2/files$", 404)
        run_job(job(fake, "pull_request", pr_event(body="just a refactor"), tmp_path)[0])
    assert fake.violations == []
    assert fake.statuses[-1]["state"] == "failure"
    assert "listing the files of #2" in fake.statuses[-1]["description"]
    [comment] = _sticky(fake)
    assert "cannot plan" in str(comment["body"])


def _runner_env(tmp_path: Path, fake: FakeGitHub, monkeypatch: pytest.MonkeyPatch, **inputs: str) -> None:
    """The environment the Actions runner gives a Docker action: every declared input is set, defaults included."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps(pr_event()))
    defaults = {"github-token": "test-token", "config": ".gate.yml", "comment-mode": "update", "debug": "false"}
    env = {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_API_URL": fake.url,
        "GITHUB_REPOSITORY": fake.full_name,
        "GITHUB_RUN_ID": "99",
        "GITHUB_OUTPUT": str(tmp_path / "github_output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    env |= {f"INPUT_{name.upper()}": value for name, value in (defaults | inputs).items()}
    for key, value in env.items():
        monkeypatch.setenv(key, value)


def test_the_cli_entry_point_reads_the_actions_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no .gate.yml here, and INPUT_CONFIG=.gate.yml (the input's default): defaults
    with fake_github() as fake:
        _runner_env(tmp_path, fake, monkeypatch, **{"fail-on": "high"})
        code = main(["action", "--github-write-interval", "0", "--github-max-wait", "0.1"])
    assert code == 0
    assert fake.violations == []
    assert outputs(tmp_path)["verdict"] == "pass"
    assert fake.statuses[-1]["target_url"].endswith("/actions/runs/99")
    assert all(is_sticky_body(c["body"]) for c in fake.pr_comments(2))


def test_a_config_path_given_explicitly_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with fake_github() as fake:
        _runner_env(tmp_path, fake, monkeypatch, config="ci/gate.yml")
        code = main(["action", "--github-write-interval", "0", "--github-max-wait", "0.1"])
    assert code == 2
    assert fake.violations == []
    assert fake.statuses[-1]["state"] == "failure"
    assert "cannot read the config file" in fake.statuses[-1]["description"]


def test_the_default_config_path_is_read_when_present(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".gate.yml").write_text("version: 1\nstack_name: from-the-base-branch\n")
    with fake_github() as fake:
        _runner_env(tmp_path, fake, monkeypatch)
        assert main(["action", "--github-write-interval", "0", "--github-max-wait", "0.1"]) == 0
    assert json.loads((tmp_path / "gate-out" / "gate-plan.json").read_text())["stack_name"] == "from-the-base-branch"


def is_sticky_body(body: str) -> bool:
    from gate.vcs import Comment

    return is_sticky(Comment(1, body, BOT["login"]), MARKER, BOT["login"])


def test_a_bad_boolean_input_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps(pr_event()))
    monkeypatch.setenv("GITHUB_EVENT_NAME", "pull_request")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("INPUT_DEBUG", "yes")
    assert main(["action"]) == 2


def test_refinements_are_part_of_the_prs_request_and_survive_a_push(tmp_path: Path) -> None:
    plan_file = tmp_path / "gate-out" / "gate-plan.json"
    with fake_github() as fake:
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path)[0]) == 0
        first = json.loads(plan_file.read_text())["spec"]
        payload = comment_event("/gate plan also add an SQS queue named acme-jobs", WRITER, 2, fake)
        code = run_job(job(fake, "issue_comment", payload, tmp_path)[0])
        refined = json.loads(plan_file.read_text())
        comment_event("/gate plan also add an SNS topic named not-by-a-writer", READER, 2, fake)
        assert run_job(job(fake, "pull_request", pr_event("synchronize"), tmp_path)[0]) == code
        pushed = json.loads(plan_file.read_text())
        # a refinement that asks for what is there is an answer; one the gate cannot read is listed, not fatal
        payload = comment_event("/gate plan also add an SQS queue named acme-jobs", WRITER, 2, fake)
        assert run_job(job(fake, "issue_comment", payload, tmp_path)[0]) == code
        payload = comment_event("/gate plan remove the table nothing", WRITER, 2, fake)
        assert run_job(job(fake, "issue_comment", payload, tmp_path)[0]) == code
        answered = json.loads(plan_file.read_text())
    assert fake.violations == []
    assert refined["request"]["origin"] == "pr-body"
    assert refined["request"]["refinements"] == ["also add an SQS queue named acme-jobs"]
    names = json.dumps(refined["spec"])
    assert "acme-invoices" in names and "acme-jobs" in names, names  # kept the bucket, added the queue
    assert first != refined["spec"]
    assert code == (0 if refined["verdict"]["decision"] == "pass" else 1)  # the exit code follows the verdict
    assert pushed["spec"]["resources"] == refined["spec"]["resources"], "the push kept the refinement"
    assert pushed["request"]["refinements"] == refined["request"]["refinements"], "a reader's comment is not one"
    assert answered["spec"]["resources"] == refined["spec"]["resources"]
    fields = [a["field"] for a in answered["spec"]["assumptions"]]
    assert "no-change" in fields and "refinement-refused" in fields
    body = str(_sticky(fake)[0]["body"])
    assert "No change:" in body and "Refinement not applied:" in body
    assert len(_sticky(fake)) == 1
    assert [s["state"] for s in fake.statuses][-1] == ("success" if code == 0 else "failure")
