"""Findings + thresholds + waivers -> Verdict.

Fails closed: a check that errored blocks; an expired waiver blocks; a finding at or above ``fail_on``
blocks; at or above ``approval_on`` asks for approval.
"""

from __future__ import annotations

import datetime as dt

from gate.config import GateConfig, Waiver
from gate.cost.thresholds import cost_reasons
from gate.models import CheckReport, CostReport, Finding, Verdict, WaiverRecord


def _covers(waiver: Waiver, finding: Finding) -> bool:
    # a finding shown once for several checks of one risk is waived by a waiver for any of them
    ids = (finding.check_id, *finding.same_risk)
    return waiver.check_id in ids and waiver.resource in (None, finding.resource)


def apply_waivers(reports: list[CheckReport], config: GateConfig, today: dt.date) -> list[CheckReport]:
    """Mark findings covered by an unexpired waiver (expired ones are left unwaived, and blocked on)."""
    active = [w for w in config.waivers if w.expires_on >= today]
    out: list[CheckReport] = []
    for report in reports:
        findings = []
        for finding in report.findings:
            waiver = next((w for w in active if _covers(w, finding)), None)
            findings.append(finding.model_copy(update={"waived": waiver.reason}) if waiver else finding)
        out.append(report.model_copy(update={"findings": tuple(findings)}))
    return out


def decide(
    reports: list[CheckReport],
    config: GateConfig,
    today: dt.date,
    cost: CostReport | None = None,
    not_applied: tuple[str, ...] = (),
    unasked: tuple[str, ...] = (),
) -> Verdict:
    """``not_applied``: parts of the request the interpreter could not build; the spec is then incomplete, so a
    person must look (approval) even when every check passes, unless approvals are off (approval_on: null).
    ``unasked``: settings an LLM interpreter chose that no words of the request ask for; approval too."""
    blocked: list[str] = []
    approval: list[str] = []
    if not_applied and config.thresholds.approval_on is not None:
        shown = "; ".join(not_applied[:5]) + (f" and {len(not_applied) - 5} more" if len(not_applied) > 5 else "")
        approval.append(f"{len(not_applied)} part(s) of the request were not built: {shown}")
    if unasked and config.thresholds.approval_on is not None:  # an LLM's settings no words of the request ask for
        shown = "; ".join(unasked[:5]) + (f" and {len(unasked) - 5} more" if len(unasked) > 5 else "")
        approval.append(f"{len(unasked)} setting(s) the request does not ask for: {shown}")
    for report in reports:
        if report.status == "error":
            blocked.append(f"check {report.check} could not run: {report.detail}")
    for waiver in config.waivers:
        if waiver.expires_on < today:
            blocked.append(f"waiver for {waiver.check_id} expired on {waiver.expires}: renew it or fix the finding")
    live = [f for r in reports for f in r.findings if f.waived is None]
    thresholds = config.thresholds
    failing = [f for f in live if f.severity >= thresholds.fail_on]
    if failing:
        blocked.append(_count(failing, f"at or above {thresholds.fail_on.name}"))
    if thresholds.approval_on is not None:
        needs = [f for f in live if thresholds.approval_on <= f.severity < thresholds.fail_on]
        if needs:
            approval.append(_count(needs, f"at or above {thresholds.approval_on.name}"))
    if cost is not None:
        cost_blocked, cost_approval = cost_reasons(cost, config.cost.thresholds)
        blocked += cost_blocked
        approval += cost_approval
    if blocked:
        return Verdict(decision="blocked", reasons=tuple(blocked + approval))
    if approval:
        return Verdict(decision="needs-approval", reasons=tuple(approval))
    return Verdict(decision="pass", reasons=("no finding reaches a threshold",))


def _count(findings: list[Finding], where: str) -> str:
    ids = sorted({f.check_id for f in findings})
    shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    return f"{len(findings)} finding(s) {where}: {shown}"


def waiver_records(reports: list[CheckReport], config: GateConfig, today: dt.date) -> tuple[WaiverRecord, ...]:
    """Every waiver in .gate.yml with its status in this run: active (covered findings), expired (blocks the
    gate), or unused (matched nothing: a candidate for removal). All of them show in the comment."""
    findings = [f for r in reports for f in r.findings]
    out: list[WaiverRecord] = []
    for waiver in config.waivers:
        matched = sum(1 for f in findings if _covers(waiver, f))
        expired = waiver.expires_on < today
        status = "expired" if expired else "active" if matched else "unused"
        out.append(
            WaiverRecord(
                check_id=waiver.check_id,
                resource=waiver.resource,
                reason=waiver.reason,
                expires=waiver.expires,
                status=status,
                matched=matched,
            )
        )
    return tuple(out)
