"""Check runs against the fake GitHub, which validates every request against GitHub's OpenAPI description
(50 annotations at most per request, the conclusion and annotation levels from GitHub's enums)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gate.publish.checks import Annotation, CheckRunReport, check_name
from gate.publish.contexts import plan_context
from gate.publish.flow import run_job
from tests.fakes.github_env import client, fake_github, job, pr_event
from tests.fakes.github_files import change_file
from tests.fakes.github_server import FakeGitHub
from tests.test_github_iac import NO_REQUEST, PRIVATE_BUCKET, PUBLIC_BUCKET, no_git  # noqa: F401  (fixture)

PLAN_CONTEXT = plan_context("default")

# no_git: an empty working folder and a git that records any call (nothing from the PR is checked out)
pytestmark = pytest.mark.usefixtures("no_git")


def _runs(fake: FakeGitHub, name: str) -> list[dict[str, Any]]:
    return [r for r in fake.check_runs if r["name"] == name]


def test_a_blocked_hand_written_plan_is_a_failed_check_run_with_annotations_on_its_lines(
    tmp_path: Path,
) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "infra/assets.yaml", head=PUBLIC_BUCKET, base=PRIVATE_BUCKET)
        gate_job, log = job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)
        assert run_job(gate_job) == 1
    assert fake.violations == []
    [run] = _runs(fake, "devops-gate plan (default)")
    head = fake.pulls[2]["head"]["sha"]
    assert run["head_sha"] == head and run["status"] == "completed" and run["conclusion"] == "failure"
    assert run["details_url"] == "https://github.com/o/r/actions/runs/7"
    assert run["output"]["title"].startswith("blocked: ")
    summary = run["output"]["summary"]
    assert "**hand-written IaC: blocked**" in summary and "- findings: " in summary and "- cost: " in summary
    annotations = run["annotations"]
    assert annotations and {a["path"] for a in annotations} == {"infra/assets.yaml"}
    lines = PUBLIC_BUCKET.splitlines()
    assert all(1 <= a["start_line"] <= len(lines) for a in annotations)
    assert any(a["title"].endswith("CKV_AWS_20") and a["annotation_level"] == "failure" for a in annotations)
    levels = [a["annotation_level"] for a in annotations]
    assert levels == sorted(levels, key=["failure", "warning", "notice"].index), "the most severe first"
    # 'both' (the default) keeps the status; the log carries no per-finding ::error (the check run has them)
    assert [(s["context"], s["state"]) for s in fake.statuses][-1] == (PLAN_CONTEXT, "failure")
    assert not any(line.startswith("::error file=") for line in log)
    assert any("annotated in the check run 'devops-gate plan (default)'" in line for line in log)


def test_two_environments_give_two_check_runs(tmp_path: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "infra/assets.yaml", head=PUBLIC_BUCKET, base=PRIVATE_BUCKET)
        for env in ("staging", "prod"):
            gate_job, _ = job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path / env, environment=env)
            assert run_job(gate_job) == 1
    assert fake.violations == []
    assert [r["name"] for r in fake.check_runs] == [check_name("plan", "staging"), check_name("plan", "prod")]
    assert {r["conclusion"] for r in fake.check_runs} == {"failure"}


def test_a_generated_plan_points_its_findings_at_the_change_request_not_at_template_yaml(tmp_path: Path) -> None:
    body = "Storage.\n\n## Change request\nCreate a public S3 bucket named acme-site for a static website\n"
    with fake_github(body=body) as fake:
        gate_job, _ = job(fake, "pull_request", pr_event(body=body), tmp_path, publish_as="checks", fail_on="info")
        run_job(gate_job)
    assert fake.violations == []
    assert fake.statuses == [], "publish-as checks sets no commit status"
    [run] = fake.check_runs
    assert run["conclusion"] in ("failure", "action_required"), run["output"]["title"]
    assert all(a["path"] not in ("template.yaml", "main.tf") for a in run["annotations"])
    assert run["annotations"] == [], "a request in the PR description has no file to annotate"
    assert "findings on the generated plan" in run["output"]["text"]
    assert "The request came from the PR description" in run["output"]["text"]


def test_statuses_only_sets_no_check_run_and_caps_the_log_at_ten_per_level(tmp_path: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "infra/assets.yaml", head=PUBLIC_BUCKET, base=PRIVATE_BUCKET)
        gate_job, log = job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path, publish_as="statuses")
        assert run_job(gate_job) == 1
    assert fake.check_runs == []
    errors = [line for line in log if line.startswith("::error file=infra/assets.yaml")]
    assert 1 <= len(errors) <= 10


def test_a_token_without_checks_write_still_gets_the_status_and_a_warning(tmp_path: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "infra/assets.yaml", head=PUBLIC_BUCKET, base=PRIVATE_BUCKET)
        fake.fail_next("POST", r"/check-runs$", 403, times=10)
        gate_job, log = job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)
        assert run_job(gate_job) == 1
    assert fake.check_runs == []
    assert fake.statuses[-1]["state"] == "failure"
    assert any(line.startswith("::warning") and "checks: write" in line for line in log)


def test_annotations_go_fifty_a_request_and_all_arrive() -> None:
    notes = tuple(Annotation("infra/a.tf", i + 1, "warning", f"rule {i}", f"finding {i}") for i in range(120))
    report = CheckRunReport("devops-gate plan (prod)", "failure", "blocked: x", "summary", annotations=notes)
    with fake_github() as fake:
        run_id = client(fake).publish_check_run("a" * 40, report, None)
    assert fake.violations == []
    [run] = fake.check_runs
    assert run["id"] == run_id and run["requests"] == 3  # one create, two updates
    assert [a["start_line"] for a in run["annotations"]] == list(range(1, 121))
    sent = [len((body or {}).get("output", {}).get("annotations", [])) for m, path, body in fake.requests]
    assert [n for n in sent if n] == [50, 50, 20]
