"""Money as people read it in the comment and on the console."""

from __future__ import annotations

from gate.models import CostReport


def money(value: float | None, currency: str = "USD") -> str:
    """``$1,234.56`` (or ``1,234.56 EUR``); ``-`` when there is no amount (never a fake $0)."""
    if value is None:
        return "-"
    sign = "-" if value < 0 else ""
    amount = f"{abs(value):,.2f}"
    return f"{sign}${amount}" if currency == "USD" else f"{sign}{amount} {currency}"


def signed(value: float | None, currency: str = "USD") -> str:
    """``+$12.00`` / ``-$3.50`` / ``$0.00``; ``-`` when unknown."""
    if value is None:
        return "-"
    text = money(value, currency)
    return f"+{text}" if value > 0 else text


def quantity(value: float | None) -> str:
    """A quantity or unit price without scientific notation: ``730``, ``0.0000166667``, ``1,234.5``."""
    if value is None:
        return "-"
    if value == int(value):
        return f"{value:,.0f}"
    if abs(value) < 1:
        return f"{value:.10f}".rstrip("0")
    return f"{value:,.4f}".rstrip("0")


def usage_assumed(usage: dict[str, dict[str, float]]) -> str:
    """An assumed usage as a reader checks it: ``S3 bucket: 100 GB stored, 100,000 tier-1 requests/month``.

    For the options a request was weighed against (``OptionConsidered.cost_basis``): their figures are only as
    good as this usage, so it is said next to them.
    """
    parts = []
    for rtype, values in usage.items():
        shown = ", ".join(f"{quantity(v)} {_USAGE_WORDS.get(k, k.replace('_', ' '))}" for k, v in values.items())
        if shown:
            parts.append(f"{rtype.rsplit('::', 1)[-1]}: {shown}")
    return "; ".join(parts) or "no usage-priced part"


_USAGE_WORDS = {
    "storage_gb": "GB stored",
    "monthly_tier_1_requests": "PUT/LIST requests/month",
    "monthly_tier_2_requests": "GET requests/month",
    "monthly_requests": "requests/month",
    "monthly_data_processed_gb": "GB processed/month",
    "monthly_write_request_units": "write request units/month",
    "monthly_read_request_units": "read request units/month",
    "request_duration_ms": "ms per request",
    "monthly_hrs": "hours/month",
}


NOT_ESTIMATED = "not estimated"  # the one wording, everywhere, for a cost the gate could not price


def headline(priced: int, not_estimated: int, after: float, delta: float, currency: str = "USD") -> str:
    """The cost in one line, the same in the comment, the console and notifications: never ``$0.00`` for
    what was not priced. ``not estimated (3 resources)`` / ``$12.00/month (+$2.00) + 1 not estimated``."""
    if not priced and not_estimated:
        return f"{NOT_ESTIMATED} ({not_estimated} resource{'' if not_estimated == 1 else 's'})"
    text = f"{money(after, currency)}/month ({signed(delta, currency)})"
    return text + (f" + {not_estimated} {NOT_ESTIMATED}" if not_estimated else "")


def report_headline(report: CostReport) -> str:
    return headline(
        len(report.priced), len(report.not_estimated), report.monthly_after, report.monthly_delta, report.currency
    )
