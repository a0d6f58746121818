"""Ticket and notification text, rendered from Jinja2 templates in ``gate/report/templates``.

Jira (REST API v2) takes wiki markup; every untrusted value (request text, finding titles, PR data) goes
through :func:`jira_escape` or a ``{noformat}`` block, so it cannot mention people, open links or macros.
Slack mrkdwn and Teams markdown get their own escapers; the card structure is built in ``notify.py``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

import jinja2

from gate.publish.facts import ChangeFacts
from gate.report import templating

# Jira wiki markup: emphasis, tables, links/mentions, macros, images, lists, headings, citations, escapes.
_JIRA_SPECIAL = re.compile(r"([\\{}\[\]|*_+\-^~?!#])")
_NOFORMAT = re.compile(r"\{noformat\}", re.IGNORECASE)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|])")


def plain(text: object, limit: int | None = None) -> str:
    """One line of plain text (whitespace collapsed), cut at ``limit``."""
    value = " ".join(str(text).split())
    if limit is not None and len(value) > limit:
        value = value[: limit - 1] + "…"
    return value


def jira_escape(text: object, limit: int | None = 300) -> str:
    """Inline-safe Jira wiki text (one line)."""
    if text is None:
        return ""
    return _JIRA_SPECIAL.sub(r"\\\1", plain(text, limit))


def jira_noformat(text: str | None, limit: int = 4000) -> str:
    """A ``{noformat}`` block of untrusted multi-line text (the block cannot be closed from inside)."""
    body = _NOFORMAT.sub("{ noformat }", (text or "").strip())
    if len(body) > limit:
        body = body[: limit - 1] + "…"
    return "{noformat}\n" + (body or "(empty)") + "\n{noformat}"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL with the characters that could break wiki or markdown link syntax percent-encoded."""
    if not url or not url.startswith(("https://", "http://")):
        return None
    return quote(url, safe=":/?#&=%+~,;@!$'*.-_")


def jira_link(title: str, url: str | None) -> str:
    target = safe_url(url)
    return f"[{jira_escape(title, 120)}|{target}]" if target else jira_escape(title, 120)


def slack_escape(text: object, limit: int | None = 300) -> str:
    """Slack mrkdwn: '&', '<', '>' are the control characters (links, mentions like <!channel>)."""
    if text is None:
        return ""
    return plain(text, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_escape(text: object, limit: int | None = 300) -> str:
    """Teams markdown (a CommonMark subset): no emphasis, links, HTML or mentions from untrusted text."""
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", plain(text, limit)).replace("@", "@\u200d")


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    # Jira wiki and plain text: every untrusted value goes through jira, noformat or plain
    return templating.environment(
        "gate.report",
        {
            "jira": jira_escape,
            "noformat": jira_noformat,
            "jira_link": lambda url, title: jira_link(title, url),
            "plain": plain,
        },
    )


def ticket_description(facts: ChangeFacts) -> str:
    return _env().get_template("ticket.jira.j2").render(f=facts)


def ticket_comment(facts: ChangeFacts) -> str:
    return _env().get_template("ticket-comment.jira.j2").render(f=facts)


def headline(facts: ChangeFacts) -> str:
    """One plain line (no markup): what chat previews, push notifications and the webhook ``text`` show."""
    return _env().get_template("notify.txt.j2").render(f=facts).strip()
