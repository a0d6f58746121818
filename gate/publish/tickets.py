"""Change tickets: pick the tracker adapter from the config, replay the outbox, answer approval for apply.

For apply (issue 5): ``approval_required(config)`` says whether a Jira approval is a required input, and
``is_approved(plan, config, env)`` (or ``check_approval`` for the reason) says whether the change's ticket
is in an approved status for exactly this reviewed plan: the plan that was in the ticket when it was approved,
never a newer plan that arrived while the ticket could not be moved back to needs approval.  They fail closed:
if Jira cannot be asked, ``check_approval`` raises ``GateError`` and apply must refuse.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from gate.audit import AuditLog
from gate.config import GateConfig
from gate.errors import GateError
from gate.models import GatePlan
from gate.publish.facts import ChangeFacts, identity_of
from gate.publish.jira import JiraTracker
from gate.publish.outbox import Outbox, OutboxItem, PublishError
from gate.publish.tracker import TicketRef, TicketStatus, Tracker

TICKET_OP = "ticket"
TrackerFactory = Callable[[GateConfig, Mapping[str, str] | None], Tracker]


def _jira(config: GateConfig, environ: Mapping[str, str] | None) -> Tracker:
    if config.jira is None:
        raise GateError("jira is not configured", fix="add a jira: section to .gate.yml (README, 'Change tickets')")
    return JiraTracker(config.jira, environ)


TRACKERS: dict[str, TrackerFactory] = {"jira": _jira}


def configured_tracker(config: GateConfig, environ: Mapping[str, str] | None = None) -> Tracker | None:
    """The tracker the config asks for, or None when tickets are off."""
    return TRACKERS["jira"](config, environ) if config.jira is not None else None


@dataclass(frozen=True)
class TicketOutcome:
    ref: TicketRef | None
    queued: OutboxItem | None = None
    warnings: tuple[str, ...] = ()
    replayed: tuple[str, ...] = ()


def _ticket_of(facts: Mapping[str, object]) -> tuple[str, str]:
    return str(facts.get("identity", "")), str(facts.get("env", ""))


def _replay(tracker: Tracker, item: OutboxItem) -> None:
    try:
        facts = ChangeFacts.model_validate(item.facts)
    except ValidationError:
        raise PublishError("the queued ticket update is not readable by this gate version", retry=False) from None
    tracker.sync(facts)


def publish_ticket(facts: ChangeFacts, tracker: Tracker, log: AuditLog) -> TicketOutcome:
    """Replay the outbox, then sync this change's ticket; failures go to the outbox, never raise."""
    outbox = Outbox(log)
    warnings: list[str] = []
    pending = [i for i in outbox.pending(TICKET_OP) if i.target == tracker.name]
    newest = {_ticket_of(i.facts): i.id for i in pending}
    for item in pending:  # only the newest facts of a ticket matter; this run's facts are newer than all
        key = _ticket_of(item.facts)
        if key == (facts.identity, facts.env) or newest[key] != item.id:
            outbox.done(item, note="superseded by a newer update of the same ticket")
    drained = outbox.drain(TICKET_OP, lambda item: _replay(tracker, item), targets={tracker.name})
    for item, error in drained.failed:
        warnings.append(f"queued ticket update for {item.facts.get('identity')} still failing: {error}")
    for item in drained.abandoned:
        warnings.append(f"gave up on a queued ticket update for {item.facts.get('identity')} ({item.error})")
    replayed = tuple(str(i.facts.get("identity")) for i in drained.done)
    if tracker.name in drained.blocked_targets:
        error = drained.failed[0][1] if drained.failed else "an earlier queued update failed"
        queued = outbox.put(TICKET_OP, tracker.name, facts.model_dump(mode="json"), error)
        warnings.append(f"ticket not updated ({error}); queued in the outbox, retried on the next run")
        return TicketOutcome(None, queued, tuple(warnings), replayed)
    try:
        ref = tracker.sync(facts)
    except PublishError as exc:
        if not exc.retry:
            warnings.append(f"ticket not updated: {exc.message}")
            return TicketOutcome(None, None, tuple(warnings), replayed)
        queued = outbox.put(TICKET_OP, tracker.name, facts.model_dump(mode="json"), exc.message)
        warnings.append(f"ticket not updated: {exc.message}; queued in the outbox, retried on the next run")
        return TicketOutcome(None, queued, tuple(warnings), replayed)
    return TicketOutcome(ref, None, (*warnings, *ref.notes), replayed)


# -- approval before apply ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalCheck:
    approved: bool
    reason: str
    ticket: TicketStatus | None = None


def approval_required(config: GateConfig) -> bool:
    """True when .gate.yml makes a Jira approval a required input before apply."""
    return config.jira is not None and config.jira.require_approval_before_apply


def check_approval(
    plan: GatePlan, config: GateConfig, env: str = "default", tracker: Tracker | None = None
) -> ApprovalCheck:
    """Whether the change's ticket is approved for exactly this plan; raises GateError if Jira cannot be asked."""
    tracker = tracker or configured_tracker(config)
    if tracker is None:
        raise GateError(
            "a Jira approval was asked for, but jira is not configured",
            fix="add a jira: section to .gate.yml, or do not require approval",
        )
    try:
        ticket = tracker.find(identity_of(plan), env)
    except PublishError as exc:
        raise GateError(
            f"cannot confirm the Jira approval: {exc.message}",
            fix="apply needs a confirmed approval; fix the Jira connection and run apply again",
        ) from None
    if ticket is None:
        return ApprovalCheck(False, f"no change ticket for this change in environment {env!r}; run the plan first")
    if not ticket.approved:
        return ApprovalCheck(False, f"{ticket.key} is in status {ticket.status!r}; approve it in Jira", ticket)
    # ticket.bundle_sha256 is the plan the approval belongs to: the tracker never moves it to a newer plan
    # while the ticket stays approved (a newer plan waits as pending until the ticket leaves its approved status)
    if ticket.bundle_sha256 != plan.bundle_sha256:
        got = (ticket.bundle_sha256 or "none")[:12]
        return ApprovalCheck(
            False,
            f"{ticket.key} was approved for plan {got}, not this plan {plan.bundle_sha256[:12]}; move the ticket "
            "out of its approved status, re-run the gate on this plan, then approve it again",
            ticket,
        )
    return ApprovalCheck(True, f"{ticket.key} approved ({ticket.status})", ticket)


def is_approved(plan: GatePlan, config: GateConfig, env: str = "default", tracker: Tracker | None = None) -> bool:
    return check_approval(plan, config, env, tracker).approved
