"""Plan-time locks per stack and environment (fake GitHub + moto): a PR's plan holds the stack until merge or
close, another PR's plan says who holds it, '/gate unlock' by a writer frees it; 'deploy.plan_lock: false'
turns it off."""

from __future__ import annotations

import copy
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from gate.cloud.aws import AwsTarget
from gate.errors import GateError
from gate.publish.contexts import plan_context
from gate.publish.flow import run_job
from tests.fakes.github_env import READER, WRITER, comment_event, fake_github, job, pr_event
from tests.fakes.github_server import FakeGitHub

BODY = "## Change request\nan SNS topic named locked-{n}\n"


def _config(tmp_path: Path, moto: AwsTarget, **deploy: object) -> str:
    raw = {
        "stack_name": f"gate-lock-{uuid.uuid4().hex[:8]}",
        "aws": {"region": "us-east-1", "endpoint_url": moto.endpoint_url},
        "checks": {"enabled": ["policies"]},
        "cost": {"enabled": False},
        "deploy": {"lock_table": "gate-plan-locks", **deploy},
    }
    (tmp_path / ".gate.yml").write_text(yaml.safe_dump(raw))
    return str(tmp_path / ".gate.yml")


def _second_pr(fake: FakeGitHub) -> dict[str, Any]:
    payload = pr_event(body=BODY.format(n=3))
    pull = copy.deepcopy(payload["pull_request"])
    pull.update(number=3, body=BODY.format(n=3))
    pull["head"] = {**pull["head"], "sha": "3" * 40}
    fake.add_pull(pull)
    payload["pull_request"], payload["number"] = pull, 3
    return payload


def _statuses(fake: FakeGitHub, sha: str) -> list[tuple[str, str]]:
    return [(str(s["state"]), str(s["description"])) for s in fake.statuses if s["sha"] == sha]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    return tmp_path


def test_a_second_pr_on_a_locked_stack_is_told_who_holds_it_until_unlock(env: Path, moto: AwsTarget) -> None:
    config = _config(env, moto)
    with fake_github(BODY.format(n=2)) as fake:
        assert run_job(job(fake, "pull_request", pr_event(body=BODY.format(n=2)), env, config_path=config)[0]) == 0
        second = _second_pr(fake)
        with pytest.raises(GateError, match="locked by pull request #2"):
            run_job(job(fake, "pull_request", second, env, config_path=config)[0])
        # the holder re-plans freely
        assert (
            run_job(job(fake, "pull_request", pr_event("synchronize", BODY.format(n=2)), env, config_path=config)[0])
            == 0
        )
        # a reader cannot unlock; a writer can
        run_job(job(fake, "issue_comment", comment_event("/gate unlock", READER, 3, fake), env, config_path=config)[0])
        with pytest.raises(GateError, match="locked by"):
            run_job(job(fake, "pull_request", second, env, config_path=config)[0])
        unlock = comment_event("/gate unlock", WRITER, 3, fake)
        assert run_job(job(fake, "issue_comment", unlock, env, config_path=config)[0]) == 0
        assert run_job(job(fake, "pull_request", second, env, config_path=config)[0]) == 0
        # now #3 holds it; closing #3 without merging frees it for #2
        closed = copy.deepcopy(second)
        closed["action"] = "closed"
        assert run_job(job(fake, "pull_request", closed, env, config_path=config)[0]) == 0
        assert (
            run_job(job(fake, "pull_request", pr_event("synchronize", BODY.format(n=2)), env, config_path=config)[0])
            == 0
        )
    assert fake.violations == []
    failed = [d for state, d in _statuses(fake, "3" * 40) if state == "failure"]
    assert failed and "locked by pull request #2" in failed[0]
    assert any("unlocked stack" in str(c["body"]) and "#2" in str(c["body"]) for c in fake.pr_comments(3))
    assert {s["context"] for s in fake.statuses} == {plan_context("default")}


def test_plan_locks_can_be_turned_off(env: Path, moto: AwsTarget) -> None:
    config = _config(env, moto, plan_lock=False)
    with fake_github(BODY.format(n=2)) as fake:
        assert run_job(job(fake, "pull_request", pr_event(body=BODY.format(n=2)), env, config_path=config)[0]) == 0
        assert run_job(job(fake, "pull_request", _second_pr(fake), env, config_path=config)[0]) == 0
    assert fake.violations == []
