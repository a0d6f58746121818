"""DynamoDB tables: on-demand request units or provisioned capacity, and storage."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.rule_kit import NotPriced, _comp, _need_usage, _num, _price, _text, _usage
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing


def dynamodb(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    mode = _text(p, "billing_mode", "PROVISIONED").upper()
    storage_price = _price(t.number("dynamodb", "storage_gb_month"), "DynamoDB storage", t)
    if mode == "PAY_PER_REQUEST":
        _need_usage(usage, p, "monthly_write_request_units", "monthly_read_request_units", "storage_gb")
        out = [
            _comp(
                "Write request units",
                "1M WRU",
                float(usage.get("monthly_write_request_units", 0.0)) / 1e6,
                _price(t.number("dynamodb", "write_per_million"), "DynamoDB writes", t),
            ),
            _comp(
                "Read request units",
                "1M RRU",
                float(usage.get("monthly_read_request_units", 0.0)) / 1e6,
                _price(t.number("dynamodb", "read_per_million"), "DynamoDB reads", t),
            ),
        ]
    else:
        wcu, rcu = _num(p, "wcu"), _num(p, "rcu")
        if wcu is None or rcu is None:
            raise NotPriced("provisioned table without read/write capacity units")
        out = [
            _comp(
                "Write capacity",
                "WCU-hours",
                wcu * HOURS_PER_MONTH,
                _price(t.number("dynamodb", "wcu_hourly"), "WCU", t),
            ),
            _comp(
                "Read capacity",
                "RCU-hours",
                rcu * HOURS_PER_MONTH,
                _price(t.number("dynamodb", "rcu_hourly"), "RCU", t),
            ),
        ]
    replicas = _replicas(p)
    if replicas > 1:  # a global table: every replica is written (replicated writes) and stored
        out = [c.model_copy(update={"name": f"{c.name} (x{replicas} replicas)",
                                    "monthly_quantity": (c.monthly_quantity or 0.0) * replicas,
                                    "monthly_cost": round((c.monthly_cost or 0.0) * replicas, 4)})
               for c in out]  # fmt: skip
    gb = usage.get("storage_gb")
    out.append(
        _comp("Storage", "GB-months", float(gb) * replicas, storage_price)
        if gb is not None
        else _usage("Storage", "GB-months", storage_price)
    )
    return out


def _replicas(p: Priceable) -> int:
    """Replicas of a global table: CloudFormation lists every Region, Terraform the ones beside its own."""
    listed = p.attrs.get("replicas")
    if not isinstance(listed, list) or not listed:
        return 1
    return len(listed) if p.type == "AWS::DynamoDB::GlobalTable" else len(listed) + 1


PRICING = Pricing(
    rules=(
        PriceRule(
            "dynamodb",
            dynamodb,
            ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable"),
            ("aws_dynamodb_table",),
            {"billing_mode": "BillingMode", "replicas": "Replicas"},
            {"billing_mode": "billing_mode", "rcu": "read_capacity", "wcu": "write_capacity", "replicas": "replica"},
        ),
    ),
)
