"""Real GitHub webhook payloads -> ChangeContext and ChangeRequest."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main
from gate.errors import GateError
from gate.intake.github_event import change_section, from_payload
from tests.conftest import FIXTURES

EXAMPLES: dict[str, list[dict[str, Any]]] = json.loads((FIXTURES / "github" / "webhook-examples.json").read_text())
BODY = """Adds storage for invoices.

## Change request
<!-- describe the infrastructure change in plain words -->
Create an S3 bucket named acme-invoices with versioning enabled

## Testing
n/a
"""


def _pr_event(body: str) -> dict[str, Any]:
    payload = copy.deepcopy(next(p for p in EXAMPLES["pull_request"] if p["action"] == "opened"))
    payload["pull_request"]["body"] = body
    return payload


def test_pr_body_section_is_the_request() -> None:
    payload = _pr_event(BODY)
    context, request = from_payload(payload, "pull_request", "event.json")
    assert request.text == "Create an S3 bucket named acme-invoices with versioning enabled"
    assert request.origin == "pr-body"
    assert context.pr_number == payload["pull_request"]["number"]
    assert context.repository == payload["repository"]["full_name"]
    assert context.head_sha == payload["pull_request"]["head"]["sha"]
    assert context.is_fork is False


def test_fork_is_recognised() -> None:
    payload = _pr_event(BODY)
    payload["pull_request"]["head"]["repo"]["full_name"] = "someone/fork"
    context, _ = from_payload(payload, "pull_request", "event.json")
    assert context.is_fork is True


def test_pr_without_section_is_refused_with_the_fix() -> None:
    with pytest.raises(GateError, match="no '## Change request' section") as exc:
        from_payload(_pr_event("just a description"), "pull_request", "event.json")
    assert exc.value.fix and "## Change request" in exc.value.fix


def test_gate_plan_comment_on_a_pr() -> None:
    payload = copy.deepcopy(EXAMPLES["issue_comment"][0])
    payload["issue"]["pull_request"] = {"url": "https://api.github.com/repos/o/r/pulls/1"}
    payload["comment"]["body"] = "/gate plan Launch two t3.medium instances for the search service"
    context, request = from_payload(payload, "issue_comment", "event.json")
    assert request.origin == "comment"
    assert request.text == "Launch two t3.medium instances for the search service"
    assert context.actor == payload["sender"]["login"]


def test_comment_on_an_issue_is_refused() -> None:
    payload = copy.deepcopy(EXAMPLES["issue_comment"][0])
    payload["issue"].pop("pull_request", None)
    payload["comment"]["body"] = "/gate plan something"
    with pytest.raises(GateError, match="not a pull request"):
        from_payload(payload, "issue_comment", "event.json")


def test_section_ends_at_the_next_heading() -> None:
    assert change_section("### Change Request\nA bucket\n### Other\nx") == "A bucket"
    assert change_section("nothing here") is None


def test_plan_from_event_file(workdir: Path) -> None:
    (workdir / "event.json").write_text(json.dumps(_pr_event(BODY)))
    assert main(["plan", "--event", "event.json", "--event-name", "pull_request", "--out", "o"]) == 0
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    assert plan["context"]["source"] == "github"
    assert plan["request"]["origin"] == "pr-body"


def test_event_name_is_recognised_from_the_payload(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_EVENT_NAME", raising=False)
    (workdir / "event.json").write_text(json.dumps(_pr_event(BODY)))
    assert main(["plan", "--event", "event.json", "--out", "o"]) == 0
