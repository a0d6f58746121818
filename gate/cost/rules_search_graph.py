"""Pricing rules for Amazon Neptune (instances; the cluster's storage and I/O) and Amazon OpenSearch Service
domains (data nodes, dedicated master nodes, EBS storage per node). The prices are in the ``neptune`` and
``opensearch`` sections of the price table (where they came from: gate/data/prices/README.md); a region whose
table has no such section gives "not estimated", never $0."""

from __future__ import annotations

from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.resources import Priceable
from gate.cost.rule_kit import NotPriced, _comp, _flag, _num, _price, _text, cluster_volume
from gate.cost.usage import UsageValues
from gate.models import CostComponent


def neptune_instance(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    instance_class = _text(p, "instance_class", "")
    if not instance_class:
        raise NotPriced("the Neptune instance class is not set")
    hourly = _price(t.number("neptune", "instance_hourly", instance_class), f"Neptune {instance_class}", t)
    return [_comp(f"Instance ({instance_class}, on-demand)", "hours", HOURS_PER_MONTH, hourly)]


def neptune_cluster(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    """The cluster volume (GB-months) and I/O requests, both usage-based (instances are priced on their own)."""
    return cluster_volume("neptune", "Neptune", t, usage)


def opensearch_domain(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    instance_type = _text(p, "instance_type", "")
    if not instance_type:
        raise NotPriced("the OpenSearch data node instance type is not set (ClusterConfig.InstanceType)")
    nodes = _num(p, "instance_count", default=1.0) or 1.0
    hourly = _price(t.number("opensearch", "instance_hourly", instance_type), f"OpenSearch {instance_type}", t)
    out = [_comp(f"Data nodes ({nodes:g} x {instance_type})", "hours", nodes * HOURS_PER_MONTH, hourly)]
    if _flag(p, "dedicated_master"):
        master_type = _text(p, "master_type", "")
        if not master_type:
            raise NotPriced("dedicated master nodes are enabled but their instance type is not set")
        masters = _num(p, "master_count", default=3.0) or 3.0  # OpenSearch Service's recommended three
        master_hourly = _price(t.number("opensearch", "instance_hourly", master_type), f"OpenSearch {master_type}", t)
        out.append(
            _comp(f"Master nodes ({masters:g} x {master_type})", "hours", masters * HOURS_PER_MONTH, master_hourly)
        )
    if _flag(p, "ebs_enabled") or _num(p, "volume_gb") is not None:
        gb = _num(p, "volume_gb", default=10.0) or 10.0  # the console's and the API's smallest default
        volume = _text(p, "volume_type", "gp2")
        gb_price = _price(t.number("opensearch", "storage_gb_month", volume), f"OpenSearch {volume} storage", t)
        out.append(_comp(f"EBS storage ({volume}, {gb:g} GB x {nodes:g} nodes)", "GB-months", gb * nodes, gb_price))
    return out
