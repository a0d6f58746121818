"""The built-in estimator: resources -> priced estimates -> a base-vs-head :class:`CostReport`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from gate.cost.prices import PriceTable
from gate.cost.resources import Priceable, from_cloudformation, from_terraform
from gate.cost.rules import Estimate, estimate
from gate.cost.usage import Usage
from gate.models import CostLine, CostRecommendation, CostReport


@dataclass(frozen=True)
class Priced:
    resource: Priceable
    estimate: Estimate


Side = dict[str, Priced]


def price_all(resources: Iterable[Priceable], table: PriceTable, usage: Usage) -> Side:
    return {p.logical_id: Priced(p, estimate(p, table, usage.for_resource(p.logical_id, p.type))) for p in resources}


def price_cloudformation(template: dict[str, Any] | None, table: PriceTable, usage: Usage, prefix: str = "") -> Side:
    if not template:
        return {}
    resources = from_cloudformation(template)
    if prefix:
        resources = [Priceable(f"{prefix}{p.logical_id}", p.type, p.kind, p.attrs, p.tags) for p in resources]
    return price_all(resources, table, usage)


def price_terraform(parsed: dict[str, Any], table: PriceTable, usage: Usage) -> Side:
    return price_all(from_terraform(parsed), table, usage)


def _line(logical_id: str, before: Priced | None, after: Priced | None) -> CostLine | None:
    current = after or before
    assert current is not None
    if (before is None or before.estimate.free) and (after is None or after.estimate.free):
        return None
    change: Literal["add", "remove", "modify", "same"]
    if before is None:
        change = "add"
    elif after is None:
        change = "remove"
    else:
        same = before.estimate == after.estimate and before.resource.attrs == after.resource.attrs
        change = "same" if same else "modify"
    reasons = []
    if after is not None and after.estimate.not_estimated:
        reasons.append(after.estimate.not_estimated)
    if before is not None and before.estimate.not_estimated and change != "same":
        reasons.append(f"before: {before.estimate.not_estimated}")
    m_before = before.estimate.monthly if before is not None else 0.0
    m_after = after.estimate.monthly if after is not None else 0.0
    delta = round(m_after - m_before, 2) if m_before is not None and m_after is not None else None
    return CostLine(
        logical_id=logical_id,
        type=current.resource.type,
        change=change,
        monthly_before=m_before if before is not None else None,
        monthly_after=m_after if after is not None else None,
        monthly_delta=delta,
        components=current.estimate.components,
        not_estimated="; ".join(reasons) or None,
    )


def diff(
    base: Side,
    head: Side,
    *,
    table: PriceTable,
    region: str,
    base_label: str,
    usage: Usage,
    recommendations: Iterable[CostRecommendation] = (),
    detail: str | None = None,
) -> CostReport:
    """Base vs head, per resource (head order, then removed ones), with totals over what could be priced."""
    lines: list[CostLine] = []
    for logical_id in [*head, *(k for k in base if k not in head)]:
        line = _line(logical_id, base.get(logical_id), head.get(logical_id))
        if line is not None:
            lines.append(line)
    return summarise(
        lines,
        source="estimator",
        currency=table.currency,
        region=region,
        base_label=base_label,
        free=sum(1 for p in head.values() if p.estimate.free),
        price_table_date=table.as_of or None,
        price_table_source=f"{table.origin}: {table.source}",
        usage_file=usage.source,
        recommendations=recommendations,
        detail=detail,
    )


def summarise(
    lines: list[CostLine],
    *,
    source: Literal["estimator", "infracost"],
    currency: str,
    region: str,
    base_label: str,
    free: int,
    price_table_date: str | None,
    price_table_source: str | None,
    usage_file: str | None,
    recommendations: Iterable[CostRecommendation] = (),
    detail: str | None = None,
) -> CostReport:
    priced = [line for line in lines if line.not_estimated is None]
    before = round(sum(line.monthly_before or 0.0 for line in priced), 2)
    after = round(sum(line.monthly_after or 0.0 for line in priced), 2)
    missing = len(lines) - len(priced)
    notes = [detail] if detail else []
    if missing:
        notes.append(f"{missing} resource(s) not estimated; the totals leave them out")
    return CostReport(
        source=source,
        currency=currency,
        region=region,
        base=base_label,
        price_table_date=price_table_date,
        price_table_source=price_table_source,
        usage_file=usage_file,
        lines=tuple(lines),
        free_resources=free,
        monthly_before=before,
        monthly_after=after,
        monthly_delta=round(after - before, 2),
        percent_change=round((after - before) / before * 100.0, 1) if before > 0 else None,
        recommendations=tuple(sorted(recommendations, key=lambda r: (-r.monthly_saving, r.resource, r.kind))),
        detail="; ".join(notes) or None,
    )
