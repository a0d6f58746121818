"""The pieces of a delta plan, without AWS: removal phrases, the template merge, the stored spec, whether a plan
is still valid against the stack, the stack-name function, and the request's steps in order."""

from __future__ import annotations

from typing import Any

import pytest

from gate.config import parse_config
from gate.deploy import stacks
from gate.deploy.base import Deployed, freshness
from gate.errors import GateError
from gate.interpret import removal
from gate.interpret.offline import interpret
from gate.models import GatePlan, StackBase
from gate.request_spec import build
from gate.spec import ChangeSpec
from gate.synth import delta
from gate.synth.cloudformation import template_for

REGION = "us-east-1"


def _spec(text: str) -> ChangeSpec:
    return interpret(text, REGION)


def _interpret(text: str, previous: ChangeSpec | None) -> ChangeSpec:
    from gate.interpret.refine import refine

    return refine(previous, text) if previous else interpret(text, REGION)


HELD = _spec("an SQS queue named jobs and an SNS topic named alerts and an S3 bucket named logs")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("remove the queue jobs", ("jobs",)),
        ("delete the jobs queue", ("jobs",)),
        ("drop jobs", ("jobs",)),
        ("Please remove the topic alerts and the bucket logs.", ("alerts", "logs")),
        ("get rid of the queue", ("jobs",)),
        ("decommission the logs bucket", ("logs",)),
        ("remove the sqs queue named jobs, the topic", ("jobs", "alerts")),
    ],
)
def test_removal_phrases_name_what_the_stack_holds(text: str, names: tuple[str, ...]) -> None:
    assert removal.read(text, HELD) == names


@pytest.mark.parametrize("text", ["add a queue named more", "a topic named remove-me", "make the queue FIFO"])
def test_text_that_is_not_a_removal_is_left_to_the_interpreter(text: str) -> None:
    assert removal.read(text, HELD) is None


def test_a_removal_of_something_not_held_says_what_is_held() -> None:
    with pytest.raises(GateError, match="the stack holds sqs_queue jobs, sns_topic alerts, s3_bucket logs"):
        removal.read("delete the table orders", HELD)


def test_removing_everything_is_refused_with_the_way_to_retire_a_stack() -> None:
    with pytest.raises(GateError, match="remove every resource"):
        removal.without(_spec("an SQS queue named jobs"), ("jobs",), "remove the queue jobs")


def test_the_stored_spec_round_trips_through_template_metadata() -> None:
    stored = delta.with_stored_spec(template_for(HELD, REGION), HELD)
    assert list(stored)[-2:] == ["Outputs", "Metadata"], "the resources stay near the top"
    back = delta.stored_spec(delta.plain(stored))
    assert back is not None and back.resources == HELD.resources and back.assumptions == []


def test_a_broken_stored_spec_is_an_error_with_the_fix() -> None:
    with pytest.raises(GateError, match=r"Metadata\.devops-gate is not valid"):
        delta.stored_spec({"Metadata": {"devops-gate": {"spec": {"summary": "x", "resources": [{"kind": "?"}]}}}})


def _deployed(spec: ChangeSpec, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    template = delta.with_stored_spec(template_for(spec, REGION), spec)
    template["Resources"].update(extra or {})
    return delta.plain(template)


def test_unchanged_resources_keep_their_deployed_definition_exactly() -> None:
    base_spec = _spec("an SQS queue named jobs")
    base = _deployed(base_spec)
    base["Resources"]["JobsQueue"]["Properties"]["VisibilityTimeout"] = 31  # as an older gate synthesised it
    spec = _interpret("add an SNS topic named alerts", base_spec)
    merged = delta.merge(template_for(spec, REGION), base, base_spec, spec)
    assert merged["Resources"]["JobsQueue"] == base["Resources"]["JobsQueue"]
    assert "AlertsTopic" in merged["Resources"]


def test_resources_not_managed_by_the_spec_are_kept_and_may_not_be_taken_over() -> None:
    hand = {"Legacy": {"Type": "AWS::SQS::Queue"}}
    base_spec = _spec("an SNS topic named alerts")
    spec = _interpret("add an SQS queue named jobs", base_spec)
    merged = delta.merge(template_for(spec, REGION), _deployed(base_spec, hand), base_spec, spec)
    assert merged["Resources"]["Legacy"] == {"Type": "AWS::SQS::Queue"}
    assert delta.ownership(_deployed(base_spec, hand)) == (("alerts",), ("Legacy",))
    taken = {"JobsQueue": {"Type": "AWS::SQS::Queue"}}
    with pytest.raises(GateError, match="does not manage"):
        delta.merge(template_for(spec, REGION), _deployed(base_spec, taken), base_spec, spec)


def test_a_gate_made_stack_without_a_stored_spec_is_kept_whole() -> None:
    """Stacks deployed before the gate stored its spec: their resources are not managed, never removed."""
    old = delta.plain(template_for(_spec("an SQS queue named jobs"), REGION))
    spec = _spec("an SNS topic named alerts")
    merged = delta.merge(template_for(spec, REGION), old, None, spec)
    assert set(merged["Resources"]) == {*old["Resources"], "AlertsTopic"}


def test_removed_resources_take_their_outputs_and_unused_parameters_with_them() -> None:
    base_spec = _spec("an SQS queue named jobs and an SNS topic named alerts")
    base = _deployed(base_spec)
    base["Parameters"] = {"Unused": {"Type": "String"}, "Hand": {"Type": "String"}}
    base["Resources"]["HandTopic"] = {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Ref": "Hand"}}}
    spec = removal.without(base_spec, ("jobs",), "remove the queue jobs")
    merged = delta.merge(template_for(spec, REGION), base, base_spec, spec)
    assert not any(k.startswith("Jobs") for k in merged["Resources"])
    assert all("Jobs" not in str(v) for v in (merged.get("Outputs") or {}).values())
    assert set(merged["Parameters"]) == {"Hand"}


def test_request_steps_apply_in_order_and_no_change_is_an_answer() -> None:
    base = _spec("an SQS queue named jobs")
    spec = build(("add an SNS topic named alerts", "remove the queue jobs"), base, _interpret)
    assert [r.name for r in spec.resources] == ["alerts"]
    same = build(("an SQS queue named jobs",), base, _interpret)
    assert same.resources == base.resources
    assert [a.field for a in same.assumptions] == ["no-change"]
    with pytest.raises(GateError, match="nothing to remove"):
        build(("remove the queue jobs",), None, _interpret)


def _plan(base: StackBase | None, parameters: dict[str, str] | None = None) -> GatePlan:
    raw: dict[str, Any] = {
        "gate_version": "t",
        "created_at": "t",
        "context": {},
        "iac": {"origin": "synthesised", "files": []},
        "bundle_sha256": "x",
        "region": REGION,
        "resources": [],
        "checks": [],
        "verdict": {"decision": "pass"},
        "parameters": parameters or {},
        "base": base.model_dump() if base else None,
    }
    return GatePlan.model_validate(raw)


def _base(state: str, template: str | None = None) -> StackBase:
    from gate.deploy.base import Deployed, record

    deployed = None if state == "unknown" else Deployed("s", REGION, template, {}, None)
    return record(deployed, "s", "s", None, REGION)


@pytest.mark.parametrize(
    ("base_state", "base_template", "now_template", "expected"),
    [
        ("no-stack", None, None, "current"),
        ("no-stack", None, "Resources: {B: {Type: AWS::SNS::Topic}}", "stale"),
        ("deployed", "Resources: {A: {Type: AWS::SNS::Topic}}", "Resources: {A: {Type: AWS::SNS::Topic}}", "current"),
        ("deployed", "Resources: {A: {Type: AWS::SNS::Topic}}", "Resources: {B: {Type: AWS::SNS::Topic}}", "stale"),
        ("deployed", "Resources: {A: {Type: AWS::SNS::Topic}}", None, "stale"),
        ("deployed", "Resources: {A: {Type: AWS::SNS::Topic}}", "REVIEWED", "applied"),
        ("unknown", None, None, "current"),
        ("unknown", None, "Resources: {B: {Type: AWS::SNS::Topic}}", "unknown"),
    ],
)
def test_a_plan_is_valid_only_against_its_base(
    base_state: str, base_template: str | None, now_template: str | None, expected: str
) -> None:
    reviewed = "Resources: {R: {Type: AWS::SNS::Topic}}"
    now = Deployed("s", REGION, reviewed if now_template == "REVIEWED" else now_template, {}, None)
    verdict, why = freshness(_plan(_base(base_state, base_template)), reviewed, now)
    assert verdict == expected, why


def test_stack_names_are_prefixed_exactly_once() -> None:
    config = parse_config("stack_name: app\nenvironments:\n  prod: {regions: [us-east-1], stack_prefix: prod-}\n", "x")
    assert stacks.deployed_name(config, None) == "app"
    assert stacks.deployed_name(config, "prod") == "prod-app"
    assert stacks.deployed_name(config, "prod", "app") == "prod-app"
    with pytest.raises(GateError, match="unknown environment 'qa'"):
        stacks.deployed_name(config, "qa")
