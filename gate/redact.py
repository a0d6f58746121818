"""Secrets are detected, never echoed: one set of patterns, used by the secrets check (to find them) and by
every output that could repeat them (comment, SARIF, audit log, console lines, the stored request text).

A match is replaced by ``[REDACTED:<kind>]``; for ``key = value`` forms only the value goes, so the reader
still sees *where* the secret was.  References to secret stores (``{{resolve:secretsmanager:...}}``,
``!Ref DbPassword``, ``${var.password}``) are not secrets and are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# A value that is a reference, not a literal: a dynamic reference, an intrinsic, an interpolation, a
# placeholder, or our own redaction marker.
_NOT_LITERAL = (
    r"(?!\{\{resolve:|!|\$\{|\$\(|\{|<|\[REDACTED|\*{3,}|x{4,}\b|changeme\b|null\b|none\b|true\b|false\b"
    r"|required\b|(?:var|local|data|module)\.|(?:aws|random)_[a-z0-9_]+\.)"
)

# kind -> (pattern, group holding the secret (0 = whole match))
PATTERNS: dict[str, tuple[re.Pattern[str], int]] = {
    "private-key": (
        re.compile(r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----[\s\S]*?(?:-----END (?:[A-Z]+ )*PRIVATE KEY-----|\Z)"),
        0,
    ),
    "aws-access-key-id": (re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"), 0),
    "aws-secret-access-key": (
        re.compile(
            r"(?i)(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)[\"']?\s*[:=]\s*[\"']?"
            r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"
        ),
        1,
    ),
    "github-token": (re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"), 0),
    "slack-token": (re.compile(r"\bxox[abposre]-[A-Za-z0-9-]{10,}"), 0),
    "password": (
        re.compile(
            r"(?i)\b(?:[a-z0-9_]*password|passwd|pwd|[a-z0-9_]*secret|[a-z0-9_]*token|api_?key)[\"']?"
            r"(?:\s*[:=]\s*|\s+is\s+)[\"']?" + _NOT_LITERAL + r"([^\s\"'&;,)}\]]{6,})"
        ),
        1,
    ),
}


@dataclass(frozen=True)
class SecretHit:
    kind: str
    line: int  # 1-based
    start: int
    end: int


def find_secrets(text: str) -> list[SecretHit]:
    """Every secret in ``text`` (overlaps resolved in favour of the more specific kind, listed first)."""
    hits: list[SecretHit] = []
    taken: list[tuple[int, int]] = []
    for kind, (pattern, group) in PATTERNS.items():
        for match in pattern.finditer(text):
            start, end = match.span(group)
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            hits.append(SecretHit(kind, text.count("\n", 0, start) + 1, start, end))
    return sorted(hits, key=lambda h: h.start)


def redact(text: str) -> str:
    """``text`` with every secret replaced by ``[REDACTED:<kind>]``."""
    if not text:
        return text
    hits = find_secrets(text)
    for hit in reversed(hits):
        text = text[: hit.start] + f"[REDACTED:{hit.kind}]" + text[hit.end :]
    return text


def redact_data(data: Any) -> Any:
    """Redact every string in a JSON-like structure (dict keys are left as they are)."""
    if isinstance(data, str):
        return redact(data)
    if isinstance(data, dict):
        return {key: redact_data(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [redact_data(value) for value in data]
    return data
