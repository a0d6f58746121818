"""The audit trail: an append-only JSONL log of everything the gate did to an account or a tracker.

One record per line, each with ``kind`` (``apply-started``, ``apply-finished``, ``rollback``, ``outbox`` ...),
``at`` (UTC ISO time) and the facts of that kind.  Writers append; readers (the next run) look for records
that started and never finished, so a crash or a kill is never a silent half-state.  The default is a local
file (``.gate-state/audit.jsonl``); other stores (an S3 bucket) implement the same two methods.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from gate.errors import GateError

DEFAULT_AUDIT_PATH = ".gate-state/audit.jsonl"


class AuditLog(Protocol):
    def append(self, kind: str, **facts: Any) -> dict[str, Any]: ...

    def records(self) -> Iterator[dict[str, Any]]: ...


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class FileAuditLog:
    """JSONL on local disk; each append is one ``write`` of one line, flushed and fsynced."""

    def __init__(self, path: str | Path = DEFAULT_AUDIT_PATH) -> None:
        self.path = Path(path)

    def append(self, kind: str, **facts: Any) -> dict[str, Any]:
        record = {"kind": kind, "at": now(), **facts}
        line = json.dumps(record, sort_keys=True, default=str) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise GateError(
                f"cannot write the audit log ({exc.strerror})",
                source=str(self.path),
                fix="make the folder writable or set audit.path in .gate.yml",
            ) from exc
        return record

    def records(self) -> Iterator[dict[str, Any]]:
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as exc:
                    raise GateError(
                        f"line {number} of the audit log is not JSON",
                        source=str(self.path),
                        fix="restore the file from its backup; never edit it by hand",
                    ) from exc
