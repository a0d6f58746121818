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
from gate.redact import redact_data

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
        record: dict[str, Any] = redact_data({"kind": kind, "at": now(), **facts})  # secrets are never written
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


class S3AuditLog:
    """The audit log in an S3 bucket.  S3 has no append, so each record is one object
    (``<prefix><time>-<random>.json``); reading lists the prefix in key order, which is time order."""

    def __init__(self, client: Any, bucket: str, prefix: str = "devops-gate/audit/") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix

    def append(self, kind: str, **facts: Any) -> dict[str, Any]:
        import uuid

        record: dict[str, Any] = redact_data({"kind": kind, "at": now(), **facts})  # secrets are never written
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        key = f"{self.prefix}{stamp}-{uuid.uuid4().hex[:8]}.json"
        body = json.dumps(record, sort_keys=True, default=str).encode()
        try:
            self.client.put_object(Bucket=self.bucket, Key=key, Body=body, ContentType="application/json")
        except Exception as exc:  # botocore errors of several kinds; the log must not fail silently
            raise GateError(
                f"cannot write the audit log to s3://{self.bucket}/{self.prefix} ({exc})",
                fix="check deploy.audit_bucket and the role's s3:PutObject permission",
            ) from exc
        return record

    def records(self) -> Iterator[dict[str, Any]]:
        paginator = self.client.get_paginator("list_objects_v2")
        keys: list[str] = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
            keys.extend(str(obj["Key"]) for obj in page.get("Contents", []))
        for key in sorted(keys):
            body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
            try:
                yield json.loads(body)
            except json.JSONDecodeError as exc:
                raise GateError(
                    "an audit record is not JSON", source=f"s3://{self.bucket}/{key}", fix="restore it from versioning"
                ) from exc


def unfinished_applies(log: AuditLog, stack_name: str, region: str) -> list[dict[str, Any]]:
    """``apply-started`` records for this stack with no ``apply-finished`` and not yet reported as interrupted."""
    started: dict[str, dict[str, Any]] = {}
    executed: set[str] = set()
    closed: set[str] = set()
    for record in log.records():
        run_id = str(record.get("run_id", ""))
        kind = record.get("kind")
        if kind == "apply-started" and record.get("stack_name") == stack_name and record.get("region") == region:
            started[run_id] = record
        elif kind == "apply-executed":
            executed.add(run_id)
        elif kind == "apply-finished":
            closed.add(run_id)
        elif kind == "apply-interrupted":
            closed.add(str(record.get("interrupted_run_id", "")))
    return [{**rec, "executed": run_id in executed} for run_id, rec in started.items() if run_id not in closed]


def rolled_back_runs(log: AuditLog, stack_name: str, region: str, plan_sha256: str) -> list[dict[str, Any]]:
    """The ``apply-finished`` records of earlier runs that applied this plan (its bundle sha256) to this stack and
    region and then rolled it back: running the plan again would re-apply a change its alarms already rejected."""
    ran: set[str] = set()
    found: list[dict[str, Any]] = []
    for record in log.records():
        kind, run_id = record.get("kind"), str(record.get("run_id", ""))
        here = record.get("stack_name") == stack_name and record.get("region") == region
        if kind == "apply-started" and here and record.get("plan_sha256") == plan_sha256:
            ran.add(run_id)
        elif kind == "apply-finished" and run_id in ran and record.get("outcome") == "rolled-back":
            found.append(record)
    return found
