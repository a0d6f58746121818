"""The merge side's ports to the change ticket and chat (gate/deploy/spine.py): a Jira approval as an
:class:`~gate.deploy.spine.Approver`, and the ticket/chat announcement of each apply outcome as an
:class:`~gate.deploy.spine.Announcer`. The CLI, the GitHub flow and the CodePipeline worker all take them from
:func:`ticket_ports`, so each applies with the same approvals and tells the same people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gate.config import GateConfig, TrackerState
from gate.deploy.spine import Approval, Approver
from gate.models import ApplyOutcome, GatePlan
from gate.publish.announce import announce
from gate.publish.tickets import approval_required, check_approval
from gate.redact import redact

_TRACKED: dict[str, TrackerState] = {"applied": "deployed", "no-changes": "deployed", "rolled-back": "rolled-back"}


@dataclass(frozen=True)
class JiraApproval:
    """``jira.require_approval_before_apply``: the change ticket must be approved for exactly this plan (any
    verdict); Jira that cannot be asked is a GateError (fail closed)."""

    config: GateConfig

    def required_for(self, plan: GatePlan) -> bool:
        return True

    def confirm(self, plan: GatePlan, environment: str) -> Approval:
        check = check_approval(plan, self.config, environment)
        key = check.ticket.key if check.ticket else None
        return Approval(check.approved, check.reason, "jira", approver=None, facts={"ticket": key} if key else {})


@dataclass(frozen=True)
class TicketAnnouncer:
    """Moves the change ticket and tells chat of each outcome; a delivery problem is a warning, never a failure."""

    config: GateConfig
    say: Callable[[str], None]
    warn: Callable[[str], None]

    def outcome(self, plan: GatePlan, environment: str, outcome: ApplyOutcome) -> None:
        state = _TRACKED.get(outcome.outcome)
        if state is None:
            if self.config.jira is not None:
                self.say(f"ticket: not moved ({outcome.outcome} has no ticket state); see the audit log")
            return
        told = announce(plan, self.config, environment, state, detail=outcome.detail)
        for line in told.lines:
            self.say(line)
        for warning in told.warnings:
            self.warn(f"warning: {redact(warning)}")


def ticket_ports(
    config: GateConfig, say: Callable[[str], None], warn: Callable[[str], None]
) -> tuple[tuple[Approver, ...], TicketAnnouncer]:
    """The approvers and the announcer every caller of ``apply_reviewed`` passes."""
    approvers: tuple[Approver, ...] = (JiraApproval(config),) if approval_required(config) else ()
    return approvers, TicketAnnouncer(config, say, warn)
