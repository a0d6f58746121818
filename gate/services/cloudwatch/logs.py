"""Several log groups in one phrase: 'log groups /svc/auth, /svc/cart and /svc/search, 30 days retention on all of
them' is one log group per path, each with the settings written for all of them."""

from __future__ import annotations

from typing import Any

from gate.interpret.base import Ctx


def more_groups(ctx: Ctx, first: dict[str, Any], paths: list[str]) -> None:
    """The log groups after the first of a plural 'log groups' mention, alike but for their name and path."""
    for path in dict.fromkeys(paths):
        if path == first.get("log_group_name"):
            continue
        name = ctx.claim(path.strip("/").replace("/", "-") or "logs")
        ctx.extra.append({**first, "name": name, "log_group_name": path})
        ctx.names.setdefault("log_group", []).append(name)
