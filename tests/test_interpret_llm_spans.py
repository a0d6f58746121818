"""The LLM keeps the offline promise (gate/interpret/llm_spans.py), through litellm's ``mock_response``: every
resource and field the model sets points at the request's words; the valid spans are the "Read as" readings;
an invented resource is refused, a span the request does not contain reads nothing and its setting is reported,
and every word no span or coverage places is reported as not understood, so the plan needs approval."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gate.config import GateConfig
from gate.errors import GateError
from gate.interpret.llm import first_messages, interpret_llm, response_format
from gate.interpret.llm_spans import NOT_IN_REQUEST
from gate.models import ChangeContext, ChangeRequest
from gate.pipeline import Run, plan_spec
from gate.spec import ChangeSpec
from tests.test_interpret_llm import Scripted

REQUEST = "Create an S3 bucket named acme-spans-llm with versioning"


def _span(field: str, text: str, resource: str | None = "invoices", start: int | None = None) -> dict[str, Any]:
    at = REQUEST.find(text) if start is None else start
    return {"resource": resource, "field": field, "start": max(at, 0), "end": max(at, 0) + len(text), "text": text}


BUCKET = {"kind": "s3_bucket", "name": "invoices", "bucket_name": "acme-spans-llm", "versioning": True}
SPANS = [_span("resource", "S3 bucket"), _span("bucket_name", "acme-spans-llm"), _span("versioning", "versioning")]


def _answer(resources: list[dict[str, Any]], spans: list[dict[str, Any]], **extra: Any) -> str:
    return json.dumps({"summary": "A bucket", "resources": resources, "spans": spans, **extra})


def _fields(spec: ChangeSpec, field: str) -> list[str]:
    return [a.value for a in spec.assumptions if a.field == field]


def test_the_readings_are_the_spans_and_nothing_is_reported() -> None:
    spec = interpret_llm(REQUEST, Scripted([_answer([BUCKET], SPANS)]))
    read = {(r.text, r.resource, r.field, r.value) for r in spec.readings}
    assert ("S3 bucket", "invoices", "resource", "s3_bucket") in read
    assert ("acme-spans-llm", "invoices", "bucket_name", "acme-spans-llm") in read
    assert ("versioning", "invoices", "versioning", "True") in read
    assert _fields(spec, "not-understood") == [] and _fields(spec, NOT_IN_REQUEST) == []
    for r in spec.readings:
        assert REQUEST[r.start : r.end] == r.text


def test_miscounted_offsets_are_found_where_the_text_stands() -> None:
    shifted = [{**s, "start": s["start"] + 3, "end": s["end"] + 3} for s in SPANS]
    spec = interpret_llm(REQUEST, Scripted([_answer([BUCKET], shifted)]))
    assert {r.text for r in spec.readings if r.resource == "invoices"} >= {"S3 bucket", "acme-spans-llm", "versioning"}
    assert all(REQUEST[r.start : r.end] == r.text for r in spec.readings)
    assert _fields(spec, NOT_IN_REQUEST) == []


def test_an_invented_resource_is_fed_back_and_never_built() -> None:
    queue = {"kind": "sqs_queue", "name": "jobs"}
    invented = _answer([BUCKET, queue], [*SPANS, _span("resource", "SQS queue", "jobs", 0)])  # not in the request
    completer = Scripted([invented, _answer([BUCKET], SPANS)])
    spec = interpret_llm(REQUEST, completer)
    assert [r.name for r in spec.resources] == ["invoices"]
    feedback = completer.calls[1][-1]["content"]
    assert "rejected" in feedback and "'jobs'" in feedback and "no span of the request asks for it" in feedback


def test_a_model_that_keeps_inventing_is_refused() -> None:
    queue = {"kind": "sqs_queue", "name": "jobs"}
    completer = Scripted([_answer([BUCKET, queue], SPANS)])  # no span at all for the queue
    with pytest.raises(GateError) as caught:
        interpret_llm(REQUEST, completer, max_attempts=2)
    assert len(completer.calls) == 2
    assert "'jobs'" in caught.value.message and "no span" in caught.value.message


def test_a_span_the_request_does_not_contain_reads_nothing_and_its_setting_is_reported() -> None:
    bucket = {**BUCKET, "block_public_access": False}
    quoted = _span("block_public_access", "make it public", start=40)  # never said
    spec = interpret_llm(REQUEST, Scripted([_answer([bucket], [*SPANS, quoted])]))
    assert not any(r.text == "make it public" or r.field == "block_public_access" for r in spec.readings)
    (note,) = [a for a in spec.assumptions if a.field == NOT_IN_REQUEST]
    assert note.resource == "invoices" and note.value == "block_public_access = False"
    assert "'make it public'" in note.reason and "does not say" in note.reason
    assert spec.assumptions[1].field == NOT_IN_REQUEST, "reported before the rest (after the interpreter note)"


def test_a_setting_without_a_span_is_reported_unless_it_is_a_declared_default() -> None:
    bucket = {**BUCKET, "lifecycle_rules": [{"id": "old", "expiration_days": 30}]}
    spec = interpret_llm(REQUEST, Scripted([_answer([bucket], SPANS)]))
    assert [v.split(" = ")[0] for v in _fields(spec, NOT_IN_REQUEST)] == ["lifecycle_rules"]
    declared = [
        {"resource": "invoices", "field": "lifecycle_rules", "value": "expire after 30 days", "reason": "a default"}
    ]
    spec = interpret_llm(REQUEST, Scripted([_answer([bucket], SPANS, assumptions=declared)]))
    assert _fields(spec, NOT_IN_REQUEST) == [] and _fields(spec, "lifecycle_rules") == ["expire after 30 days"]


def test_words_no_span_places_are_not_understood() -> None:
    text = REQUEST + " and frobnicate the widgets"
    spec = interpret_llm(text, Scripted([_answer([BUCKET], SPANS)]))
    assert _fields(spec, "not-understood") == ["'frobnicate the widgets'"]


def test_what_the_model_reports_makes_the_plan_need_approval(workdir: object) -> None:
    run = Run(config=GateConfig(checks={"enabled": ["cfn-lint", "policies"]}), context=ChangeContext())
    request = ChangeRequest(text=REQUEST, origin="cli")
    clean = interpret_llm(REQUEST, Scripted([_answer([BUCKET], SPANS)]))
    assert plan_spec(request, clean, run, ("cloudformation",)).verdict.decision == "pass"
    bucket = {**BUCKET, "lifecycle_rules": [{"id": "old", "expiration_days": 30}]}
    unasked = interpret_llm(REQUEST, Scripted([_answer([bucket], SPANS)]))
    plan = plan_spec(request, unasked, run, ("cloudformation",))
    assert plan.verdict.decision == "needs-approval"
    assert any("the request does not ask for: lifecycle_rules" in r for r in plan.verdict.reasons), plan.verdict.reasons


def test_a_refinement_needs_spans_only_for_what_it_changes() -> None:
    previous = interpret_llm(REQUEST, Scripted([_answer([BUCKET], SPANS)]))
    text = "also tag it team=billing"
    tagged = {**BUCKET, "tags": {"team": "billing"}}
    span = {"resource": "invoices", "field": "tags", "start": 12, "end": 24, "text": "team=billing"}
    spec = interpret_llm(text, Scripted([_answer([tagged], [span])]), previous=previous)
    assert _fields(spec, NOT_IN_REQUEST) == [] and _fields(spec, "not-understood") == []
    assert any(r.text == "team=billing" and r.field == "tags" for r in spec.readings)
    unspanned = interpret_llm(text, Scripted([_answer([{**tagged, "versioning": False}], [span])]), previous=previous)
    assert [v.split(" = ")[0] for v in _fields(unspanned, NOT_IN_REQUEST)] == ["versioning"]


def test_the_prompt_and_the_answer_schema_ask_for_spans() -> None:
    system = first_messages(REQUEST)[0]["content"]
    assert '"spans"' in system and "change_request[start:end]" in system
    schema = response_format()["json_schema"]["schema"]
    assert "spans" in schema["properties"] and "readings" not in schema["properties"]
    span = schema["$defs"]["Span"]["properties"]
    assert {"resource", "field", "start", "end", "text"} <= set(span)


def test_a_note_the_model_copies_about_a_field_it_changed_is_dropped() -> None:
    text = "Create an SQS queue named jobs"
    queue = {"kind": "sqs_queue", "name": "jobs"}
    default = {"resource": "jobs", "field": "dead_letter", "value": "a DLQ after 5 receives", "reason": "default"}
    spans = [{"resource": "jobs", "field": "resource", "start": 10, "end": 19, "text": "SQS queue"}]
    first = json.dumps({"summary": "A queue", "resources": [queue], "assumptions": [default], "spans": spans})
    previous = interpret_llm(text, Scripted([first]))
    assert "a DLQ after 5 receives" in _fields(previous, "dead_letter")
    refinement = "retry each message 4 times"
    four = {**queue, "dead_letter": {"max_receive_count": 4}}
    span = {"resource": "jobs", "field": "dead_letter.max_receive_count", "start": 0, "end": 26, "text": refinement}
    answer = json.dumps({"summary": "A queue", "resources": [four], "assumptions": [default], "spans": [span]})
    spec = interpret_llm(refinement, Scripted([answer]), previous=previous)
    assert _fields(spec, "dead_letter") == [], "the copied 'after 5 receives' no longer holds"
    assert _fields(spec, NOT_IN_REQUEST) == [] and _fields(spec, "not-understood") == []


def test_a_span_of_function_words_asks_for_nothing() -> None:
    queue = {"kind": "sqs_queue", "name": "jobs"}
    sneaky = _answer([BUCKET, queue], [*SPANS, _span("resource", "an", "jobs")])  # 'an' is in the request
    with pytest.raises(GateError, match="'jobs'"):
        interpret_llm(REQUEST, Scripted([sneaky]), max_attempts=1)
