"""``devops-gate action`` on a pull request that edits CloudFormation/Terraform by hand.

The PR's files come from a fake GitHub that checks every request against GitHub's OpenAPI description: the file
list (paginated), each file read at the PR's head commit through the contents API, the cost base read at its base
commit. Nothing from the PR is checked out: a ``git`` on PATH that records any call proves it is never run.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from gate.intake.pr_iac import DEFAULT_IAC_PATHS, parse_globs, selected
from gate.publish.comment import read_plan_record
from gate.publish.contexts import apply_context, plan_context
from gate.publish.flow import run_job
from gate.report.comment import marker
from tests.conftest import FIXTURES
from tests.fakes.github_env import fake_github, job, outputs, pr_event
from tests.fakes.github_files import change_file
from tests.fakes.github_server import BOT, FakeGitHub
from tests.test_check_cli import INSTANCE

PLAN_CONTEXT, APPLY_CONTEXT = plan_context("default"), apply_context("default")

MARKER = marker("default")
NO_REQUEST = "Tidy up the infrastructure by hand.\n\n## Testing\nn/a\n"
PUBLIC_BUCKET = (FIXTURES / "iac" / "public-bucket.yaml").read_text()
PRIVATE_BUCKET = (FIXTURES / "iac" / "private-bucket.yaml").read_text()
QUEUE_TF = 'resource "aws_sqs_queue" "jobs" {\n  name = "acme-jobs"\n  sqs_managed_sse_enabled = true\n}\n'


@pytest.fixture
def no_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder (no checkout of anything) and a ``git`` that records every call to it."""
    work, bindir = tmp_path / "work", tmp_path / "bin"
    work.mkdir()
    bindir.mkdir()
    calls = tmp_path / "git-calls"
    (bindir / "git").write_text(f'#!/bin/sh\necho "$@" >> {calls}\nexit 1\n')
    (bindir / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    monkeypatch.chdir(work)
    return calls


def _sticky(fake: FakeGitHub, pr: int = 2) -> list[dict[str, Any]]:
    return [c for c in fake.pr_comments(pr) if str(c["body"]).startswith(MARKER) and c["user"] == BOT]


def _shas(fake: FakeGitHub) -> tuple[str, str]:
    pull = fake.pulls[2]
    return pull["head"]["sha"], pull["base"]["sha"]


def _plan(tmp_path: Path, sub: str = "") -> dict[str, Any]:
    plan: dict[str, Any] = json.loads((tmp_path / "gate-out" / sub / "gate-plan.json").read_text())
    return plan


def test_a_hand_edited_public_bucket_is_blocked_and_read_at_the_head_commit(tmp_path: Path, no_git: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "infra/assets.yaml", head=PUBLIC_BUCKET, base=PRIVATE_BUCKET)
        change_file(fake, 2, "README.md", head="# docs\n", base="# doc\n")  # not IaC: not even read
        gate_job, _ = job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path / "run")
        assert run_job(gate_job) == 1
    assert fake.violations == []
    head, base = _shas(fake)
    assert fake.reads == [("infra/assets.yaml", head), ("infra/assets.yaml", base)]
    assert not no_git.exists(), "git was run"
    assert not (Path.cwd() / "infra").exists()  # nothing from the PR is written where it could be run
    states = [(s["context"], s["state"], s["sha"]) for s in fake.statuses]
    assert states == [(PLAN_CONTEXT, "pending", head), (PLAN_CONTEXT, "failure", head)]
    [comment] = _sticky(fake)
    body = str(comment["body"])
    assert "CKV_AWS_20" in body and "`infra/assets.yaml` (modified)" in body
    assert f"head commit `{head[:12]}`" in body and "nothing from the pull request was checked out" in body
    plan = _plan(tmp_path / "run")
    assert plan["iac"]["origin"] == "hand-written" and plan["request"] is None
    assert [f["path"] for f in plan["iac"]["files"]] == ["infra/assets.yaml"]
    assert plan["context"]["head_sha"] == head and plan["change_set_id"] is None  # no preview of a PR's file
    out = outputs(tmp_path / "run")
    assert out["verdict"] == "blocked" and out["comment-url"].endswith(f"#issuecomment-{comment['id']}")
    sarif = json.loads((tmp_path / "run" / "gate-out" / "results.sarif").read_text())
    assert any(r["ruleId"] == "CKV_AWS_20" for r in sarif["runs"][0]["results"])
    [check] = fake.check_runs  # the findings are annotations of the check run (test_github_checks.py)
    assert any(a["path"] == "infra/assets.yaml" and "CKV_AWS_20" in a["title"] for a in check["annotations"])


def test_a_new_terraform_file_has_an_empty_cost_base(tmp_path: Path, no_git: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "infra/queue.tf", head=QUEUE_TF)
        assert run_job(job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)[0]) in (0, 1)
    assert fake.violations == []
    head, base = _shas(fake)
    assert fake.reads == [("infra/queue.tf", head), ("infra/queue.tf", base)]  # 404 at the base: a new file
    cost = _plan(tmp_path)["cost"]
    assert cost["base"].startswith(f"GitHub base master at {base[:12]}")
    assert cost["monthly_before"] == 0
    assert {line["logical_id"]: line["change"] for line in cost["lines"]} == {"aws_sqs_queue.jobs": "add"}
    assert "`infra/queue.tf` (added; new, no cost base)" in str(_sticky(fake)[0]["body"])


def test_a_changed_instance_type_is_costed_against_the_base_commit(tmp_path: Path, no_git: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(
            fake, 2, "stacks/web.yaml", INSTANCE.format(name="Web", size="t3.large"),
            base=INSTANCE.format(name="Web", size="t3.small"),
        )  # fmt: skip
        gate_job, _ = job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)
        code = run_job(gate_job)
    assert fake.violations == []
    plan = _plan(tmp_path)
    assert code == (0 if plan["verdict"]["decision"] == "pass" else 1)
    cost = plan["cost"]
    assert {line["logical_id"]: (line["change"], line["monthly_delta"]) for line in cost["lines"]} == {
        "Web": ("modify", 45.56)
    }
    assert cost["monthly_delta"] == pytest.approx(45.56)
    assert outputs(tmp_path)["cost-delta"] == "45.56"


def test_a_renamed_and_a_removed_template(tmp_path: Path, no_git: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        web = INSTANCE.format(name="Web", size="t3.small")
        change_file(fake, 2, "stacks/web.yaml", web, base=web, previous="old/web.yaml")
        change_file(fake, 2, "stacks/old.yaml", None, base=INSTANCE.format(name="Old", size="t3.micro"))
        change_file(fake, 2, ".github/workflows/ci.yml", "on: push\njobs: {}\n")  # YAML, not CloudFormation
        run_job(job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)[0])
    assert fake.violations == []
    head, base = _shas(fake)
    assert ("old/web.yaml", base) in fake.reads and ("stacks/old.yaml", head) not in fake.reads
    plan = _plan(tmp_path)
    assert [f["path"] for f in plan["iac"]["files"]] == ["stacks/web.yaml"]  # the removed file is not gated
    changes = {line["logical_id"]: line["change"] for line in plan["cost"]["lines"]}
    assert changes == {"stacks/web.yaml:Web": "same", "stacks/old.yaml:Old": "remove"}
    body = str(_sticky(fake)[0]["body"])
    assert "`stacks/web.yaml` (renamed)" in body
    assert "**Removed**" in body and "`stacks/old.yaml`" in body
    assert "**Passed over**" in body and "`.github/workflows/ci.yml`" in body


def test_no_request_and_no_iac_is_nothing_to_gate(tmp_path: Path, no_git: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "src/app.py", "print('hi')\n", base="print('hello')\n")
        change_file(fake, 2, "package.json", '{"name": "app"}\n', base='{"name": "ap"}\n')  # JSON, not CFN
        gate_job, _ = job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)
        assert run_job(gate_job) == 0
    assert fake.violations == []
    assert fake.pr_comments(2) == []  # no comment on a PR the gate has nothing to say about
    assert fake.statuses[-1]["state"] == "success"
    assert fake.statuses[-1]["description"].startswith("nothing to gate")
    assert outputs(tmp_path)["verdict"] == "nothing-to-gate"
    assert not (tmp_path / "gate-out" / "gate-plan.json").exists()


def test_nothing_to_gate_replaces_an_earlier_sticky_comment(tmp_path: Path, no_git: Path) -> None:
    with fake_github() as fake:
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path / "first")[0]) == 0
        fake.pulls[2]["body"] = NO_REQUEST  # the author took the change request out again
        assert run_job(job(fake, "pull_request", pr_event("edited", body=NO_REQUEST), tmp_path / "second")[0]) == 0
    assert fake.violations == []
    [comment] = _sticky(fake)
    assert "nothing to gate" in str(comment["body"])
    assert "devops-gate:plan sha256=" not in str(comment["body"])  # the old plan record is gone: nothing to apply
    assert outputs(tmp_path / "second")["comment-url"].endswith(f"#issuecomment-{comment['id']}")


def test_a_pr_with_more_files_than_one_page_is_read_to_the_end(tmp_path: Path, no_git: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        for n in range(230):
            change_file(fake, 2, f"docs/page-{n:03}.md", f"page {n}\n", base=f"page {n}.\n")
        change_file(fake, 2, "infra/assets.yaml", PUBLIC_BUCKET, base=PRIVATE_BUCKET)  # on the last page
        assert run_job(job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)[0]) == 1
    assert fake.violations == []
    pages = [p for m, p, _ in fake.requests if m == "GET" and p.endswith("/pulls/2/files")]
    assert len(pages) == 3  # 231 files, 100 a page
    assert "CKV_AWS_20" in str(_sticky(fake)[0]["body"])


def test_a_request_and_hand_written_iac_are_both_gated(tmp_path: Path, no_git: Path) -> None:
    with fake_github() as fake:
        change_file(fake, 2, "infra/assets.yaml", PUBLIC_BUCKET)
        gate_job, _ = job(fake, "pull_request", pr_event(), tmp_path)
        assert run_job(gate_job) == 1  # the request passes; the hand-written bucket does not
    assert fake.violations == []
    request_plan, hand_plan = _plan(tmp_path), _plan(tmp_path, "hand-written")
    assert request_plan["iac"]["origin"] == "synthesised" and request_plan["verdict"]["decision"] == "pass"
    assert hand_plan["iac"]["origin"] == "hand-written" and hand_plan["verdict"]["decision"] == "blocked"
    [comment] = _sticky(fake)
    body = str(comment["body"])
    assert (
        "**Overall: blocked.** The change request: passed. The hand-written IaC this pull request changes: blocked"
        in body
    )
    assert "acme-invoices" in body.replace("\\", "") and "CKV_AWS_20" in body
    assert body.index("Also gated: the hand-written IaC") > body.index("acme")
    assert fake.statuses[-1]["state"] == "failure"
    assert fake.statuses[-1]["description"].startswith("hand-written IaC: ")  # the stricter plan first
    out = outputs(tmp_path)
    assert out["verdict"] == "blocked" and out["plan-path"].endswith("gate-out/gate-plan.json")
    record = read_plan_record(body)
    digest = hashlib.sha256((tmp_path / "gate-out" / "gate-plan.json").read_bytes()).hexdigest()
    assert record is not None and record[0] == digest  # the request's plan is the one applied on merge


def test_iac_paths_narrow_what_is_read(tmp_path: Path, no_git: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "infra/assets.yaml", PUBLIC_BUCKET)
        change_file(fake, 2, "sandbox/play.yaml", PUBLIC_BUCKET)
        gate_job, _ = job(
            fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path, iac_paths=parse_globs("infra/**\n!**/*.md")
        )
        assert run_job(gate_job) == 1
    assert {path for path, _ in fake.reads} == {"infra/assets.yaml"}


@pytest.mark.parametrize(
    ("path", "globs", "chosen"),
    [
        ("main.tf", DEFAULT_IAC_PATHS, True),
        ("infra/deep/net.template", DEFAULT_IAC_PATHS, True),
        ("README.md", DEFAULT_IAC_PATHS, False),
        ("infra/a.yaml", ("infra/*.yaml",), True),
        ("infra/sub/a.yaml", ("infra/*.yaml",), False),
        ("infra/sub/a.yaml", ("infra/**",), True),
        ("main.tf", ("*.tf",), True),
        ("modules/x/main.tf", ("*.tf",), False),
        ("infra/test/a.yaml", ("infra/**", "!infra/test/**"), False),
        ("infra/test/a.yaml", ("!infra/test/**", "infra/**"), True),  # the last match wins
        ("infra/a1.yaml", ("infra/a?.yaml",), True),
        ("infra/ab.json", ("infra/a[bc].json",), True),
    ],
)
def test_iac_path_globs(path: str, globs: tuple[str, ...], chosen: bool) -> None:
    assert selected(path, globs) is chosen


def test_iac_paths_input_parsing() -> None:
    assert parse_globs("") == DEFAULT_IAC_PATHS
    assert parse_globs(" infra/**.tf ,\nstacks/*.yaml\n\n") == ("infra/**.tf", "stacks/*.yaml")


def test_merge_does_not_deploy_a_plan_of_hand_written_iac(tmp_path: Path, no_git: Path) -> None:
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "infra/assets.yaml", PRIVATE_BUCKET, base=PUBLIC_BUCKET)
        assert run_job(job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)[0]) == 0
        out = tmp_path / "gate-out"
        files = {p.name: p.read_text() for p in out.iterdir() if p.is_file()}
        fake.add_artifact("gate-plan-pr-2", files, fake.pulls[2]["head"]["sha"])
        payload = pr_event("closed", body=NO_REQUEST)
        payload["pull_request"].update(merged=True, merge_commit_sha="f" * 40)
        fake.pulls[2].update(merged=True, merge_commit_sha="f" * 40, state="closed")
        merged_job, _ = job(fake, "pull_request", payload, tmp_path / "merge")
        assert run_job(merged_job) == 0
    assert fake.violations == []
    assert [s["state"] for s in fake.statuses if s["context"] == APPLY_CONTEXT] == ["pending", "success"]
    assert fake.statuses[-1]["description"].startswith("nothing to apply: the reviewed plan gated hand-written IaC")
    assert outputs(tmp_path / "merge")["verdict"] == "nothing-to-apply"
    assert any("devops-gate apply --plan" in c["body"] for c in fake.pr_comments(2))


def test_a_pr_beyond_githubs_file_list_limit_cannot_be_planned(tmp_path: Path, no_git: Path) -> None:
    from gate.errors import GateError

    with fake_github(body=NO_REQUEST) as fake, pytest.raises(GateError, match="GitHub lists only the first 3000"):
        for n in range(3001):  # the 3001st could be the template that makes it public: fail closed
            change_file(fake, 2, f"docs/page-{n:04}.md", f"page {n}\n", base="")
        run_job(job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)[0])
    assert fake.violations == []
    assert fake.statuses[-1]["state"] == "failure" and "changes 3001 files" in fake.statuses[-1]["description"]
    assert "cannot plan" in str(_sticky(fake)[0]["body"])


def test_a_file_path_outside_the_repository_is_refused(tmp_path: Path, no_git: Path) -> None:
    from gate.errors import GateError

    with fake_github(body=NO_REQUEST) as fake, pytest.raises(GateError, match="not a file path inside"):
        change_file(fake, 2, "infra/../../etc/evil.yaml", PUBLIC_BUCKET)
        run_job(job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)[0])
    assert fake.reads == []  # refused before anything was read or written
    assert fake.statuses[-1]["state"] == "failure"


def test_gate_plan_on_a_pr_with_nothing_to_gate_gets_an_answer(tmp_path: Path, no_git: Path) -> None:
    from tests.fakes.github_env import WRITER, comment_event

    with fake_github(body=NO_REQUEST) as fake:
        assert run_job(job(fake, "issue_comment", comment_event("/gate plan", WRITER, 2, fake), tmp_path)[0]) == 0
    assert fake.violations == []
    [comment] = _sticky(fake)
    assert "nothing to gate" in str(comment["body"])
    assert fake.statuses[-1]["state"] == "success"


CORPUS_REPO = FIXTURES / "real" / "terraform" / "repo"
GIT_MODULE = 'module "network" {\n  source = "git::https://git.example.com/acme/network.git?ref=v3.0.0"\n}\n'


def test_modules_a_changed_root_calls_are_read_through_the_api_and_scanned(tmp_path: Path, no_git: Path) -> None:
    root = (CORPUS_REPO / "live" / "prod" / "main.tf").read_text()
    with fake_github(body=NO_REQUEST) as fake:
        change_file(fake, 2, "live/prod/main.tf", head=root + GIT_MODULE, base=root)
        head, base = _shas(fake)
        for module in ("bucket", "kms"):  # untouched by the PR: only in the head commit's tree
            fake.trees[head][f"modules/{module}/main.tf"] = (CORPUS_REPO / "modules" / module / "main.tf").read_text()
        fake.trees[head]["modules/bucket/README.md"] = "# bucket\n"  # listed, not read: not Terraform
        assert run_job(job(fake, "pull_request", pr_event(body=NO_REQUEST), tmp_path)[0]) == 1
    assert fake.violations == [], "every listing and read is a request GitHub's API describes"
    ran = no_git.read_text().split("\n") if no_git.exists() else []
    assert set(ran) <= {"version", ""}, "nothing was checked out (checkov's git loader only asks git its version)"
    assert fake.reads == [
        ("live/prod/main.tf", head),
        ("live/prod/main.tf", base),
        ("modules/bucket", head),
        ("modules/bucket/main.tf", head),
        ("modules/kms", head),
        ("modules/kms/main.tf", head),
    ], f"each module folder listed and its Terraform read once, at the head commit: {fake.reads}"
    plan = _plan(tmp_path)
    findings = [f for report in plan["checks"] for f in report["findings"]]
    found = {(f["check_id"], f["resource"], f["file"]) for f in findings}
    assert ("CKV_AWS_7", "module.invoices.module.key.aws_kms_key.this", "live/prod/main.tf") in found
    assert ("CKV_AWS_53", "module.exports.aws_s3_bucket_public_access_block.this", "live/prod/main.tf") in found
    [remote] = [f for f in findings if f["check_id"] == "GATE-TF-001"]
    assert remote["resource"] == "module.network" and "not in .terraform/modules" in remote["title"]
    rows = {r["logical_id"] for r in plan["resources"]}
    assert rows == {"aws_sqs_queue.jobs"}, "module files are read for the scan, not listed as changed resources"
