"""Test helpers around the fake GitHub: real webhook payloads, a fake seeded with their repository and PR,
and the gate's PyGithub adapter pointed at it with small retry waits."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gate.publish.github import GitHubClient
from tests.fakes.github_server import FakeGitHub, serve

if TYPE_CHECKING:
    from gate.publish.job import Job

EXAMPLES: dict[str, list[dict[str, Any]]] = json.loads(
    (Path(__file__).resolve().parent.parent / "fixtures" / "github" / "webhook-examples.json").read_text()
)
BODY = """Adds storage for invoices.

## Change request
<!-- describe the infrastructure change in plain words -->
Create an S3 bucket named acme-invoices with versioning enabled

## Testing
n/a
"""
WRITER = {"login": "maintainer-mia", "id": 11, "type": "User"}
READER = {"login": "reader-rob", "id": 12, "type": "User"}


def example(event: str, **match: Any) -> dict[str, Any]:
    for payload in EXAMPLES[event]:
        if all(payload.get(k) == v for k, v in match.items()):
            return copy.deepcopy(payload)
    raise LookupError(f"no {event} example with {match}")


def pr_event(action: str = "opened", body: str = BODY) -> dict[str, Any]:
    payload = example("pull_request", action="opened")
    payload["action"] = action
    payload["pull_request"]["body"] = body
    return payload


def comment_event(text: str, user: dict[str, Any], pr: int, fake: FakeGitHub | None = None) -> dict[str, Any]:
    """An issue_comment payload; with ``fake``, the comment is also on the fake (as on GitHub when it sends it)."""
    payload = example("issue_comment", action="created")
    if fake is not None:
        payload["comment"] = copy.deepcopy(fake.add_comment(pr, text, user))
    payload["issue"]["number"] = pr
    payload["issue"]["pull_request"] = {"url": f"https://api.github.com/repos/x/y/pulls/{pr}"}
    payload["comment"]["body"] = text
    payload["comment"]["user"] = user
    payload["sender"] = user
    return payload


@contextmanager
def fake_github(body: str = BODY) -> Iterator[FakeGitHub]:
    payload = pr_event(body=body)
    fake = FakeGitHub(repository=payload["repository"])
    fake.add_pull(payload["pull_request"])
    fake.permissions.update({WRITER["login"]: "write", READER["login"]: "read"})
    yield from serve(fake)


def client(fake: FakeGitHub, max_wait: float = 0.2) -> GitHubClient:
    return GitHubClient(
        fake.full_name, "test-token", fake.url, retries=3, backoff=0.0, max_wait=max_wait, seconds_between_writes=0
    )


def job(fake: FakeGitHub, event: str, payload: dict[str, Any], tmp: Path, **settings: Any) -> tuple[Job, list[str]]:
    from gate.publish.job import ActionSettings, Job  # imports the whole pipeline: only when a test runs a job

    log: list[str] = []
    tmp.mkdir(parents=True, exist_ok=True)
    env = {"GITHUB_OUTPUT": str(tmp / "github_output"), "GITHUB_STEP_SUMMARY": str(tmp / "summary.md")}
    values: dict[str, Any] = {"out": str(tmp / "gate-out"), "run_url": "https://github.com/o/r/actions/runs/7"}
    values.update(settings)
    return Job(client(fake), ActionSettings(**values), event, payload, env=env, log=log.append), log


def outputs(tmp: Path) -> dict[str, str]:
    """Parse $GITHUB_OUTPUT (name<<delimiter ... delimiter)."""
    lines = (tmp / "github_output").read_text().splitlines()
    found: dict[str, str] = {}
    i = 0
    while i < len(lines):
        name, _, delimiter = lines[i].partition("<<")
        end = lines.index(delimiter, i + 1)
        found[name] = "\n".join(lines[i + 1 : end])
        i = end + 1
    return found
