"""The sticky PR comment: found again by its hidden marker, published in one of four modes, and kept under
GitHub's 65,536-character limit by shrinking the least important sections first.

Modes (as infracost's ``--behavior``): ``update`` edits the newest sticky comment in place (creates one the
first time); ``on-change`` posts a new comment (the old ones minimized) only when what the comment shows changed,
and otherwise leaves it as it is; ``hide-and-new`` minimizes the old ones and posts a new one; ``delete-and-new``
deletes the old ones and posts a new one; ``new`` always posts a new one.

Only comments written by the gate's own account (``bot_login``) count as sticky: anybody can type the
marker into a comment of their own, and such a comment is never edited, trusted or read back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

from gate.errors import GateError
from gate.vcs import Comment, VcsClient

CommentMode = Literal["update", "on-change", "hide-and-new", "delete-and-new", "new"]
COMMENT_MODES: tuple[str, ...] = get_args(CommentMode)
GITHUB_COMMENT_LIMIT = 65_536
DEFAULT_BOT_LOGIN = "github-actions[bot]"

# Least important first: low-severity finding groups, then whole sections; the header (marker, verdict,
# reasons), hidden blocks and the footer are never shrunk.
SHRINK_ORDER: tuple[str, ...] = (
    "INFO",
    "LOW",
    "### Resources",
    "### Change diagram",
    "### Assumptions to check",
    "### Checks",
    "MEDIUM",
    "### Changes",
    "HIGH",
    "CRITICAL",
)
_DETAILS = re.compile(r"^<details[^>]*><summary><b>([A-Z]+)</b>")
_PLAN_RECORD = re.compile(r"^<!-- devops-gate:plan sha256=([0-9a-f]{64}) head=([0-9a-f]{0,64}) -->$", re.M)
_RUN_LINK = re.compile(r"/actions/runs/\d+(?:/attempts/\d+)?")


def parse_mode(value: str) -> CommentMode:
    for mode in get_args(CommentMode):
        if value == mode:
            return mode  # type: ignore[no-any-return]
    raise GateError(
        f"unknown comment mode {value!r}",
        source="comment-mode",
        fix=f"use one of: {', '.join(COMMENT_MODES)}",
    )


@dataclass(frozen=True)
class _Unit:
    key: str | None  # a name from SHRINK_ORDER, or None for text that is never shrunk
    text: str


def _units(body: str) -> list[_Unit]:
    """Split rendered markdown into shrinkable units: '### ' sections and '<details>' severity groups."""
    units: list[_Unit] = []
    current: list[str] = []
    key: str | None = None
    in_details = False

    def flush() -> None:
        if current:
            units.append(_Unit(key, "".join(current)))
            current.clear()

    for line in body.splitlines(keepends=True):
        stripped = line.rstrip("\n")
        details = _DETAILS.match(stripped)
        if details and details.group(1) in SHRINK_ORDER:
            flush()
            key, in_details = details.group(1), True
            current.append(line)
            continue
        if in_details:
            current.append(line)
            if stripped.startswith("</details>"):
                flush()
                key, in_details = _parent_key(units), False
            continue
        if stripped.startswith("### ") or stripped.startswith("<sub>") or stripped.startswith("<!--"):
            flush()
            heading = stripped if stripped.startswith("### ") else None
            key = next((k for k in SHRINK_ORDER if heading and heading.startswith(k)), None)
        current.append(line)
        if stripped.startswith("<!--"):
            flush()
    flush()
    return units


def _parent_key(units: list[_Unit]) -> str | None:
    """After a <details> group, the text continues the section it sits in (Findings: never shrunk)."""
    for unit in reversed(units):
        if unit.key is None or unit.key.startswith("### "):
            return unit.key
    return None


def _stub(unit: _Unit, full_report: str) -> str:
    label = unit.key.removeprefix("### ") if unit.key else "section"
    what = f"{label} findings" if unit.key and not unit.key.startswith("### ") else label
    heading = unit.key + "\n\n" if unit.key and unit.key.startswith("### ") else ""
    return f"{heading}_{what}: left out to stay under GitHub's comment limit; {full_report}._\n\n"


def fit(body: str, limit: int = GITHUB_COMMENT_LIMIT, full_report: str = "see the full report") -> str:
    """``body`` itself when it fits; else the least important units replaced by a pointer to the full report."""
    if len(body) <= limit:
        return body
    units = _units(body)
    for key in SHRINK_ORDER:
        for index, unit in enumerate(units):
            if unit.key == key:
                units[index] = _Unit(None, _stub(unit, full_report))
        text = "".join(u.text for u in units)
        if len(text) <= limit:
            return text
    note = f"\n\n_(cut to stay under GitHub's comment limit; {full_report})_\n"
    text = "".join(u.text for u in units)
    return text[: limit - len(note)] + note


def plan_record(plan_sha256: str, head_sha: str | None) -> str:
    """The hidden line that records which plan file was reviewed (read back on merge)."""
    return f"<!-- devops-gate:plan sha256={plan_sha256} head={head_sha or ''} -->"


def read_plan_record(body: str) -> tuple[str, str] | None:
    match = _PLAN_RECORD.search(body)
    return (match.group(1), match.group(2)) if match else None


def shown(body: str) -> str:
    """What a reader sees of a sticky comment, for ``on-change``: without the hidden plan record (every plan file
    is new: it has its own time) and with the CI run's links made alike (every run has its own)."""
    return _RUN_LINK.sub("/actions/runs/-", _PLAN_RECORD.sub("", body))


def is_sticky(comment: Comment, marker: str, bot_login: str) -> bool:
    first_line = comment.body.split("\n", 1)[0].strip()
    return first_line == marker and comment.author == bot_login


def sticky_comments(client: VcsClient, pr: int, marker: str, bot_login: str) -> list[Comment]:
    """The gate's own comments for this PR and environment, oldest first."""
    return [c for c in client.list_comments(pr) if is_sticky(c, marker, bot_login)]


def publish(
    client: VcsClient,
    pr: int,
    body: str,
    marker: str,
    mode: CommentMode = "update",
    bot_login: str = DEFAULT_BOT_LOGIN,
    limit: int = GITHUB_COMMENT_LIMIT,
    full_report: str = "see the full report",
) -> Comment:
    """Publish ``body`` (which starts with ``marker``) as the PR's sticky comment in ``mode``."""
    if not body.startswith(marker):
        raise GateError("the comment does not start with its marker", fix="render it with gate.report.comment")
    body = fit(body, limit, full_report)
    existing = [] if mode == "new" else sticky_comments(client, pr, marker, bot_login)
    if mode == "update" and existing:
        return client.update_comment(existing[-1].id, body)
    if mode == "on-change" and existing and shown(existing[-1].body) == shown(body):
        if existing[-1].body == body:
            return existing[-1]  # nothing changed: no request at all
        # the same comment for a new plan file or run: the hidden record must name the plan this run uploads
        # (merge applies only that one), so it is edited in place; an edit posts nothing to the timeline
        return client.update_comment(existing[-1].id, body)
    if mode in ("hide-and-new", "on-change"):
        for old in existing:
            client.hide_comment(old)
    elif mode == "delete-and-new":
        for old in existing:
            client.delete_comment(old.id)
    return client.create_comment(pr, body)
