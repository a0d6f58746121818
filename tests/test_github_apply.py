"""The merge side of the GitHub Action: the PR's reviewed plan is found, verified against the record in the
gate's own sticky comment, and applied on the moto server; a fork PR never reaches apply."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from gate.audit import FileAuditLog
from gate.cloud.aws import AwsTarget
from gate.errors import GateError
from gate.publish.contexts import apply_context
from gate.publish.flow import run_job
from tests.fakes.github_env import BODY, example, fake_github, job, pr_event
from tests.fakes.github_server import FakeGitHub

APPLY_CONTEXT = apply_context("default")


def _merged(fake: FakeGitHub) -> dict[str, object]:
    payload = pr_event("closed")
    payload["pull_request"]["merged"] = True
    payload["pull_request"]["merge_commit_sha"] = "f" * 40
    fake.pulls[2].update(merged=True, merge_commit_sha="f" * 40, state="closed")
    return payload


@pytest.fixture
def gate_config(tmp_path: Path, moto: AwsTarget, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    stack = f"gate-action-{uuid.uuid4().hex[:8]}"
    (tmp_path / ".gate.yml").write_text(
        f"version: 1\nstack_name: {stack}\naws:\n  region: us-east-1\n  endpoint_url: {moto.endpoint_url}\n"
        f"deploy:\n  bake_minutes: 0\n  poll_seconds: 0.2\n  lock_table: gate-action-locks\n"
    )
    return str(tmp_path / ".gate.yml")


def _upload_plan(fake: FakeGitHub, out: Path, head: str) -> None:
    files = {p.name: p.read_text() for p in out.iterdir() if p.is_file()}
    fake.add_artifact("gate-plan-pr-2", files, head)


def test_a_fork_pr_never_reaches_apply(tmp_path: Path) -> None:
    with fake_github() as fake:
        payload = _merged(fake)
        fake.pulls[2]["head"]["repo"]["full_name"] = "mallory/Hello-World"
        payload["pull_request"]["head"]["repo"]["full_name"] = "mallory/Hello-World"
        gate_job, log = job(fake, "pull_request", payload, tmp_path)
        assert run_job(gate_job) == 1
    assert fake.violations == []
    assert [(s["context"], s["state"]) for s in fake.statuses] == [(APPLY_CONTEXT, "failure")]
    assert "fork" in fake.statuses[0]["description"]
    assert not any("artifacts" in path for _, path, _ in fake.requests)  # never even looked for a plan
    assert any("comes from a fork" in line for line in log)


def test_merge_applies_the_reviewed_plan_and_refuses_a_tampered_one(tmp_path: Path, gate_config: str) -> None:
    out = tmp_path / "gate-out"
    # the moto server is shared by the test session and bucket names are global: this PR gets its own bucket
    body = BODY.replace("acme-invoices", f"acme-merge-{uuid.uuid4().hex[:8]}")
    with fake_github(body) as fake:
        assert run_job(job(fake, "pull_request", pr_event(body=body), tmp_path, config_path=gate_config)[0]) == 0
        head = fake.pulls[2]["head"]["sha"]
        _upload_plan(fake, out, head)
        plan = json.loads((out / "gate-plan.json").read_text())
        plan["verdict"] = {"decision": "pass", "reasons": ["trust me"]}
        fake.add_artifact("gate-plan-pr-2", {"gate-plan.json": json.dumps(plan)}, head)  # newer, not reviewed
        merged_job, log = job(fake, "pull_request", _merged(fake), tmp_path / "merge", config_path=gate_config)
        code = run_job(merged_job)
    assert fake.violations == []
    assert code == 0, log
    apply_states = [s["state"] for s in fake.statuses if s["context"] == APPLY_CONTEXT]
    assert apply_states == ["pending", "success"]
    assert any("reviewed plan" in line and "found" in line for line in log)
    downloads = [p for m, p, _ in fake.requests if p.endswith("/zip")]
    assert len(downloads) == 2  # both looked at; only the one matching the recorded sha256 applied
    assert any("applied the reviewed plan" in c["body"] for c in fake.pr_comments(2))
    started = [
        r for r in FileAuditLog(tmp_path / ".gate-state" / "audit.jsonl").records() if r["kind"] == "apply-started"
    ]
    assert [r["anchored"] for r in started] == [True], "apply re-checked the plan sha256 recorded on the PR"


def test_push_to_the_default_branch_finds_the_merged_pr(tmp_path: Path) -> None:
    with fake_github() as fake:
        push = example("push", ref="refs/heads/master")
        push["repository"] = fake.repository | {"default_branch": "master"}
        _merged(fake)
        fake.pulls[2]["merge_commit_sha"] = push["after"]
        fake.commit_pulls[push["after"]] = [2]
        gate_job, _ = job(fake, "push", push, tmp_path)
        with pytest.raises(GateError, match="no reviewed plan recorded"):
            run_job(gate_job)  # merged without a gate run: refused
    assert fake.violations == []
    last = fake.statuses[-1]
    assert (last["context"], last["state"], last["sha"]) == (APPLY_CONTEXT, "failure", push["after"])
    assert any("not applied" in c["body"] for c in fake.pr_comments(2))


def test_a_plan_for_another_commit_is_refused(tmp_path: Path) -> None:
    with fake_github() as fake:
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path)[0]) == 0
        fake.pulls[2]["head"]["sha"] = "1" * 40  # pushed after the gate ran
        with pytest.raises(GateError, match="made for commit"):
            run_job(job(fake, "pull_request", _merged(fake), tmp_path / "m")[0])
    assert fake.violations == []


def test_workflow_dispatch_never_applies_an_unmerged_pr(tmp_path: Path) -> None:
    with fake_github() as fake:
        assert run_job(job(fake, "pull_request", pr_event(), tmp_path)[0]) == 0  # reviewed, passing, not merged
        dispatch = example("workflow_dispatch")
        dispatch["inputs"] = {"mode": "apply", "pr": "2"}
        gate_job, log = job(fake, "workflow_dispatch", dispatch, tmp_path / "dispatch")
        with pytest.raises(GateError, match="#2 is not merged"):
            run_job(gate_job)
    assert fake.violations == []
    last = fake.statuses[-1]
    assert (last["context"], last["state"], last["sha"]) == (APPLY_CONTEXT, "failure", fake.pulls[2]["head"]["sha"])
    assert "not merged" in last["description"]
    assert not any("artifacts" in path for _, path, _ in fake.requests)  # never looked for a plan to apply
    assert any("refused" in line for line in log)


def test_workflow_dispatch_apply_needs_a_pr(tmp_path: Path) -> None:
    with fake_github() as fake:
        dispatch = example("workflow_dispatch")
        dispatch["inputs"] = {"mode": "apply"}
        with pytest.raises(GateError, match="needs a pull request"):
            run_job(job(fake, "workflow_dispatch", dispatch, tmp_path)[0])
    assert fake.violations == [] and fake.statuses == []


def test_a_push_applies_only_the_pr_it_merged(tmp_path: Path) -> None:
    """A later push whose commit contains an older merged PR (but is not its merge commit) must not re-apply it."""
    with fake_github() as fake:
        push = example("push", ref="refs/heads/master")
        push["repository"] = fake.repository | {"default_branch": "master"}
        _merged(fake)  # merged at ffff..., long before this push
        fake.commit_pulls[push["after"]] = [2]
        gate_job, _ = job(fake, "push", push, tmp_path)
        with pytest.raises(GateError, match="is not the merge commit of #2"):
            run_job(gate_job)
    assert fake.violations == []
    last = fake.statuses[-1]
    assert (last["context"], last["state"], last["sha"]) == (APPLY_CONTEXT, "failure", push["after"])
    assert not any("artifacts" in path for _, path, _ in fake.requests)
    assert not any("comments" in path for method, path, _ in fake.requests if method == "POST")


def test_a_push_without_a_merged_pr_applies_nothing(tmp_path: Path) -> None:
    with fake_github() as fake:
        push = example("push", ref="refs/heads/master")
        push["repository"] = fake.repository | {"default_branch": "master"}
        gate_job, log = job(fake, "push", push, tmp_path)
        assert run_job(gate_job) == 0
    assert fake.violations == [] and fake.statuses == []
    assert any("nothing to apply" in line for line in log)


APPLY_CHECK = "devops-gate apply (default)"


def test_the_merge_side_apply_is_a_check_run_too(tmp_path: Path, gate_config: str) -> None:
    """``devops-gate apply (ENV)``: the same job and environment as the apply status, on the merge commit, with
    the stack's outcome in its summary; the fake checks every request against GitHub's OpenAPI description."""
    out = tmp_path / "gate-out"
    body = BODY.replace("acme-invoices", f"acme-check-{uuid.uuid4().hex[:8]}")
    with fake_github(body) as fake:
        assert run_job(job(fake, "pull_request", pr_event(body=body), tmp_path, config_path=gate_config)[0]) == 0
        _upload_plan(fake, out, fake.pulls[2]["head"]["sha"])
        merged_job, log = job(fake, "pull_request", _merged(fake), tmp_path / "merge", config_path=gate_config)
        assert run_job(merged_job) == 0, log
    assert fake.violations == []
    [check] = [r for r in fake.check_runs if r["name"] == APPLY_CHECK]
    assert (check["head_sha"], check["status"], check["conclusion"]) == ("f" * 40, "completed", "success")
    stack = json.loads((out / "gate-plan.json").read_text())["stack_name"]
    assert check["output"]["title"].startswith(f"applied the reviewed plan: applied {stack} in us-east-1")
    assert f"**applied** `{stack}` in us-east-1" in check["output"]["summary"]
    assert "plan sha256" in check["output"]["summary"]


def test_an_apply_that_does_not_succeed_says_what_stopped_it(tmp_path: Path, gate_config: str, moto: AwsTarget) -> None:
    """Not 'apply failed (exit 1)': the status, the check run and the comment carry the stack's reason."""
    alarm = f"gate-merge-alarm-{uuid.uuid4().hex[:8]}"
    cloudwatch = moto.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=alarm,
        MetricName="5XXError",
        Namespace="AWS/ApiGateway",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    cloudwatch.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="errors")
    text = Path(gate_config).read_text().replace("deploy:\n", f"deploy:\n  alarms: [{alarm}]\n")
    Path(gate_config).write_text(text)
    out = tmp_path / "gate-out"
    body = BODY.replace("acme-invoices", f"acme-alarm-{uuid.uuid4().hex[:8]}")
    with fake_github(body) as fake:
        assert run_job(job(fake, "pull_request", pr_event(body=body), tmp_path, config_path=gate_config)[0]) == 0
        _upload_plan(fake, out, fake.pulls[2]["head"]["sha"])
        merged_job, log = job(fake, "pull_request", _merged(fake), tmp_path / "merge", config_path=gate_config)
        assert run_job(merged_job) == 1, log
    assert fake.violations == []
    why = f"alarm {alarm} is already in ALARM"
    last = [s for s in fake.statuses if s["context"] == APPLY_CONTEXT][-1]
    assert last["state"] == "failure" and last["description"].startswith("not applied: refused ")
    [check] = [r for r in fake.check_runs if r["name"] == APPLY_CHECK]
    assert check["conclusion"] == "failure"
    assert why in check["output"]["summary"] and "**refused**" in check["output"]["summary"]
    assert any(why in c["body"] and "exit" not in c["body"] for c in fake.pr_comments(2))
