"""Fuzzing devops-gate's inputs as a user's CI hands them over: webhook payloads, ``.gate.yml`` and
gate-plan.json, each a real document mutated at random, run through the CLI. The promise: the exit code is
0, 1 or 2 and nothing escapes as a traceback. Used by tests/test_promise_typed_input.py (bounded) and by
``python -m bench fuzz`` (longer)."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import strategies as st

from gate.cli import main
from tests.conftest import FIXTURES

EXAMPLES: dict[str, list[dict[str, Any]]] = json.loads((FIXTURES / "github" / "webhook-examples.json").read_text())
PR_EVENT: dict[str, Any] = {
    **EXAMPLES["pull_request"][0],
    "pull_request": {**EXAMPLES["pull_request"][0]["pull_request"], "body": "## Change request\nCreate an S3 bucket"},
}
FAST_CONFIG: dict[str, Any] = {
    "stack_name": "fuzz-stack",
    "checks": {"enabled": ["secrets"], "cfn_lint_ignore": ["W3005"]},
    "cost": {"enabled": False, "thresholds": {"monthly_delta_usd": {"limit": 10, "action": "block"}}},
    "thresholds": {"fail_on": "high", "approval_on": "medium"},
    "waivers": [{"check_id": "GATE-S3-001", "reason": "legacy", "expires": "2099-01-01"}],
    "limits": {"request_bytes": 4096},
    "deploy": {"bake_minutes": 0, "lock_table": "fuzz-locks", "alarms": ["a"]},
}
EXIT_CODES = (0, 1, 2)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*at, index))
    return found


@st.composite
def mutated(draw: st.DrawFn, document: Any, changes: int = 3) -> Any:
    """``document`` with up to ``changes`` nodes replaced by random JSON values, deleted, or left as they are."""
    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, changes))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            return draw(JSON)
        path = draw(st.sampled_from(paths))
        parent = doc
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(JSON)
    return doc


def run_quietly(argv: list[str], capsys: pytest.CaptureFixture[str] | None = None) -> tuple[int, str]:
    """``devops-gate ARGV`` in-process; its exit code and stderr. Any exception but SystemExit propagates."""
    if capsys is not None:
        capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    err = capsys.readouterr().err if capsys is not None else ""
    return code, err


def in_fresh_dir(body: Callable[[Path], int]) -> int:
    """Run ``body`` in a fresh folder holding the fast .gate.yml, with cwd set there."""
    cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="gate-fuzz-") as tmp:
        os.chdir(tmp)
        try:
            (Path(tmp) / ".gate.yml").write_text(yaml.safe_dump(FAST_CONFIG))
            return body(Path(tmp))
        finally:
            os.chdir(cwd)


def run_event(event_name: str, payload: Any) -> int:
    def body(folder: Path) -> int:
        (folder / "event.json").write_text(json.dumps(payload))
        return run_quietly(["plan", "--event", "event.json", "--event-name", event_name])[0]

    return in_fresh_dir(body)


def run_config(config: Any) -> int:
    def body(folder: Path) -> int:
        text = yaml.safe_dump(config) if not isinstance(config, str) else config
        (folder / "custom.yml").write_text(text)
        argv = ["plan", "--request", "Create an S3 bucket named acme-fuzz-cfg", "--config", "custom.yml"]
        return run_quietly([*argv, "--format", "cloudformation"])[0]

    return in_fresh_dir(body)


def run_plan_file(plan: Any) -> int:
    def body(folder: Path) -> int:
        (folder / "gate-plan.json").write_text(json.dumps(plan))
        argv = ["apply", "--plan", "gate-plan.json", "--unanchored", "--endpoint-url", "http://127.0.0.1:9"]
        return run_quietly(argv)[0]

    return in_fresh_dir(body)


def reviewed_plan() -> dict[str, Any]:
    """A real gate-plan.json: 'devops-gate plan' of a small request, made once."""

    def body(folder: Path) -> int:
        code, _ = run_quietly(["plan", "--request", "Create an S3 bucket named acme-fuzz-plan", "--out", "o"])
        assert code in EXIT_CODES
        _PLAN.update(json.loads((folder / "o" / "gate-plan.json").read_text()))
        return code

    if not _PLAN:
        in_fresh_dir(body)
    return copy.deepcopy(_PLAN)


_PLAN: dict[str, Any] = {}


@st.composite
def events(draw: st.DrawFn) -> tuple[str, Any]:
    """(event name, a real payload of it mutated, or random JSON)."""
    event = draw(st.sampled_from(sorted(EXAMPLES)))
    base = draw(st.sampled_from(EXAMPLES[event]))
    if event == "pull_request":
        base = {**base, "pull_request": {**base["pull_request"], "body": PR_EVENT["pull_request"]["body"]}}
    return event, draw(mutated(base) | JSON)


def configs() -> st.SearchStrategy[Any]:
    return mutated(FAST_CONFIG) | JSON | st.text(max_size=200)


def plans() -> st.SearchStrategy[Any]:
    return st.deferred(lambda: mutated(reviewed_plan()))


# name -> (inputs, how one is run); the bounded test and 'python -m bench fuzz' both loop over this
TARGETS: dict[str, tuple[Callable[[], st.SearchStrategy[Any]], Callable[[Any], int]]] = {
    "event payloads": (events, lambda drawn: run_event(*drawn)),
    ".gate.yml": (configs, run_config),
    "gate-plan.json": (plans, run_plan_file),
}
