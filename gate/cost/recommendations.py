"""Ways to spend less, each with its estimated monthly saving from the same price table.

- Graviton: the Arm equivalent of an x86 EC2 type or RDS class (needs arm64 builds/AMIs).
- gp2 -> gp3: same performance baseline, lower price per GB.
- Right-size: an existing instance whose CloudWatch CPU stayed low -> one size smaller.
- Savings Plans / Reserved Instances: for steady 24x7 instances (typical discount from the table).
- Spot: for workloads marked interruptible (usage ``interruptible: true`` or tag ``interruptible=true``).
"""

from __future__ import annotations

from dataclasses import dataclass

from gate.cost.estimator import Priced, Side
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.usage import Usage
from gate.models import CostRecommendation

GRAVITON: dict[str, tuple[str, ...]] = {
    "t3": ("t4g",), "t3a": ("t4g",), "m5": ("m7g", "m6g"), "m6i": ("m7g", "m6g"), "m7i": ("m7g",),
    "c5": ("c7g", "c6g"), "c6i": ("c7g", "c6g"), "r5": ("r7g", "r6g"), "r6i": ("r7g", "r6g"),
    "db.t3": ("db.t4g",), "db.m5": ("db.m6g",), "db.m6i": ("db.m6g",), "db.r5": ("db.r6g",),
}  # fmt: skip
SIZES = ("nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
MIN_SAVING = 1.0  # USD per month: below this a hint is noise


@dataclass(frozen=True)
class CpuStats:
    """CloudWatch CPUUtilization of an existing instance over ``days``."""

    instance_id: str
    average: float
    maximum: float
    days: int


def _split(instance_type: str) -> tuple[str, str]:
    family, _, size = instance_type.rpartition(".")
    return family, size


def _compute_monthly(item: Priced) -> float | None:
    for comp in item.estimate.components:
        if comp.name.startswith(("Instance usage", "Database instance")):
            return comp.monthly_cost
    return None


def _compute_hours(item: Priced) -> float:
    for comp in item.estimate.components:
        if comp.name.startswith(("Instance usage", "Database instance")) and comp.monthly_quantity:
            return comp.monthly_quantity
    return HOURS_PER_MONTH


def _hourly(table: PriceTable, item: Priced, type_name: str) -> float | None:
    if item.resource.kind == "rds":
        engine = str(item.resource.attrs.get("engine") or "").lower()
        return table.rds_hourly("postgres" if engine.startswith("postgres") else "mysql", type_name)
    return table.ec2_hourly(type_name)


def _interruptible(item: Priced, usage: Usage) -> bool:
    values = usage.for_resource(item.resource.logical_id, item.resource.type)
    tag = item.resource.tags.get("interruptible", "").lower()
    return values.get("interruptible") is True or tag in ("true", "yes", "1")


def recommend(
    head: Side, table: PriceTable, usage: Usage, cpu: dict[str, CpuStats] | None = None, cpu_below: float = 10.0
) -> list[CostRecommendation]:
    out: list[CostRecommendation] = []
    for logical_id, item in head.items():
        if item.estimate.not_estimated or item.resource.kind not in ("ec2", "rds", "ebs"):
            continue
        if item.resource.kind in ("ec2", "rds"):
            out.extend(_graviton(logical_id, item, table))
            out.extend(_commitment(logical_id, item, table, usage))
        out.extend(_gp3(logical_id, item, table))
        stats = (cpu or {}).get(logical_id)
        if stats is not None and item.resource.kind == "ec2":
            out.extend(_right_size(logical_id, item, table, stats, cpu_below))
    return [r for r in out if r.monthly_saving >= MIN_SAVING]


def _current_type(item: Priced) -> str:
    key = "instance_class" if item.resource.kind == "rds" else "instance_type"
    return str(item.resource.attrs.get(key) or "")


def _graviton(logical_id: str, item: Priced, table: PriceTable) -> list[CostRecommendation]:
    current = _current_type(item)
    family, size = _split(current)
    now = _hourly(table, item, current)
    if now is None:
        return []
    options = [(f"{alt}.{size}", _hourly(table, item, f"{alt}.{size}")) for alt in GRAVITON.get(family, ())]
    priced = [(name, price) for name, price in options if price is not None and price < now]
    if not priced:
        return []
    name, price = min(priced, key=lambda np: np[1])
    hours = _compute_hours(item)
    saving = round((now - price) * hours, 2)
    return [
        CostRecommendation(
            resource=logical_id,
            kind="graviton",
            title=f"{current} → {name} (Graviton)",
            detail=f"same size on Arm: ${now:g}/h → ${price:g}/h; "
            + (
                "needs arm64 builds and an arm64 AMI" if item.resource.kind == "ec2" else "check engine version support"
            ),
            monthly_saving=saving,
        )
    ]


def _gp3(logical_id: str, item: Priced, table: PriceTable) -> list[CostRecommendation]:
    gp2 = table.number("ebs", "gb_month", "gp2")
    gp3 = table.number("ebs", "gb_month", "gp3")
    if item.resource.kind == "rds":
        gp2 = table.number("rds_storage", "gb_month", "gp2")
        gp3 = table.number("rds_storage", "gb_month", "gp3")
    if gp2 is None or gp3 is None or gp3 >= gp2:
        return []
    gb = sum(
        c.monthly_quantity or 0.0
        for c in item.estimate.components
        if c.unit == "GB-months" and "(gp2" in c.name and "assumed" not in c.name
    )
    if not gb:
        return []
    return [
        CostRecommendation(
            resource=logical_id,
            kind="gp3",
            title="gp2 → gp3",
            detail=f"{gb:g} GB-months at ${gp3:g} instead of ${gp2:g}; gp3 includes 3000 IOPS and 125 MiB/s",
            monthly_saving=round(gb * (gp2 - gp3), 2),
        )
    ]


def _commitment(logical_id: str, item: Priced, table: PriceTable, usage: Usage) -> list[CostRecommendation]:
    compute = _compute_monthly(item)
    if not compute:
        return []
    if _interruptible(item, usage) and item.resource.kind == "ec2":
        spot = table.discount("spot_typical")
        if spot is None:
            return []
        return [
            CostRecommendation(
                resource=logical_id,
                kind="spot",
                title="run on Spot",
                detail=f"marked interruptible; Spot typically runs about {spot:.0%} below on-demand (it varies)",
                monthly_saving=round(compute * spot, 2),
            )
        ]
    if (
        usage.for_resource(item.resource.logical_id, item.resource.type).get("monthly_hrs", HOURS_PER_MONTH)
        < HOURS_PER_MONTH
    ):
        return []  # not 24x7: a commitment may not pay off
    name = "compute_savings_plan_1yr_no_upfront" if item.resource.kind == "ec2" else "rds_reserved_1yr_no_upfront"
    rate = table.discount(name)
    if rate is None:
        return []
    title = "Compute Savings Plan (1 year)" if item.resource.kind == "ec2" else "Reserved Instance (1 year)"
    return [
        CostRecommendation(
            resource=logical_id,
            kind="savings-plan",
            title=title,
            detail=f"runs 24x7; a 1-year no-upfront commitment is typically about {rate:.0%} cheaper than on-demand",
            monthly_saving=round(compute * rate, 2),
        )
    ]


def _right_size(
    logical_id: str, item: Priced, table: PriceTable, stats: CpuStats, cpu_below: float
) -> list[CostRecommendation]:
    if stats.average >= cpu_below or stats.maximum >= 50.0:
        return []
    current = _current_type(item)
    family, size = _split(current)
    if size not in SIZES or SIZES.index(size) == 0:
        return []
    smaller = f"{family}.{SIZES[SIZES.index(size) - 1]}"
    now, then = table.ec2_hourly(current), table.ec2_hourly(smaller)
    if now is None or then is None:
        return []
    return [
        CostRecommendation(
            resource=logical_id,
            kind="right-size",
            title=f"{current} → {smaller}",
            detail=f"{stats.instance_id}: CPU averaged {stats.average:.1f}% (max {stats.maximum:.1f}%) "
            f"over {stats.days} days",
            monthly_saving=round((now - then) * _compute_hours(item), 2),
        )
    ]
