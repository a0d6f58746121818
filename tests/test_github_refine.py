"""A '/gate plan <text>' refinement on the PR, against the fake GitHub: one that changes nothing keeps the reviewed
plan (the same gate-plan.json bytes in the artifact and the same record in the sticky comment, no new status or
check run) and answers "no change"; one that changes something is planned, its assumptions recomputed exactly as
``devops-gate plan --previous`` recomputes them (the same spec on both paths)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main
from gate.publish.artifact import reviewed_plan
from gate.publish.comment import read_plan_record
from gate.publish.flow import run_job
from gate.report.comment import marker
from tests.fakes.github_env import BODY, WRITER, client, comment_event, fake_github, job, outputs, pr_event
from tests.fakes.github_files import change_file
from tests.fakes.github_server import BOT, FakeGitHub
from tests.test_github_iac import PUBLIC_BUCKET, no_git  # noqa: F401  (fixture)

MARKER = marker("default")
CONFIG = "checks:\n  enabled: [cfn-lint, policies, secrets]\n"  # checkov is slow and a refinement does not need it
QUEUE = "Create an SQS queue named jobs; retry each message 5 times"
QUEUE_BODY = BODY.replace("Create an S3 bucket named acme-invoices with versioning enabled", QUEUE)


@pytest.fixture
def config(workdir: Path) -> str:
    (workdir / ".gate.yml").write_text(CONFIG)
    return str(workdir / ".gate.yml")


def _sticky(fake: FakeGitHub) -> dict[str, Any]:
    [comment] = [c for c in fake.pr_comments(2) if str(c["body"]).startswith(MARKER) and c["user"] == BOT]
    return comment


def _upload(fake: FakeGitHub, out: Path) -> None:
    """What the workflow's upload-artifact step does after each run: gate-out/ as the artifact gate-plan-pr-2."""
    files = {str(p.relative_to(out)): p.read_text() for p in sorted(out.rglob("*")) if p.is_file()}
    fake.add_artifact("gate-plan-pr-2", files, fake.pulls[2]["head"]["sha"])


def _writes(fake: FakeGitHub) -> list[tuple[str, str]]:
    """Every write the gate made: statuses, check runs, comments (reactions left out)."""
    return [(m, p) for m, p, _ in fake.requests if m != "GET" and "/reactions" not in p]


def test_a_refinement_that_changes_nothing_keeps_the_reviewed_plan_and_answers_no_change(
    tmp_path: Path, config: str
) -> None:
    out = tmp_path / "gate-out"
    with fake_github() as fake:
        first = run_job(job(fake, "pull_request", pr_event(), tmp_path, config_path=config)[0])
        _upload(fake, out)
        reviewed = (out / "gate-plan.json").read_bytes()
        sticky, statuses, runs = _sticky(fake)["body"], list(fake.statuses), json.dumps(fake.check_runs)
        writes = len(_writes(fake))
        payload = comment_event("/gate plan enable versioning on the bucket", WRITER, 2, fake)
        gate_job, log = job(fake, "issue_comment", payload, tmp_path, config_path=config)
        code = run_job(gate_job)
        _upload(fake, out)  # the comment workflow uploads gate-out/ again (overwrite: true)
        merge = tmp_path / "merge"
        merge.mkdir()
        found = reviewed_plan(client(fake), gate_job.client.get_pull(2), gate_job.settings, MARKER, print, merge)
        merged_reads = found.read_bytes()
    assert fake.violations == []
    assert code == first, "the exit code is the reviewed plan's verdict"
    sha = hashlib.sha256(reviewed).hexdigest()
    assert (out / "gate-plan.json").read_bytes() == reviewed, "the reviewed gate-plan.json, byte for byte"
    assert merged_reads == reviewed, "merge finds the reviewed plan in the newest artifact"
    assert _sticky(fake)["body"] == sticky and read_plan_record(str(sticky)) == (sha, fake.pulls[2]["head"]["sha"])
    assert fake.statuses == statuses and json.dumps(fake.check_runs) == runs, "no new status or check run"
    [(method, path)] = _writes(fake)[writes:]  # the one write: the answer to the comment
    assert method == "POST" and path.endswith("/issues/2/comments")
    answer = str(fake.pr_comments(2)[-1]["body"])
    assert answer.startswith("devops-gate: no change:") and "enable versioning on the bucket" in answer
    assert sha[:12] in answer and "kept as it was" in answer
    said = outputs(tmp_path)
    assert said["verdict"] == json.loads(reviewed)["verdict"]["decision"] and said["plan-path"] == str(
        out / "gate-plan.json"
    )
    assert said["comment-url"] == _sticky(fake)["html_url"]
    assert log[-1].startswith(f"devops-gate: {said['verdict']} "), log[-1]


def test_after_a_push_the_same_refinement_is_planned_for_the_new_head(tmp_path: Path, config: str) -> None:
    out = tmp_path / "gate-out"
    with fake_github() as fake:
        run_job(job(fake, "pull_request", pr_event(), tmp_path, config_path=config)[0])
        _upload(fake, out)
        fake.pulls[2]["head"]["sha"] = "9" * 40  # a push the PR workflow has not planned yet
        payload = comment_event("/gate plan enable versioning on the bucket", WRITER, 2, fake)
        gate_job, log = job(fake, "issue_comment", payload, tmp_path, config_path=config)
        run_job(gate_job)
    assert fake.violations == []
    record = read_plan_record(str(_sticky(fake)["body"]))
    assert record is not None and record[1] == "9" * 40, "the plan of the new head is recorded"
    assert fake.statuses[-1]["sha"] == "9" * 40
    assert any("planned with the whole request: the reviewed plan was made for commit" in line for line in log), log


def test_a_refinement_that_changes_something_gives_the_spec_the_cli_gives(tmp_path: Path, config: str) -> None:
    refinement = "retry each message 4 times"
    out = tmp_path / "gate-out"
    with fake_github(QUEUE_BODY) as fake:
        run_job(job(fake, "pull_request", pr_event(body=QUEUE_BODY), tmp_path, config_path=config)[0])
        _upload(fake, out)
        reviewed, checks = (out / "gate-plan.json").read_bytes(), len(fake.check_runs)
        payload = comment_event(f"/gate plan {refinement}", WRITER, 2, fake)
        gate_job, log = job(fake, "issue_comment", payload, tmp_path, config_path=config)
        run_job(gate_job)
    assert fake.violations == []
    refined = (out / "gate-plan.json").read_bytes()
    assert refined != reviewed and len(fake.check_runs) > checks, "a new plan, a new check run"
    assert read_plan_record(str(_sticky(fake)["body"]))[0] == hashlib.sha256(refined).hexdigest()  # type: ignore[index]
    assert any("changes the reviewed plan" in line for line in log), log
    pr = json.loads(refined)["spec"]
    # the CLI: the same request, then the same refinement with --previous
    assert main(["plan", "--request", QUEUE, "--out", "cli-a"]) in (0, 1)
    main(["plan", "--previous", "cli-a/gate-plan.json", "--request", refinement, "--out", "cli-b"])
    cli = json.loads(Path("cli-b/gate-plan.json").read_text())["spec"]
    assert pr["resources"] == cli["resources"]
    assert pr["assumptions"] == cli["assumptions"], "assumptions recomputed the same way"
    assert pr["readings"] == cli["readings"]
    (queue,) = pr["resources"]
    assert queue["dead_letter"]["max_receive_count"] == 4
    notes = [(a["field"], a["value"]) for a in pr["assumptions"] if a["resource"] == "jobs"]
    assert ("dead_letter", "after 5 receives") not in notes, "never carried stale"
    assert ("dead_letter", "after 4 receives") in notes and ("refined", "dead_letter") in notes


@pytest.mark.usefixtures("no_git")  # nothing of the PR is checked out: its files come through the API
def test_with_hand_written_iac_too_both_reviewed_plans_and_the_stricter_verdict_are_kept(tmp_path: Path) -> None:
    out = tmp_path / "gate-out"
    with fake_github() as fake:
        change_file(fake, 2, "infra/assets.yaml", PUBLIC_BUCKET)
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path)[0]) == 1  # the hand-written bucket: blocked
        _upload(fake, out)
        before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        statuses, runs = list(fake.statuses), len(fake.check_runs)
        payload = comment_event("/gate plan enable versioning on the bucket", WRITER, 2, fake)
        assert run_job(job(fake, "issue_comment", payload, tmp_path)[0]) == 1
    assert fake.violations == []
    assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert "hand-written/gate-plan.json" in before
    assert fake.statuses == statuses and len(fake.check_runs) == runs
    assert outputs(tmp_path)["verdict"] == "blocked"
    assert "BLOCKED" in str(fake.pr_comments(2)[-1]["body"])
