"""GitHub webhook payloads (``pull_request``, ``issue_comment``) -> ChangeContext and ChangeRequest.

The request is the PR body's ``## Change request`` section, or a comment that starts with ``/gate plan``.
PR text is untrusted: it is only ever data (see STYLE.md).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from gate.errors import GateError
from gate.models import ChangeContext, ChangeRequest

SUPPORTED_EVENTS = ("pull_request", "pull_request_target", "issue_comment")
_SECTION = re.compile(r"^#{1,6}\s*change\s+request\s*#*\s*$", re.I | re.M)
_NEXT_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
_COMMENT = re.compile(r"\A\s*/gate\s+plan\b[ \t]*(.*)\Z", re.I | re.S)


def load_event(path: str) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise GateError(
            f"cannot read the event file ({exc.strerror})",
            source=path,
            fix="pass --event with the path of a GitHub webhook payload (GITHUB_EVENT_PATH)",
        ) from exc
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GateError(
            f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            source=path,
            fix="pass the webhook payload file unchanged",
        ) from exc
    if not isinstance(payload, dict):
        raise GateError("is not a webhook payload (expected a JSON object)", source=path, fix="pass the payload file")
    return payload


def event_name_of(payload: dict[str, Any], given: str | None) -> str:
    """The event's name: given (GITHUB_EVENT_NAME / --event-name), or recognised from the payload's shape."""
    if given:
        return given
    if "pull_request" in payload and "number" in payload:
        return "pull_request"
    if "comment" in payload and "issue" in payload:
        return "issue_comment"
    raise GateError(
        "cannot tell which GitHub event this payload is",
        fix="pass --event-name (pull_request or issue_comment) or set GITHUB_EVENT_NAME",
    )


def change_section(body: str) -> str | None:
    """The text under the PR body's '## Change request' heading, up to the next heading."""
    match = _SECTION.search(body)
    if not match:
        return None
    rest = body[match.end() :]
    nxt = _NEXT_HEADING.search(rest)
    section = rest[: nxt.start()] if nxt else rest
    section = re.sub(r"<!--.*?-->", "", section, flags=re.S).strip()  # PR template hints
    return section or None


def from_payload(payload: dict[str, Any], event_name: str, source: str) -> tuple[ChangeContext, ChangeRequest]:
    if event_name not in SUPPORTED_EVENTS:
        raise GateError(
            f"event {event_name!r} carries no change request",
            source=source,
            fix=f"run plan on one of: {', '.join(SUPPORTED_EVENTS)}",
        )
    repo = (payload.get("repository") or {}).get("full_name")
    actor = (payload.get("sender") or {}).get("login")
    if event_name == "issue_comment":
        issue = payload.get("issue") or {}
        if not issue.get("pull_request"):
            raise GateError(
                "the comment is on an issue, not a pull request",
                source=source,
                fix="comment '/gate plan ...' on a pull request",
            )
        body = (payload.get("comment") or {}).get("body") or ""
        match = _COMMENT.match(body)
        if not match or not match.group(1).strip():
            raise GateError(
                "the comment is not a '/gate plan <request>' command",
                source=source,
                fix="start the comment with '/gate plan' followed by the change request",
            )
        context = ChangeContext(
            source="github", event_name=event_name, repository=repo, pr_number=issue.get("number"),
            pr_url=issue.get("html_url"), actor=actor,
            labels=tuple(lbl.get("name", "") for lbl in issue.get("labels") or []),
        )  # fmt: skip
        return context, ChangeRequest(text=match.group(1).strip(), origin="comment")
    pr = payload.get("pull_request") or {}
    head, base = pr.get("head") or {}, pr.get("base") or {}
    head_repo = (head.get("repo") or {}).get("full_name")
    context = ChangeContext(
        source="github", event_name=event_name, repository=repo, pr_number=pr.get("number"),
        pr_url=pr.get("html_url"), head_sha=head.get("sha"), base_ref=base.get("ref"), actor=actor,
        is_fork=bool(head_repo and repo and head_repo != repo),
        labels=tuple(lbl.get("name", "") for lbl in pr.get("labels") or []),
    )  # fmt: skip
    text = change_section(pr.get("body") or "")
    if text is None:
        raise GateError(
            "the pull request body has no '## Change request' section",
            source=source,
            fix="add a '## Change request' heading to the PR description with the request under it",
        )
    return context, ChangeRequest(text=text, origin="pr-body")
