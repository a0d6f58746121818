"""A webhook payload, validated before use: the fields devops-gate reads, typed (pydantic), so a payload with a
wrong type or encoding is refused with exit 2 naming the field, never a traceback deep in a stage.

Only the fields we read are declared; everything else GitHub sends is kept as it is (``extra="allow"``).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, StrictBool, StrictInt, ValidationError

from gate.errors import GateError
from gate.textfile import read_bounded

MAX_DEPTH = 64  # GitHub's payloads nest about 6 deep
DEFAULT_MAX_BYTES = 25 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow", strict=False)


class Repository(_Part):
    full_name: str | None = None
    default_branch: str | None = None
    master_branch: str | None = None


class Account(_Part):
    login: str | None = None


class Label(_Part):
    name: str = ""


class GitRef(_Part):
    sha: str | None = None
    ref: str | None = None
    repo: Repository | None = None


class PullRequest(_Part):
    number: StrictInt | None = None
    body: str | None = None
    html_url: str | None = None
    head: GitRef | None = None
    base: GitRef | None = None
    labels: list[Label] | None = None
    merged: StrictBool | None = None
    merge_commit_sha: str | None = None


class Issue(_Part):
    number: StrictInt | None = None
    html_url: str | None = None
    pull_request: dict[str, Any] | None = None
    labels: list[Label] | None = None


class Comment(_Part):
    body: str | None = None
    user: Account | None = None


class Payload(_Part):
    action: str | None = None
    number: StrictInt | None = None
    repository: Repository | None = None
    sender: Account | None = None
    pull_request: PullRequest | None = None
    issue: Issue | None = None
    comment: Comment | None = None
    inputs: dict[str, str | StrictInt | StrictBool | None] | None = None
    ref: str | None = None
    after: str | None = None
    deleted: StrictBool | None = None


def validate_payload(raw: object, source: str) -> dict[str, Any]:
    """The payload as a plain dict whose every field devops-gate reads has its documented type."""
    fix = "pass the webhook payload GitHub sent (GITHUB_EVENT_PATH), unchanged"
    if not isinstance(raw, dict):
        raise GateError("is not a webhook payload (expected a JSON object)", source=source, fix=fix)
    if _deeper_than(raw, MAX_DEPTH):
        raise GateError(f"nests deeper than {MAX_DEPTH} levels, which no GitHub payload does", source=source, fix=fix)
    try:
        Payload.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"] if not str(p).startswith(("function-", "json-"))) or "(top)"
        extra = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise GateError(f"field '{field}': {first['msg']}{extra}", source=source, fix=fix) from exc
    return raw


def load_payload(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """Read, decode, parse and validate a payload file, refusing one over ``max_bytes`` before reading it all."""
    fix = "pass --event with the path of a GitHub webhook payload (GITHUB_EVENT_PATH)"
    too_large = "pass the payload GitHub sent; raise limits.event_bytes in .gate.yml if it really is that large"
    text = read_bounded(path, max_bytes, "the event file (limits.event_bytes)", fix, too_large)
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GateError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            source=path,
            fix="pass the webhook payload file unchanged",
        ) from exc
    except RecursionError as exc:
        raise GateError("nests too deeply to be a webhook payload", source=path, fix=fix) from exc
    return validate_payload(raw, path)


def _deeper_than(node: object, limit: int) -> bool:
    """Whether ``node`` nests deeper than ``limit`` (iterative: no recursion on hostile input)."""
    stack: list[tuple[object, int]] = [(node, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False
