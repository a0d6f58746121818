"""Cost thresholds from ``.gate.yml`` (``cost.thresholds``) -> reasons to block or to ask for approval."""

from __future__ import annotations

from gate.config import CostThreshold, CostThresholds
from gate.models import CostReport


def cost_reasons(cost: CostReport, thresholds: CostThresholds) -> tuple[list[str], list[str]]:
    """(blocking reasons, approval reasons). The base for percentages is the priced 'before' total; with an
    empty base (a new stack) the percentage is undefined and only the USD thresholds apply."""
    blocked: list[str] = []
    approval: list[str] = []

    def hit(rule: CostThreshold, text: str) -> None:
        (blocked if rule.action == "block" else approval).append(text)

    cur = cost.currency
    if (rule := thresholds.monthly_delta_usd) is not None and cost.monthly_delta > rule.limit:
        hit(rule, f"monthly cost rises by {cost.monthly_delta:,.2f} {cur}, over the {rule.limit:,.2f} {cur} limit")
    pct = cost.percent_change
    if (rule := thresholds.percent_increase) is not None and pct is not None and pct > rule.limit:
        hit(rule, f"monthly cost rises by {pct:.1f}%, over the {rule.limit:g}% limit")
    if (rule := thresholds.monthly_total_usd) is not None and cost.monthly_after > rule.limit:
        hit(
            rule,
            f"monthly cost after the change is {cost.monthly_after:,.2f} {cur}, over the {rule.limit:,.2f} {cur} limit",
        )
    configured = any(r is not None for r in (thresholds.monthly_delta_usd, thresholds.percent_increase,
                                              thresholds.monthly_total_usd))  # fmt: skip
    if configured and cost.not_estimated:
        ids = ", ".join(line.logical_id for line in cost.not_estimated[:5])
        more = f" and {len(cost.not_estimated) - 5} more" if len(cost.not_estimated) > 5 else ""
        approval.append(
            f"{len(cost.not_estimated)} resource(s) could not be priced ({ids}{more}), so the cost thresholds "
            "cannot be fully checked"
        )
    return blocked, approval
