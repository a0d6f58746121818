"""ElastiCache replication groups: node hours, every node (primary and replicas) at the on-demand rate of its
engine and node type (Valkey's node rates are lower than Redis OSS's).  Snapshot storage beyond the free
allowance and data transfer are not estimated."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.rule_kit import NotPriced, _comp, _num, _price, _text
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing


def elasticache(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    engine = _text(p, "engine", "redis").lower()
    if engine not in ("redis", "valkey"):
        raise NotPriced(f"ElastiCache engine {engine!r} is not in the price table (Valkey, Redis OSS)")
    node = _text(p, "node_type", "")
    nodes = _num(p, "nodes", default=1.0) or 1.0
    hours = float(usage.get("monthly_hrs", HOURS_PER_MONTH))
    hourly = _price(t.number("elasticache", "node_hourly", engine, node), f"ElastiCache {engine} {node}", t)
    label = "Valkey" if engine == "valkey" else "Redis OSS"
    return [_comp(f"Cache nodes ({label}, on-demand, {node})", "hours", hours * nodes, hourly)]


PRICING = Pricing(
    rules=(
        PriceRule(
            "elasticache",
            elasticache,
            ("AWS::ElastiCache::ReplicationGroup",),
            ("aws_elasticache_replication_group",),
            {"engine": "Engine", "node_type": "CacheNodeType", "nodes": "NumCacheClusters"},
            {"engine": "engine", "node_type": "node_type", "nodes": "num_cache_clusters"},
        ),
    ),
    free=frozenset({"AWS::ElastiCache::SubnetGroup", "aws_elasticache_subnet_group"}),
)
