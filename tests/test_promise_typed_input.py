"""Promise: every payload, config and plan is validated into typed models before use, so a wrong type, encoding
or shape is exit 2 naming what is wrong, never a traceback (issue 20, items 5 and 11). The fuzz tests below run
bounded here; ``python -m bench fuzz`` runs them longer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz_support import EXIT_CODES, PR_EVENT, TARGETS, run_quietly

BAD_PAYLOADS: dict[str, tuple[str, Any, str]] = {
    # name: (event name, payload or raw bytes, what the message names)
    "not-utf8": ("pull_request", b'{"number": 1, "x": "\xff\xfe"}', "not UTF-8"),
    "deeply-nested": ("pull_request", b'{"a": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nests"),
    "nested-within-json": ("pull_request", b'{"a": ' + b"[" * 100 + b"]" * 100 + b"}", "nests deeper"),
    "repository-string": ("pull_request", {**PR_EVENT, "repository": "acme/infra"}, "field 'repository'"),
    "sender-string": ("pull_request", {**PR_EVENT, "sender": "octocat"}, "field 'sender'"),
    "pull_request-string": ("pull_request", {**PR_EVENT, "pull_request": "#7"}, "field 'pull_request'"),
    "head-string": ("pull_request", {**PR_EVENT, "pull_request": {**PR_EVENT["pull_request"], "head": "abc"}}, "head"),
    "labels-strings": ("pull_request", {**PR_EVENT, "pull_request": {**PR_EVENT["pull_request"], "labels": ["x"]}},
                       "labels.0"),
    "body-int": ("pull_request", {**PR_EVENT, "pull_request": {**PR_EVENT["pull_request"], "body": 7}}, "body"),
    "body-list": ("pull_request", {**PR_EVENT, "pull_request": {**PR_EVENT["pull_request"], "body": ["a"]}}, "body"),
    "number-word": ("pull_request", {**PR_EVENT, "pull_request": {**PR_EVENT["pull_request"], "number": "seven"}},
                    "number"),
    "comment-string": ("issue_comment", {"action": "created", "issue": {"number": 3, "pull_request": {"url": "u"}},
                                         "comment": "/gate plan x"}, "field 'comment'"),
    "issue-string": ("issue_comment", {"action": "created", "issue": "3", "comment": {"body": "/gate plan x"}},
                     "field 'issue'"),
    "comment-without-issue-number": ("issue_comment", {"action": "created", "issue": {"pull_request": {"url": "u"}},
                                                       "comment": {"body": "/gate plan add a bucket"}},
                                     "no issue number"),
    "pr-without-number": ("pull_request", {**PR_EVENT, "pull_request": {
        k: v for k, v in PR_EVENT["pull_request"].items() if k != "number"}}, "no pull request number"),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(BAD_PAYLOADS))
def test_a_malformed_payload_is_exit_2_naming_the_field(
    name: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event_name, payload, named = BAD_PAYLOADS[name]
    path = workdir / "event.json"
    path.write_bytes(payload if isinstance(payload, bytes) else json.dumps(payload).encode())
    code, err = run_quietly(["plan", "--event", str(path), "--event-name", event_name], capsys)
    assert code == 2 and named in err and "Traceback" not in err, err


@pytest.mark.parametrize(
    ("event_name", "payload", "named"),
    [
        ("push", {"ref": "refs/heads/main", "repository": "acme/infra"}, "field 'repository'"),
        ("workflow_dispatch", {"inputs": ["plan"]}, "field 'inputs'"),
        ("pull_request", {"action": "opened", "pull_request": {"state": "open"}}, "no pull request number"),
    ],
)
def test_the_action_refuses_a_malformed_payload_with_exit_2(
    event_name: str,
    payload: dict[str, Any],
    named: str,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (workdir / "event.json").write_text(json.dumps(payload))
    monkeypatch.setenv("GITHUB_EVENT_NAME", event_name)
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(workdir / "event.json"))
    monkeypatch.setenv("GITHUB_REPOSITORY", "acme/infra")
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")  # never reached: refused before any call
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_fuzzfuzzfuzzfuzzfuzz")
    code, err = run_quietly(["action"], capsys)
    assert code == 2 and named in err, err
    assert "workflow_dispatch plan needs a change request" not in err, "the message names the real problem"


def test_a_plan_file_that_is_not_text_is_exit_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "gate-plan.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff" * 10)
    for anchor in (["--unanchored"], ["--expect-sha256", "0" * 64]):
        code, err = run_quietly(["apply", "--plan", "gate-plan.json", *anchor], capsys)
        assert code == 2 and "Traceback" not in err, err


def test_a_nul_byte_in_a_name_is_refused_not_truncated(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_quietly(["check", "tem\x00plate.yaml"], capsys)
    assert code == 2 and "NUL" in err, err
    code, err = run_quietly(["plan", "--request", "Create an S3 bucket named acme-nul\x00evil"], capsys)
    assert code == 2 and "NUL" in err, err


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (b"checks:\n  enabled: [\xff]\n", "not UTF-8"),
        (b"a: " + b"[" * 3000 + b"]" * 3000, "nests"),
        (b"checks: {enabled: [chekov]}\n", "custom.yml: key 'checks.enabled.0'"),
        (b"checks: {enabled: []}\n", "allow_no_checks"),
    ],
)
def test_a_bad_config_is_exit_2_naming_the_file_and_key(
    text: bytes, named: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "custom.yml").write_bytes(text)
    code, err = run_quietly(
        ["plan", "--request", "Create an S3 bucket named acme-cfg", "--config", "custom.yml"], capsys
    )
    assert code == 2 and named in err and ".gate.yml:" not in err, err


# --- fuzz: real documents mutated at random, through the CLI; bounded here, longer in 'python -m bench fuzz' ---
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)


@FUZZ
@given(data=st.data())
@pytest.mark.parametrize("target", sorted(TARGETS))
def test_fuzzed_input_exits_0_1_or_2_without_a_traceback(target: str, data: st.DataObject) -> None:
    inputs, run = TARGETS[target]
    assert run(data.draw(inputs())) in EXIT_CODES
