"""On merge, a reviewed plan whose stack moved since review is re-planned, never applied blind (GitHub Action
against the fake GitHub and the moto server)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.deploy.verify import plan_file_sha256
from gate.errors import GateError
from gate.publish.contexts import apply_context
from gate.publish.flow import run_job
from gate.synth import cfn_yaml
from tests.fakes.github_env import fake_github, job, pr_event
from tests.fakes.github_server import FakeGitHub

BODY = "Alerts for the on-call team.\n\n## Change request\nadd an SNS topic named alerts-c\n"


def _merged(fake: FakeGitHub) -> dict[str, object]:
    payload = pr_event("closed", body=BODY)
    payload["pull_request"]["merged"] = True
    payload["pull_request"]["merge_commit_sha"] = "e" * 40
    fake.pulls[2].update(merged=True, merge_commit_sha="e" * 40, state="closed")
    return payload


def _config(tmp_path: Path, moto: AwsTarget, stack: str, **deploy: object) -> str:
    raw = {
        "stack_name": stack,
        "aws": {"region": "us-east-1", "endpoint_url": moto.endpoint_url},
        "checks": {"enabled": ["policies"]},
        "cost": {"enabled": False},
        "deploy": {"bake_minutes": 0, "poll_seconds": 0.1, "stack_timeout_minutes": 0.5, **deploy},
    }
    (tmp_path / ".gate.yml").write_text(yaml.safe_dump(raw))
    return str(tmp_path / ".gate.yml")


def _cli(out: str, request: str) -> None:
    main(["plan", "--request", request, "--out", out, "--format", "cloudformation"])
    path = str(Path(out, "gate-plan.json"))
    assert main(["apply", "--plan", path, "--expect-sha256", plan_file_sha256(path)]) == 0


def _resources(moto: AwsTarget, stack: str) -> set[str]:
    body = moto.client("cloudformation").get_template(StackName=stack)["TemplateBody"]
    return set(cfn_yaml.load(body, "deployed")["Resources"])


@pytest.mark.parametrize("policy", ["replan-and-apply-if-same", "refuse"])
def test_the_second_pr_to_merge_is_re_planned_never_applied_blind(
    tmp_path: Path, moto: AwsTarget, monkeypatch: pytest.MonkeyPatch, policy: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    stack = f"gate-stale-{uuid.uuid4().hex[:8]}"
    config = _config(tmp_path, moto, stack, stale_plans=policy)
    _cli("base", "an SNS topic named alerts-a")
    with fake_github(BODY) as fake:
        assert run_job(job(fake, "pull_request", pr_event(body=BODY), tmp_path, config_path=config)[0]) == 0
        out = tmp_path / "gate-out"
        fake.add_artifact("gate-plan-pr-2", {p.name: p.read_text() for p in out.iterdir() if p.is_file()},
                          fake.pulls[2]["head"]["sha"])  # fmt: skip
        _cli("other-pr", "add an SNS topic named alerts-b")  # another PR merged first
        merged, log = job(fake, "pull_request", _merged(fake), tmp_path / "merge", config_path=config)
        if policy == "refuse":
            with pytest.raises(GateError, match="stale plan: re-plan the PR"):
                run_job(merged)
        else:
            assert run_job(merged) == 0, log
    assert fake.violations == []
    comments = [str(c["body"]) for c in fake.pr_comments(2)]
    assert any("the reviewed plan is stale" in c for c in comments)
    last = [s for s in fake.statuses if s["context"] == apply_context("default")][-1]
    if policy == "refuse":
        assert _resources(moto, stack) == {"AlertsATopic", "AlertsBTopic"}, "b was not removed"
        assert last["state"] == "failure" and "stale plan" in str(last["description"])
    else:
        assert _resources(moto, stack) == {"AlertsATopic", "AlertsBTopic", "AlertsCTopic"}
        assert any("makes exactly the reviewed change" in c for c in comments)
        assert last["state"] == "success"
