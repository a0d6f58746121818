"""What every pricing rule uses: the outcome types and the helpers that read a Priceable's attributes and the
price table (each raises :class:`NotPriced` with a reason rather than guessing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gate.cost.priceable import Priceable, Unresolved
from gate.cost.prices import PriceTable
from gate.cost.usage import UsageValues
from gate.models import CostComponent


class NotPriced(Exception):
    """The resource cannot be priced; the message says why (and, where it can, how to fix it)."""


class NoCharge(Exception):
    """This resource, as configured, has no charge of its own (an SSM parameter in the Standard tier)."""


@dataclass(frozen=True)
class Estimate:
    components: tuple[CostComponent, ...] = ()
    not_estimated: str | None = None
    free: bool = False

    @property
    def monthly(self) -> float | None:
        if self.not_estimated is not None:
            return None
        return round(sum(c.monthly_cost or 0.0 for c in self.components), 2)


Rule = Callable[[Priceable, PriceTable, UsageValues], list[CostComponent]]


def _comp(name: str, unit: str, quantity: float, price: float) -> CostComponent:
    return CostComponent(
        name=name, unit=unit, monthly_quantity=quantity, unit_price=price, monthly_cost=round(quantity * price, 4)
    )


def _usage(name: str, unit: str, price: float) -> CostComponent:
    return CostComponent(name=f"{name} (depends on usage)", unit=unit, unit_price=price)


def _price(value: float | None, what: str, table: PriceTable) -> float:
    if value is None and not table.as_of:
        raise NotPriced(f"no price table for region {table.region}")
    if value is None:
        raise NotPriced(f"no price for {what} in the {table.region} price table ({table.as_of})")
    return value


def _num(p: Priceable, attr: str, value: Any = None, default: float | None = None) -> float | None:
    value = p.attrs.get(attr) if value is None else value
    if isinstance(value, Unresolved):
        raise NotPriced(f"{attr} is only known at deploy time ({value.expr})")
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise NotPriced(f"{attr} is not a number ({value!r})")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise NotPriced(f"{attr} is not a number ({value!r})") from None


def _text(p: Priceable, attr: str, default: str, value: Any = None) -> str:
    value = p.attrs.get(attr) if value is None else value
    if isinstance(value, Unresolved):
        raise NotPriced(f"{attr} is only known at deploy time ({value.expr})")
    return default if value in (None, "") else str(value)


def _flag(p: Priceable, attr: str) -> bool:
    value = p.attrs.get(attr)
    if isinstance(value, Unresolved):
        raise NotPriced(f"{attr} is only known at deploy time ({value.expr})")
    return value is True or str(value).lower() == "true"


def _need_usage(usage: UsageValues, p: Priceable, *keys: str) -> None:
    if not any(k in usage for k in keys):
        raise NotPriced(
            f"usage-based: give {' / '.join(keys)} for {p.logical_id} (or its type) in the usage file (cost.usage_file)"
        )


def cluster_volume(section: str, label: str, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    """A cluster volume's storage (GB-months) and I/O requests from the ``section`` of the price table (Aurora,
    Neptune): at the usage given, else priced per unit and marked as depending on usage."""
    gb_price = _price(t.number(section, "storage_gb_month"), f"{label} storage", t)
    io_price = _price(t.number(section, "io_per_million"), f"{label} I/O requests", t)
    out: list[CostComponent] = []
    if "storage_gb" in usage:
        out.append(_comp("Cluster storage", "GB-months", float(usage["storage_gb"]), gb_price))
    else:
        out.append(_usage("Cluster storage", "GB-months", gb_price))
    if "monthly_io_requests" in usage:
        out.append(_comp("I/O requests", "1M requests", float(usage["monthly_io_requests"]) / 1e6, io_price))
    else:
        out.append(_usage("I/O requests", "1M requests", io_price))
    return out
