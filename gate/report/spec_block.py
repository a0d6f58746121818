"""The current ChangeSpec as a hidden block in the sticky PR comment, so a later ``/gate plan <refinement>``
can recover it from the PR's own comments (no server-side state).

Format: ``<!-- devops-gate:spec v1 BASE64 -->`` where BASE64 is the standard base64 of the spec's compact
JSON.  Base64 has no ``-``, ``<`` or ``>``, so the block cannot close the HTML comment or inject markdown.

Anyone can post a comment, so a block is only as trustworthy as its author: callers must read it from the
gate's own sticky comment (by the bot account), and the decoded spec is validated like any other input and
gated again before anything is applied.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable

from pydantic import ValidationError

from gate.errors import GateError
from gate.redact import redact
from gate.spec import ChangeSpec

VERSION = "v1"
PREFIX = "<!-- devops-gate:spec"
MAX_BLOCK_CHARS = 60_000  # GitHub comments hold 65,536 characters; the rest of the comment needs room
_BLOCK_RE = re.compile(r"<!-- devops-gate:spec (v\d+) ([A-Za-z0-9+/=\s]{0,200000}?) -->")


def encode(spec: ChangeSpec) -> str:
    """The hidden block for ``spec`` (empty when it would not fit in a comment; the plan then starts over)."""
    # secrets are redacted before encoding: base64 must not smuggle past the comment's redaction
    payload = redact(json.dumps(spec.model_dump(mode="json"), separators=(",", ":"), sort_keys=True))
    data = base64.b64encode(payload.encode("utf-8")).decode("ascii")
    block = f"{PREFIX} {VERSION} {data} -->"
    return block if len(block) <= MAX_BLOCK_CHARS else ""


def decode(body: str) -> ChangeSpec | None:
    """The spec in the last block of a comment body; None when there is none; GateError when it is damaged."""
    found = list(_BLOCK_RE.finditer(body))
    if not found:
        return None
    version, data = found[-1].group(1), found[-1].group(2)
    if version != VERSION:
        raise GateError(
            f"the previous plan's spec block has version {version}, this gate reads {VERSION}",
            fix="run '/gate plan' with the whole request to start over",
        )
    try:
        raw = base64.b64decode("".join(data.split()), validate=True)
        return ChangeSpec.model_validate(json.loads(raw.decode("utf-8")))
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GateError(
            f"the previous plan's spec block cannot be read ({type(exc).__name__})",
            fix="run '/gate plan' with the whole request to start over",
        ) from exc
    except ValidationError as exc:
        raise GateError(
            f"the previous plan's spec block is not a valid spec: {exc.errors()[0]['msg']}",
            fix="run '/gate plan' with the whole request to start over",
        ) from exc


def latest_spec(bodies: Iterable[str]) -> ChangeSpec | None:
    """The spec of the newest body (in the order given, oldest first) that carries a block."""
    latest: str | None = None
    for body in bodies:
        if PREFIX in body:
            latest = body
    return decode(latest) if latest is not None else None
