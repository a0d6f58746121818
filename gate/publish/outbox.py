"""The outbox: ticket and notification operations that failed, kept in the audit log and retried next run.

A failure to reach Jira or a chat webhook never hides the gate result.  The operation is appended to the
audit log as a record of kind ``outbox`` (status ``pending``) holding the facts to replay, never a secret
(a webhook is named by the environment variable that holds its URL).  The next run replays pending items
first; each attempt appends another ``outbox`` record with the same id: ``done``, ``pending`` again (one
more attempt counted) or ``abandoned`` after ``max_attempts``.  The log stays append-only.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Container
from dataclasses import dataclass
from typing import Any, Literal

from gate.audit import AuditLog

OUTBOX_KIND = "outbox"
MAX_ATTEMPTS = 5
Status = Literal["pending", "done", "abandoned"]


@dataclass(frozen=True)
class OutboxItem:
    id: str
    op: str
    target: str
    facts: dict[str, Any]
    attempts: int
    error: str
    first_at: str


@dataclass(frozen=True)
class DrainResult:
    done: tuple[OutboxItem, ...] = ()
    failed: tuple[tuple[OutboxItem, str], ...] = ()
    abandoned: tuple[OutboxItem, ...] = ()
    blocked_targets: frozenset[str] = frozenset()


class PublishError(Exception):
    """A ticket or message could not be delivered; ``message`` is safe to print (no credentials, no URLs)."""

    def __init__(self, message: str, *, retry: bool = True) -> None:
        super().__init__(message)
        self.message = message
        self.retry = retry


class Outbox:
    def __init__(self, log: AuditLog, max_attempts: int = MAX_ATTEMPTS) -> None:
        self.log = log
        self.max_attempts = max_attempts

    def put(self, op: str, target: str, facts: dict[str, Any], error: str) -> OutboxItem:
        record = self.log.append(
            OUTBOX_KIND,
            id=uuid.uuid4().hex,
            status="pending",
            op=op,
            target=target,
            facts=facts,
            attempts=1,
            error=error,
        )
        return _item(record, record["at"])

    def pending(self, op: str | None = None) -> list[OutboxItem]:
        """Pending items in the order they were first queued (latest record per id decides)."""
        latest: dict[str, dict[str, Any]] = {}
        first_at: dict[str, str] = {}
        for record in self.log.records():
            if record.get("kind") != OUTBOX_KIND or "id" not in record:
                continue
            key = str(record["id"])
            first_at.setdefault(key, str(record.get("at", "")))
            latest[key] = record
        items = [_item(r, first_at[k]) for k, r in latest.items() if r.get("status") == "pending"]
        return [i for i in items if op is None or i.op == op]

    def _mark(self, item: OutboxItem, status: Status, **facts: Any) -> None:
        self.log.append(OUTBOX_KIND, id=item.id, status=status, op=item.op, target=item.target, **facts)

    def done(self, item: OutboxItem, note: str | None = None) -> None:
        self._mark(item, "done", attempts=item.attempts + 1, **({"note": note} if note else {}))

    def failed(self, item: OutboxItem, error: str) -> bool:
        """Record one more failed attempt; returns True when the item is abandoned (too many attempts)."""
        attempts = item.attempts + 1
        if attempts >= self.max_attempts:
            self._mark(item, "abandoned", attempts=attempts, error=error)
            return True
        self._mark(item, "pending", facts=item.facts, attempts=attempts, error=error)
        return False

    def drain(
        self, op: str, replay: Callable[[OutboxItem], None], targets: Container[str] | None = None
    ) -> DrainResult:
        """Replay pending items of ``op`` (for ``targets``) in order; after a target fails, it waits for next run."""
        done: list[OutboxItem] = []
        failed: list[tuple[OutboxItem, str]] = []
        abandoned: list[OutboxItem] = []
        blocked: set[str] = set()
        for item in self.pending(op):
            if item.target in blocked or (targets is not None and item.target not in targets):
                continue
            try:
                replay(item)
            except PublishError as exc:
                if not exc.retry:
                    self._mark(item, "abandoned", attempts=item.attempts + 1, error=exc.message)
                    abandoned.append(item)
                    continue
                blocked.add(item.target)
                if self.failed(item, exc.message):
                    abandoned.append(item)
                else:
                    failed.append((item, exc.message))
                continue
            self.done(item)
            done.append(item)
        return DrainResult(tuple(done), tuple(failed), tuple(abandoned), frozenset(blocked))


def _item(record: dict[str, Any], first_at: str) -> OutboxItem:
    facts = record.get("facts")
    return OutboxItem(
        id=str(record["id"]),
        op=str(record.get("op", "")),
        target=str(record.get("target", "")),
        facts=facts if isinstance(facts, dict) else {},
        attempts=int(record.get("attempts", 1)),
        error=str(record.get("error", "")),
        first_at=first_at,
    )
