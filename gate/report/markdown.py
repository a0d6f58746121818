"""Escaping for untrusted text (PR bodies, comments, LLM output, tool messages) in GitHub markdown.

Escaped text cannot open HTML (no hidden content, no fake markers), cannot break a table, cannot
mention people or teams (``@`` gets a zero-width joiner), and cannot start a heading or a code fence.
"""

from __future__ import annotations

import re

_ZWJ = "\u200d"
# Enough to stop emphasis, links, images, code spans, tables, strikethrough and headings; '<' and '>'
# become entities first, so no HTML (comments, details, markers) can be opened.
_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")


def escape(text: str | None, limit: int | None = None) -> str:
    """Inline-safe markdown for untrusted text (one line; newlines become spaces)."""
    if text is None:
        return ""
    text = " ".join(str(text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("@", "@" + _ZWJ)


def quote(text: str | None, limit: int = 4000) -> str:
    """A block quote of untrusted multi-line text, each line escaped."""
    if not text:
        return "> _(empty)_"
    lines = str(text).strip().splitlines()
    body = "\n".join("> " + escape(line) if line.strip() else ">" for line in lines)
    if len(body) > limit:
        body = body[: limit - 1] + "…"
    return body


def code(text: str | None) -> str:
    """Inline code for identifiers (backticks inside are replaced so the span cannot be closed early)."""
    value = (text or "").replace("`", "'").replace("\n", " ")
    return f"`{value}`" if value else ""
