"""A stack's whole life on the embedded AWS (moto): every plan is a delta on what is deployed, a plan is valid
only against its base, and a plan is applied at most once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.deploy.verify import plan_file_sha256
from gate.models import GatePlan
from gate.synth import cfn_yaml
from tests.deploy_support import audit_records, unique, write_config

pytestmark = pytest.mark.usefixtures("aws_credentials")


def _plan(out: str, request: str, *extra: str) -> GatePlan:
    main(["plan", "--request", request, "--out", out, "--format", "cloudformation", *extra])
    return GatePlan.model_validate_json(Path(out, "gate-plan.json").read_text())


def _apply(out: str, *extra: str) -> int:
    path = str(Path(out, "gate-plan.json"))
    return main(["apply", "--plan", path, "--expect-sha256", plan_file_sha256(path), *extra])


def _changes(plan: GatePlan) -> list[tuple[str, str]]:
    return [(c.action, c.logical_id) for c in plan.changes]


def _deployed(moto: AwsTarget, stack: str) -> dict[str, Any]:
    body = moto.client("cloudformation").get_template(StackName=stack)["TemplateBody"]
    return cfn_yaml.load(body, "deployed") if isinstance(body, str) else dict(body)


def _change_set_count(moto: AwsTarget, stack: str) -> int:
    return len(moto.client("cloudformation").list_change_sets(StackName=stack)["Summaries"])


def test_each_request_is_a_delta_on_the_deployed_stack_and_removal_goes_through_the_data_loss_guard(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = unique("life")
    write_config(workdir, moto, stack)
    first = _plan("p1", "an SQS queue named jobs")
    assert first.base is not None and first.base.state == "no-stack"
    assert _apply("p1") == 0
    queue_as_deployed = _deployed(moto, stack)["Resources"]["JobsQueue"]

    second = _plan("p2", "add an SNS topic named alerts")
    assert _changes(second) == [("Add", "AlertsTopic")], "the queue is neither removed nor modified"
    assert second.base is not None and second.base.state == "deployed" and second.base.managed == ("jobs",)
    template = cfn_yaml.load(Path("p2/template.yaml").read_text(), "p2")
    assert template["Resources"]["JobsQueue"] == queue_as_deployed
    assert second.spec is not None and [r.name for r in second.spec.resources] == ["jobs", "alerts"]
    assert _apply("p2") == 0
    assert set(_deployed(moto, stack)["Resources"]) == {"JobsQueue", "JobsQueueDeadLetter", "AlertsTopic"}

    removal = _plan("p3", "remove the queue jobs")
    assert sorted(_changes(removal)) == [("Remove", "JobsQueue"), ("Remove", "JobsQueueDeadLetter")]
    assert removal.verdict.decision == "blocked"
    assert any(f.check_id == "GATE-DATA-LOSS" and f.resource == "JobsQueue" for f in removal.findings)
    allowed = _plan(
        "p4", "remove the queue jobs", "--allow-data-loss", "JobsQueue", "--allow-data-loss", "JobsQueueDeadLetter"
    )
    assert allowed.verdict.decision == "pass", allowed.verdict.reasons
    assert _apply("p4") == 0
    assert set(_deployed(moto, stack)["Resources"]) == {"AlertsTopic"}

    # asking for what is there is an answer, not an error
    capsys.readouterr()
    same = _plan("p5", "an SNS topic named alerts")
    assert same.changes == () and same.verdict.decision == "pass"
    assert same.spec is not None and any(a.field == "no-change" for a in same.spec.assumptions)
    assert "no change" in Path("p5/comment.md").read_text().lower()


def test_two_prs_on_one_stack_never_remove_each_others_work(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = unique("two-prs")
    write_config(workdir, moto, stack)
    _plan("base", "an SNS topic named alerts-a")
    assert _apply("base") == 0
    pr11 = _plan("pr11", "add an SNS topic named alerts-b")
    pr12 = _plan("pr12", "add an SNS topic named alerts-c")
    assert _changes(pr11) == [("Add", "AlertsBTopic")] and _changes(pr12) == [("Add", "AlertsCTopic")]

    assert _apply("pr11") == 0
    capsys.readouterr()
    assert _apply("pr12") == 1
    out = capsys.readouterr().out
    assert "stale plan: re-plan the PR" in out
    assert set(_deployed(moto, stack)["Resources"]) == {"AlertsATopic", "AlertsBTopic"}, "b was not removed"
    assert audit_records(workdir)[-1]["kind"] == "apply-refused" and audit_records(workdir)[-1]["stale"]

    replanned = _plan("pr12-again", "add an SNS topic named alerts-c")
    assert _changes(replanned) == [("Add", "AlertsCTopic")]
    assert _apply("pr12-again") == 0
    assert set(_deployed(moto, stack)["Resources"]) == {"AlertsATopic", "AlertsBTopic", "AlertsCTopic"}


def test_replay_of_an_older_anchored_plan_never_reverts_a_newer_apply(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 20, item 10: plan A and plan B from the same base; B applied; A, with its own valid anchor, is
    refused as stale instead of reverting B."""
    stack = unique("replay")
    write_config(workdir, moto, stack)
    _plan("base", "an SNS topic named first")
    assert _apply("base") == 0
    _plan("a", "add an SNS topic named second")
    _plan("b", "add an SQS queue named work")
    assert _apply("b") == 0
    before = _deployed(moto, stack)
    capsys.readouterr()
    assert _apply("a") == 1
    assert "REFUSED: stale plan: re-plan the PR" in capsys.readouterr().out
    assert _deployed(moto, stack) == before


def test_a_second_apply_of_the_same_plan_is_already_applied_and_makes_no_change_set(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = unique("once")
    write_config(workdir, moto, stack)
    _plan("p", "an SNS topic named once")
    assert _apply("p") == 0
    change_sets = _change_set_count(moto, stack)
    capsys.readouterr()
    assert _apply("p") == 0
    out = capsys.readouterr().out
    assert "already applied" in out and "executing change set" not in out
    assert _change_set_count(moto, stack) == change_sets
    assert audit_records(workdir)[-1]["outcome"] == "already-applied"


def test_a_stack_the_gate_did_not_create_is_a_base_and_is_kept_as_it_is(workdir: Path, moto: AwsTarget) -> None:
    stack = unique("hand-made")
    write_config(workdir, moto, stack)
    hand = "Resources:\n  HandQueue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 45\n"
    cfn = moto.client("cloudformation")
    cfn.create_stack(StackName=stack, TemplateBody=hand)
    plan = _plan("p", "add an SNS topic named alerts")
    assert _changes(plan) == [("Add", "AlertsTopic")]
    assert plan.base is not None and plan.base.unmanaged == ("HandQueue",) and plan.base.managed == ()
    template = cfn_yaml.load(Path("p/template.yaml").read_text(), "p")
    assert template["Resources"]["HandQueue"] == {"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": 45}}
    assert "unchanged, not managed by the spec" in Path("p/comment.md").read_text()
    assert _apply("p") == 0
    assert set(_deployed(moto, stack)["Resources"]) == {"HandQueue", "AlertsTopic"}


def test_plan_and_apply_agree_on_an_environment_stack_name(workdir: Path, moto: AwsTarget) -> None:
    """The prefix is applied once: 'plan --env prod' then 'apply --env prod' deploys prod-<stack>, the reviewed
    stack, never prod-prod-<stack>."""
    stack = unique("named")
    write_config(workdir, moto, stack)
    raw = yaml.safe_load(Path(".gate.yml").read_text())
    raw["environments"] = {"prod": {"regions": [moto.region], "stack_prefix": "prod-"}}
    Path(".gate.yml").write_text(yaml.safe_dump(raw))
    plan = _plan("p", "an SNS topic named named", "--env", "prod")
    assert plan.stack_name == f"prod-{stack}" and plan.base is not None
    assert (plan.base.logical_stack_name, plan.base.environment) == (stack, "prod")
    assert _apply("p", "--env", "prod") == 0
    names = {s["StackName"] for s in moto.client("cloudformation").list_stacks()["StackSummaries"]}
    assert f"prod-{stack}" in names and f"prod-prod-{stack}" not in names
    started = [r for r in audit_records(workdir) if r["kind"] == "apply-started"][-1]
    assert started["change_set_id"] == plan.change_set_id, "the reviewed change set was executed"
    assert json.loads(Path("p/gate-plan.json").read_text())["base"]["stack_name"] == f"prod-{stack}"
