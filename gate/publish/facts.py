"""The facts a ticket and a notification carry, derived from ``GatePlan`` once so every channel says the same.

``ChangeFacts`` is also what the outbox stores: a failed ticket or message can be replayed on the next run
without the plan file.  It holds no secrets (webhook URLs and credentials stay in the environment).
"""

from __future__ import annotations

import hashlib
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from gate.config import TrackerState
from gate.cost.format import NOT_ESTIMATED, headline
from gate.models import GatePlan, Severity

STATES: tuple[TrackerState, ...] = get_args(TrackerState)
STATE_LABELS: dict[TrackerState, str] = {
    "blocked": "Blocked",
    "needs-approval": "Needs approval",
    "approved": "Approved",
    "deployed": "Deployed",
    "rolled-back": "Rolled back",
}
TOP_FINDINGS = 10


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(_Frozen):
    title: str
    url: str = Field(pattern=r"^https?://")


class FindingLine(_Frozen):
    severity: str
    check_id: str
    title: str
    resource: str | None = None


class CostFacts(_Frozen):
    currency: str = "USD"
    monthly_before: float | None = None
    monthly_after: float | None = None
    monthly_delta: float | None = None
    not_estimated: int = Field(default=0, description="resources the estimate could not price")
    priced: int = Field(default=-1, description="resources the estimate priced (-1: not recorded)")


class ChangeFacts(_Frozen):
    """One change in one environment at one state: what tickets and messages say."""

    identity: str = Field(description="the PR URL, or plan:<bundle sha256> without a PR")
    env: str
    state: TrackerState
    decision: Literal["pass", "needs-approval", "blocked"]
    reasons: tuple[str, ...] = ()
    repository: str | None = None
    pr_number: int | None = None
    pr_url: str | None = None
    head_sha: str | None = None
    actor: str | None = None
    request: str | None = Field(default=None, description="the change request text (untrusted: escape it)")
    stack_name: str | None = None
    region: str
    bundle_sha256: str
    resources: int = 0
    changes: int = 0
    findings: dict[str, int] = Field(default_factory=dict, description="live (unwaived) findings per severity")
    waived: int = 0
    top_findings: tuple[FindingLine, ...] = ()
    cost: CostFacts | None = None
    links: tuple[Link, ...] = ()
    detail: str | None = Field(default=None, description="what happened, e.g. the alarm that caused a rollback")

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def title(self) -> str:
        if self.repository and self.pr_number is not None:
            where = f"{self.repository}#{self.pr_number}"
        elif self.stack_name:
            where = f"stack {self.stack_name}"
        else:
            where = f"plan {self.bundle_sha256[:12]}"
        return f"devops-gate: {where} ({self.env})"

    @property
    def findings_summary(self) -> str:
        parts = [
            f"{self.findings[sev.name]} {sev.name.lower()}" for sev in reversed(Severity) if sev.name in self.findings
        ]
        if not self.waived:
            return ", ".join(parts) or "no findings"
        return f"{', '.join(parts) or 'no open findings'} ({self.waived} waived)"  # waived ones are not counted

    @property
    def cost_summary(self) -> str:
        return cost_text(self.cost)


def ticket_label(identity: str, env: str) -> str:
    """The label that finds a change's ticket again (Jira labels take no spaces; the PR URL is hashed)."""
    digest = hashlib.sha256(f"{identity}\n{env}".encode()).hexdigest()[:16]
    return f"devops-gate-{digest}"


def identity_of(plan: GatePlan) -> str:
    """What a ticket is for: the PR, or (without one) the reviewed plan itself."""
    return plan.context.pr_url or f"plan:{plan.bundle_sha256}"


def state_for_verdict(decision: str, auto_approve_on_pass: bool = True) -> TrackerState:
    if decision == "blocked":
        return "blocked"
    if decision == "pass" and auto_approve_on_pass:
        return "approved"
    return "needs-approval"


def _money(value: float, currency: str, signed: bool = False) -> str:
    sign = ("+" if value > 0 else "-" if value < 0 else "±") if signed else ("-" if value < 0 else "")
    prefix = "$" if currency == "USD" else f"{currency} "
    return f"{sign}{prefix}{abs(value):,.2f}"


def cost_text(cost: CostFacts | None) -> str:
    if cost is None or cost.monthly_delta is None:
        return NOT_ESTIMATED
    if cost.priced == 0 and cost.not_estimated:  # nothing priced: not a $0.00 change
        return headline(0, cost.not_estimated, 0.0, 0.0, cost.currency)
    text = f"{_money(cost.monthly_delta, cost.currency, signed=True)}/month"
    if cost.monthly_before is not None and cost.monthly_after is not None:
        text += f" ({_money(cost.monthly_before, cost.currency)} → {_money(cost.monthly_after, cost.currency)})"
    if cost.not_estimated:
        text += f"; {cost.not_estimated} resource(s) not estimated"
    return text


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def cost_from_plan(plan: GatePlan) -> CostFacts | None:
    """The plan's cost delta, when the plan carries a cost report (older plans and disabled cost have none)."""
    report = getattr(plan, "cost", None)
    if report is None:
        return None
    currency = getattr(report, "currency", "USD")
    missing = getattr(report, "not_estimated", ())
    return CostFacts(
        currency=currency if isinstance(currency, str) else "USD",
        monthly_before=_number(getattr(report, "monthly_before", None)),
        monthly_after=_number(getattr(report, "monthly_after", None)),
        monthly_delta=_number(getattr(report, "monthly_delta", None)),
        not_estimated=len(missing) if isinstance(missing, tuple | list) else 0,
        priced=len(priced) if isinstance(priced := getattr(report, "priced", ()), tuple | list) else -1,
    )


def facts_from_plan(
    plan: GatePlan,
    env: str,
    state: TrackerState,
    links: tuple[Link, ...] = (),
    detail: str | None = None,
) -> ChangeFacts:
    live = [f for f in plan.findings if f.waived is None]
    counts: dict[str, int] = {}
    for sev in reversed(Severity):
        n = sum(1 for f in live if f.severity == sev)
        if n:
            counts[sev.name] = n
    top = sorted(live, key=lambda f: (-f.severity, f.check_id, f.resource or ""))[:TOP_FINDINGS]
    ctx = plan.context
    all_links = ((Link(title="Pull request", url=ctx.pr_url),) if ctx.pr_url else ()) + links
    return ChangeFacts(
        identity=identity_of(plan),
        env=env,
        state=state,
        decision=plan.verdict.decision,
        reasons=plan.verdict.reasons,
        repository=ctx.repository,
        pr_number=ctx.pr_number,
        pr_url=ctx.pr_url,
        head_sha=ctx.head_sha,
        actor=ctx.actor,
        request=plan.request.text if plan.request else None,
        stack_name=plan.stack_name,
        region=plan.region,
        bundle_sha256=plan.bundle_sha256,
        resources=len(plan.resources),
        changes=len(plan.changes),
        findings=counts,
        waived=sum(1 for f in plan.findings if f.waived is not None),
        top_findings=tuple(
            FindingLine(severity=f.severity.name, check_id=f.check_id, title=f.title, resource=f.resource) for f in top
        ),
        cost=cost_from_plan(plan),
        links=all_links,
        detail=detail,
    )
