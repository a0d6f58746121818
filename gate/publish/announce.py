"""Tell the tracker and the chat channels about a change: one call for every command (plan, apply, ticket).

``announce(plan, config, env, state)`` syncs the change ticket (when ``jira:`` is configured) and sends the
environment's notifications (when ``notifications.<env>`` lists targets).  It never raises for a delivery
problem: it returns lines to print, and failed operations wait in the outbox for the next run.  The caller
keeps exiting with the gate's own verdict code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from gate.audit import DEFAULT_AUDIT_PATH, AuditLog, FileAuditLog
from gate.config import GateConfig, TrackerState
from gate.models import GatePlan
from gate.publish.facts import ChangeFacts, Link, facts_from_plan, state_for_verdict
from gate.publish.notify import NotifyOutcome, send_notifications
from gate.publish.tickets import TicketOutcome, configured_tracker, publish_ticket


@dataclass(frozen=True)
class Announcement:
    facts: ChangeFacts
    ticket: TicketOutcome | None = None
    notify: NotifyOutcome | None = None
    lines: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())


def audit_log(config: GateConfig, path: str | None = None) -> AuditLog:
    """The audit log the outbox lives in: ``path``, else ``deploy.audit_path`` from .gate.yml, else the default.

    The outbox always uses the local file (an S3 audit log needs AWS credentials a PR job may not have).
    """
    if path is None:
        section = getattr(config, "deploy", None)
        configured = getattr(section, "audit_path", None)
        path = configured if isinstance(configured, str) and configured else DEFAULT_AUDIT_PATH
    return FileAuditLog(Path(path))


def default_state(plan: GatePlan, config: GateConfig) -> TrackerState:
    auto = config.jira.auto_approve_on_pass if config.jira else True
    return state_for_verdict(plan.verdict.decision, auto)


def announce(
    plan: GatePlan,
    config: GateConfig,
    env: str = "default",
    state: TrackerState | None = None,
    *,
    log: AuditLog | None = None,
    links: tuple[Link, ...] = (),
    detail: str | None = None,
    tickets: bool = True,
    notifications: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Announcement:
    facts = facts_from_plan(plan, env, state or default_state(plan, config), links, detail)
    log = log or audit_log(config)
    lines: list[str] = []
    warnings: list[str] = []
    ticket: TicketOutcome | None = None
    tracker = configured_tracker(config, environ) if tickets else None
    if tracker is not None:
        ticket = publish_ticket(facts, tracker, log)
        if ticket.replayed:
            lines.append(f"ticket: replayed {len(ticket.replayed)} queued update(s) from the outbox")
        if ticket.ref is not None:
            verb = "created" if ticket.ref.created else "updated"
            moved = f", moved to {facts.label}" if ticket.ref.transitioned else ""
            lines.append(f"ticket: {ticket.ref.key} {verb}{moved} ({ticket.ref.url})")
        warnings.extend(ticket.warnings)
    notify: NotifyOutcome | None = None
    if notifications:
        notify = send_notifications(facts, config, log, environ)
        if notify.replayed:
            lines.append(f"notify: replayed {len(notify.replayed)} queued message(s) from the outbox")
        if notify.sent:
            lines.append(f"notify: {facts.label} sent to {', '.join(notify.sent)}")
        if notify.note:
            lines.append(f"notify: {notify.note}")
        warnings.extend(notify.warnings)
    return Announcement(facts, ticket, notify, tuple(lines), tuple(warnings))
