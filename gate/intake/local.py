"""Requests from the command line: --request TEXT or --request-file FILE."""

from __future__ import annotations

from pathlib import Path

from gate.errors import GateError
from gate.models import ChangeRequest


def from_text(text: str) -> ChangeRequest:
    if not text.strip():
        raise GateError(
            "the change request is empty",
            source="--request",
            fix="write what to create, e.g. --request 'Create an S3 bucket named acme-invoices'",
        )
    return ChangeRequest(text=text.strip(), origin="cli")


def from_file(path: str) -> ChangeRequest:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise GateError(
            f"cannot read the request file ({reason})",
            source=path,
            fix="pass --request-file with a readable text or markdown file",
        ) from exc
    if not text.strip():
        raise GateError("the request file is empty", source=path, fix="write the change request in it")
    return ChangeRequest(text=text.strip(), origin=f"file:{path}")
