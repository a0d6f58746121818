"""Which job a GitHub event asks for: plan, a /gate command, apply, drift, or nothing.

Pure: the payload in, a :class:`Route` out (no network), so every branch is tested on real payloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from gate.errors import GateError

PLAN_ACTIONS = ("opened", "synchronize", "edited", "reopened", "labeled", "unlabeled", "ready_for_review")
DISPATCH_MODES = ("plan", "apply", "drift")

Job = Literal["plan", "command", "apply", "drift", "release", "ignore"]


@dataclass(frozen=True)
class Route:
    job: Job
    reason: str
    pr: int | None = None
    sha: str | None = None


def route(event_name: str, payload: dict[str, Any], dispatch_mode: str = "", plan_drafts: bool = False) -> Route:
    """``plan_drafts``: plan draft PRs too (the ``plan-drafts`` input); off, a draft is planned when it is marked
    ready for review (``ready_for_review``), and a ``/gate plan`` on it is still answered."""
    repo = payload.get("repository") or {}
    if event_name in ("pull_request", "pull_request_target"):
        pr = payload.get("pull_request") or {}
        number, action = pr.get("number") or payload.get("number"), payload.get("action")
        if not isinstance(number, int):
            raise GateError(
                f"the {event_name} event has no pull request number (pull_request.number)",
                fix=f"pass the {event_name} payload GitHub sent, unchanged",
            )
        if action == "closed":
            if pr.get("merged"):
                return Route("apply", f"pull request #{number} was merged", pr=number, sha=pr.get("merge_commit_sha"))
            return Route("release", f"pull request #{number} was closed without merging", pr=number)
        if action in PLAN_ACTIONS and pr.get("draft") and not plan_drafts:
            return Route(
                "ignore",
                f"pull request #{number} is a draft (plan-drafts is off): it is planned when marked ready for review",
                pr=number,
            )
        if action in PLAN_ACTIONS:
            return Route(
                "plan", f"pull request #{number} was {action}", pr=number, sha=(pr.get("head") or {}).get("sha")
            )
        return Route("ignore", f"pull request action {action!r} needs no plan")
    if event_name == "issue_comment":
        issue = payload.get("issue") or {}
        if not issue.get("pull_request"):
            return Route("ignore", "the comment is on an issue, not a pull request")
        if payload.get("action") != "created":
            return Route("ignore", f"comment {payload.get('action')}: only new comments are commands")
        if issue.get("number") is None:
            raise GateError("the issue_comment event has no issue number", fix="pass the payload GitHub sent")
        return Route("command", "a comment on a pull request", pr=issue.get("number"))
    if event_name == "push":
        default = repo.get("default_branch") or repo.get("master_branch")
        ref = str(payload.get("ref") or "")
        if default and ref == f"refs/heads/{default}" and not payload.get("deleted"):
            return Route("apply", f"push to the default branch {default}", sha=payload.get("after"))
        return Route("ignore", f"push to {ref or 'an unknown ref'}, not to the default branch")
    if event_name == "workflow_dispatch":
        inputs = payload.get("inputs") or {}
        mode = str(inputs.get("mode") or dispatch_mode or "plan")
        if mode not in DISPATCH_MODES:
            raise GateError(
                f"workflow_dispatch mode {mode!r} is unknown", fix=f"use one of {', '.join(DISPATCH_MODES)}"
            )
        pr = str(inputs.get("pr") or "")
        job: Job = "apply" if mode == "apply" else "drift" if mode == "drift" else "plan"
        return Route(job, f"workflow_dispatch: {mode}", pr=int(pr) if pr.isdigit() else None)
    return Route("ignore", f"event {event_name!r} is not one devops-gate acts on")
