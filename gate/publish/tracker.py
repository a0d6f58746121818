"""The tracker port: change tickets, one per PR and environment.

An adapter (``gate/publish/jira.py``) implements :class:`Tracker`; ``gate/publish/tickets.py`` picks it from
the config, adds the outbox around it and answers approval questions for apply.  Adapters raise
:class:`gate.publish.outbox.PublishError` with a message that is safe to print (no credentials).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from gate.config import TrackerState
from gate.publish.facts import ChangeFacts


@dataclass(frozen=True)
class TicketRef:
    """What a sync did: the ticket, whether it was created, the state it is in now, and anything to warn about."""

    key: str
    url: str
    created: bool
    state: TrackerState | None
    transitioned: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TicketStatus:
    """A ticket as the tracker sees it now (used to decide whether apply may go ahead)."""

    key: str
    url: str
    status: str
    approved: bool = False
    bundle_sha256: str | None = None
    state: str | None = None


class Tracker(Protocol):
    name: str

    def sync(self, facts: ChangeFacts) -> TicketRef:
        """Find the change's ticket (or create it), update it with the facts, move it to ``facts.state``."""
        ...

    def find(self, identity: str, env: str) -> TicketStatus | None:
        """The change's ticket, or None when the gate never opened one."""
        ...
