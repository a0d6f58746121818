"""One pricing rule per resource kind (explicit registry ``RULES``): Priceable + price table + usage -> Estimate.

A rule raises :class:`NotPriced` with a reason instead of guessing; the estimator turns that into a
"not estimated" line. Costs that depend on usage nobody gave are components with a null cost.
"""

from __future__ import annotations

from gate.cost import rules_clusters, rules_search_graph
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.resources import Priceable, Unresolved
from gate.cost.rule_kit import (
    Estimate,
    NoCharge,
    NotPriced,
    Rule,
    _comp,
    _price,
    _text,
    _usage,
)
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services import CATALOG

__all__ = ["RULES", "Estimate", "NoCharge", "NotPriced", "estimate"]


# Parameter Store: Standard parameters are free; an Advanced one costs $0.05 a month in every commercial region
# (AWS Systems Manager pricing).  Used when the price table has no ``ssm.advanced_parameter_month``.
SSM_ADVANCED_PARAMETER_MONTH = 0.05
_SSM_STANDARD_MAX_BYTES = 4096


def lb(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    lb_type = _text(p, "lb_type", "application")
    if lb_type != "application":
        raise NotPriced(f"{lb_type} load balancers are not in the price table (only application)")
    out = [_comp("Application load balancer", "hours", HOURS_PER_MONTH, _price(t.number("alb", "hourly"), "ALB", t))]
    lcu_price = _price(t.number("alb", "lcu_hourly"), "ALB LCU", t)
    lcu = usage.get("lcu_per_hour")
    out.append(
        _comp("Load balancer capacity units", "LCU-hours", float(lcu) * HOURS_PER_MONTH, lcu_price)
        if lcu is not None
        else _usage("Load balancer capacity units", "LCU-hours", lcu_price)
    )
    return out


def kms(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    return [_comp("Customer managed key", "months", 1.0, _price(t.number("kms", "key_month"), "KMS keys", t))]


def secret(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    return [_comp("Secret", "months", 1.0, _price(t.number("secretsmanager", "secret_month"), "secrets", t))]


def ssm_parameter(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    tier = p.attrs.get("tier")
    if isinstance(tier, Unresolved):
        raise NotPriced(f"tier is only known at deploy time ({tier.expr}); Advanced parameters cost, Standard do not")
    tier = str(tier or "Standard").casefold()
    if tier == "intelligent-tiering":  # Standard unless the parameter needs Advanced (a large value, or policies)
        value = p.attrs.get("value")
        if p.attrs.get("policies") or (isinstance(value, str) and len(value.encode()) > _SSM_STANDARD_MAX_BYTES):
            tier = "advanced"
        elif isinstance(value, Unresolved):
            raise NotPriced("Intelligent-Tiering: Standard (free) or Advanced depends on a value known at deploy time")
        else:
            tier = "standard"
    if tier == "standard":
        raise NoCharge
    if tier != "advanced":
        raise NotPriced(f"unknown parameter tier {p.attrs.get('tier')!r} (Standard, Advanced or Intelligent-Tiering)")
    price = t.number("ssm", "advanced_parameter_month") or SSM_ADVANCED_PARAMETER_MONTH
    return [_comp("Advanced parameter", "parameter-months", 1.0, price)]


def nested_stack(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    raise NotPriced(
        "nested stack: its cost is that of its own resources, which are in another template; "
        "run the gate on that template to price them"
    )


RULES: dict[str, Rule] = {
    **{rule.kind: rule.rule for service in CATALOG.values() for rule in service.pricing.rules},
    # priced here, outside the catalogue (no synthesiser yet): load balancers, keys, secrets, parameters,
    # nested stacks, Aurora clusters and EKS
    "lb": lb,
    "kms": kms,
    "secret": secret,
    "ssm-parameter": ssm_parameter,
    "nested-stack": nested_stack,
    "rds-cluster": rules_clusters.rds_cluster,
    "eks": rules_clusters.eks_cluster,
    "eks-nodegroup": rules_clusters.eks_nodegroup,
    "neptune": rules_search_graph.neptune_instance,
    "neptune-cluster": rules_search_graph.neptune_cluster,
    "opensearch": rules_search_graph.opensearch_domain,
}


def estimate(p: Priceable, table: PriceTable, usage: UsageValues) -> Estimate:
    if p.kind == "free":
        return Estimate(free=True)
    rule = RULES.get(p.kind)
    if rule is None:
        return Estimate(not_estimated=f"no price rule for {p.type} yet")
    try:
        return Estimate(components=tuple(rule(p, table, usage)))
    except NoCharge:
        return Estimate(free=True)
    except NotPriced as exc:
        return Estimate(not_estimated=str(exc))
