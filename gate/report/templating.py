"""The one way the gate builds a Jinja2 environment for its rendered outputs (markdown, Jira wiki, text).

Markdown, Jira wiki and text have no autoescape: every untrusted value goes through an explicit filter that
the caller registers for its output format (``esc``/``code`` for markdown, ``jira`` for Jira wiki, ...).
HTML (the report page) is autoescaped: every value is escaped unless a template marks it ``safe``.
Undefined names fail loudly, so a template never renders a silent blank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import jinja2


def environment(package: str, filters: Mapping[str, Callable[..., Any]], html: bool = False) -> jinja2.Environment:
    """Templates from ``<package>/templates``, with the output format's escaping ``filters``."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(package, "templates"),
        autoescape=html,  # noqa: S701 - HTML is autoescaped; markdown, Jira wiki and text escape per filter
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(filters)
    return env
