"""Money as people read it in the comment and on the console."""

from __future__ import annotations


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
