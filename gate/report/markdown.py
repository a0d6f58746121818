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
_LINE_ENDINGS = re.compile("[\r\n\v\f\x85\u2028\u2029]")


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
    """Inline code for untrusted identifiers, safe in a table cell and anywhere on one line.

    - backticks become ``'``, so the span cannot be closed early;
    - every line ending (``\\n``, ``\\r`` - a CommonMark line ending on its own -, ``\\v``, ``\\f``, U+0085,
      U+2028, U+2029) becomes a space, so the value cannot end the table row or the paragraph;
    - ``|`` becomes ``\\|``: GFM splits table cells on ``|`` *before* it finds code spans, even inside backticks;
      an escaped pipe stays in its cell (GitHub shows it as ``|``), and a backslash right before a pipe always
      escapes it (cmark-gfm's cell scanner takes the longest match), so ``\\`` in the value cannot undo it;
    - ``<`` and ``@`` get a zero-width joiner after them, as :func:`escape` does for ``@``: no HTML tag, comment
      or autolink can start, and nobody is mentioned, even if the span were broken. (An entity such as ``&lt;``
      would show literally inside a code span, where entities are not decoded.)
    """
    value = _LINE_ENDINGS.sub(" ", str(text or "")).replace("`", "'").replace("|", "\\|")
    value = value.replace("<", "<" + _ZWJ).replace("@", "@" + _ZWJ)
    return f"`{value}`" if value else ""
