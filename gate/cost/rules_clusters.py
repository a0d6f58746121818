"""Pricing rules for clusters: Aurora DB clusters (storage, I/O, Serverless v2 capacity), EKS control planes and
EKS managed node groups. Aurora *instances* are ``AWS::RDS::DBInstance`` / ``aws_rds_cluster_instance`` and are
priced by the RDS rule (instance hours only: their storage is billed here, on the cluster)."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.rule_kit import NotPriced, _comp, _num, _price, _text, cluster_volume
from gate.cost.usage import UsageValues
from gate.models import CostComponent


def rds_cluster(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    engine = _text(p, "engine", "").lower()
    if not engine.startswith("aurora"):
        raise NotPriced(
            f"Multi-AZ DB clusters (engine {engine or '(not set)'!r}) are not in the price table yet; "
            "only Aurora clusters are"
        )
    out = cluster_volume("aurora", "Aurora", t, usage)
    min_acu = _num(p, "serverless_min_acu")
    if min_acu is not None:
        acu = _price(t.number("aurora", "serverless_v2_acu_hour"), "Aurora Serverless v2 capacity", t)
        hours = float(usage.get("monthly_acu_hours", min_acu * HOURS_PER_MONTH))
        basis = "at usage" if "monthly_acu_hours" in usage else f"at least {min_acu:g} ACU all month"
        out.append(_comp(f"Serverless v2 capacity ({basis})", "ACU-hours", hours, acu))
    return out


def eks_cluster(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    hourly = _price(t.number("eks", "cluster_hourly"), "EKS cluster hours", t)
    return [_comp("EKS control plane (standard support)", "hours", HOURS_PER_MONTH, hourly)]


def eks_nodegroup(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    instance_type = _text(p, "instance_type", "t3.medium")  # EKS's default for managed node groups
    nodes = _num(p, "desired_size", default=None)
    if nodes is None:
        nodes = _num(p, "min_size", default=1.0) or 1.0
    hourly = _price(t.ec2_hourly(instance_type), f"EC2 {instance_type}", t)
    return [_comp(f"Nodes ({nodes:g} x {instance_type}, on-demand)", "hours", nodes * HOURS_PER_MONTH, hourly)]
