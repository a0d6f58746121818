"""CloudWatch log groups: path, retention, KMS key.  Several in one phrase ('log groups /svc/auth, /svc/cart and
/svc/search, 30 days retention on all of them') are one log group per path, each with the settings written for all."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import extract
from gate.interpret.base import Ctx, Resource


def more_groups(ctx: Ctx, first: dict[str, Any], paths: list[str], own: dict[str, int]) -> None:
    """The log groups after the first of a plural 'log groups' mention, alike but for their name and path, and for
    a retention written for that path alone (``own``: '/app/a (keep a month) and /app/b (keep a week)')."""
    for path in dict.fromkeys(paths):
        if path == first.get("log_group_name"):
            continue
        name = ctx.claim(path.strip("/").replace("/", "-") or "logs")
        group = {**first, "name": name, "log_group_name": path}
        if path in own:
            group["retention_days"] = own[path]
        ctx.extra.append(group)
        ctx.names.setdefault("log_group", []).append(name)


def _own_retentions(text: str) -> dict[str, int]:
    """Each path's retention when the text between it and the next path states one ('/a (30 days) and /b (7 days)')."""
    found = [(m.group(1).rstrip("."), m.start(), m.end()) for m in _PATH.finditer(text)]
    out: dict[str, int] = {}
    for i, (path, _, end) in enumerate(found):
        clause = text[end : found[i + 1][1] if i + 1 < len(found) else len(text)]
        seconds = extract.durations_seconds(clause)
        # the last path's words are its own only when the paths before it have their own too: else they are the
        # words for all of them ('/a, /b and /c, 30 days retention on all of them')
        if seconds and (i + 1 < len(found) or out):
            out[path] = _allowed(extract.days(seconds[0][0]))
    return out


def _allowed(days: int) -> int:
    return next((d for d in _RETENTIONS if d >= days), 3653)


_PATH = re.compile(r"(?<![\w])(/[A-Za-z0-9_.#-]+(?:/[A-Za-z0-9_.#-]+)+)")
_RETENTIONS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)


class LogGroupRecogniser:
    kind = "log_group"
    default_name = "logs"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        path = re.search(r"(?<![\w])(/[A-Za-z0-9_.#-]+(?:/[A-Za-z0-9_.#-]+)+)", text)
        if path:
            out["log_group_name"] = path.group(1).rstrip(".")  # the sentence's full stop is not part of it
        elif ctx.segment_name and re.fullmatch(r"[A-Za-z0-9_./#-]{1,512}", ctx.segment_name):
            out["log_group_name"] = ctx.segment_name
        key = re.search(r"\b(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+)", text)
        if key:
            out["kms_key_arn"] = key.group(1)
        kept = extract.duration_near(
            text, r"retention|retain(?:ed)?|keep(?:s)?(?:\s+(?:logs|them|it))?|kept|expire\w*|for"
        )
        if kept is None and (found := extract.durations_seconds(text)):
            kept = found[0][0]
        if kept is not None:
            wanted = extract.days(kept)
            chosen = _allowed(wanted)
            out["retention_days"] = chosen
            if chosen != wanted:
                ctx.assume(
                    name, "retention_days", chosen, f"CloudWatch Logs offers no {wanted}-day retention; next longer"
                )
        else:
            ctx.assume(name, "retention_days", 365, "the request gives no retention")
        if path and re.search(r"groups\b", ctx.segment.mention.text, re.I):
            own = _own_retentions(text)
            if own.get(out.get("log_group_name", "")):
                out["retention_days"] = own[out["log_group_name"]]
            more_groups(ctx, out, [p.rstrip(".") for p in _PATH.findall(text)[1:]], own)
        return out
