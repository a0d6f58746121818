"""GitHub webhook payloads (``pull_request``, ``issue_comment``) -> ChangeContext and ChangeRequest.

The request is the PR body's ``## Change request`` section, or a comment that starts with ``/gate plan``.
PR text is untrusted: it is only ever data (see STYLE.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from gate.errors import GateError
from gate.intake.payload import DEFAULT_MAX_BYTES, load_payload
from gate.models import ChangeContext, ChangeRequest
from gate.report import markdown

SUPPORTED_EVENTS = ("pull_request", "pull_request_target", "issue_comment")
_SECTION = re.compile(r"^#{1,6}\s*change\s+request\s*#*\s*$", re.I | re.M)
_NEXT_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
_COMMENT = re.compile(r"\A\s*/gate\s+plan\b[ \t]*(.*)\Z", re.I | re.S)


def load_event(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> dict[str, Any]:
    """The payload file, read within ``max_bytes`` and validated (see gate/intake/payload.py)."""
    return load_payload(path, max_bytes)


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
        if issue.get("number") is None:
            raise GateError(
                "the issue_comment event has no issue number",
                source=source,
                fix="pass the issue_comment payload GitHub sent, unchanged",
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
    if pr.get("number") is None:
        raise GateError(
            f"the {event_name} event has no pull request number (pull_request.number)",
            source=source,
            fix=f"pass the {event_name} payload GitHub sent, unchanged",
        )
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


# ---------------------------------------------------------------------------------------------------------
# '/gate <command>' comments -> a result (command | reply | ignore), like Atlantis' comment parser: parsing
# never raises, and whatever the comment says is data (echoed back only escaped).

GATE_COMMANDS: dict[str, str] = {
    "plan": '`/gate plan [refinement]`: plan again; with text, refine the current plan ("make it t3.large")',
    "explain": "`/gate explain <finding-id>`: what a finding means and how to fix it",
    "allow-data-loss": "`/gate allow-data-loss <logical-id>`: allow removing or replacing that stateful resource",
    "unlock": "`/gate unlock`: free this stack's plan lock, whichever pull request holds it",
    "help": "`/gate help`: this list",
}
_LOGICAL_ID = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,254}$")
_FINDING_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$")
_GATE_PREFIX = re.compile(r"\A\s*/gate(?:\s|\Z)", re.I)


@dataclass(frozen=True)
class CommentCommand:
    """What a PR comment asks for: ``command`` (name, argument), ``reply`` (text to answer), or ``ignore``."""

    result: Literal["command", "reply", "ignore"]
    name: str | None = None
    argument: str = ""
    reply: str | None = None


def help_text(problem: str | None = None) -> str:
    lines = [problem, ""] if problem else []
    lines += ["**devops-gate commands** (people with write access to the repository can run them):", ""]
    lines += [f"- {text}" for text in GATE_COMMANDS.values()]
    return "\n".join(lines) + "\n"


def parse_command(body: str | None) -> CommentCommand:
    """Parse a comment. Only comments whose first word is ``/gate`` are commands; the rest are ignored."""
    text = body or ""
    if not _GATE_PREFIX.match(text):
        return CommentCommand("ignore")
    first, _, rest = text.strip().partition("\n")
    words = first.split(None, 2)
    if len(words) == 1:
        return CommentCommand("reply", name="help", reply=help_text())
    name = words[1].lower()
    argument = (words[2] if len(words) > 2 else "").strip()
    if name == "plan":
        refinement = "\n".join(part for part in (argument, rest.strip()) if part)
        return CommentCommand("command", name="plan", argument=refinement)
    if name == "help":
        return CommentCommand("reply", name="help", reply=help_text())
    if name == "unlock":
        return CommentCommand("command", name="unlock")
    if name in ("explain", "allow-data-loss"):
        pattern = _FINDING_ID if name == "explain" else _LOGICAL_ID
        if len(argument.split()) != 1 or not pattern.match(argument):
            what = (
                "a finding id such as `GATE-S3-001`" if name == "explain" else "a logical id such as `InvoicesBucket`"
            )
            return CommentCommand("reply", name=name, reply=help_text(f"`/gate {name}` takes {what}."))
        return CommentCommand("command", name=name, argument=argument)
    shown = markdown.code(words[1][:40])
    return CommentCommand("reply", name="unknown", reply=help_text(f"devops-gate has no command {shown}."))
