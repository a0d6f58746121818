"""SQS queues: requests (standard or FIFO), from the usage file."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import PriceTable
from gate.cost.rule_kit import _comp, _flag, _need_usage, _price
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing


def sqs(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    _need_usage(usage, p, "monthly_requests")
    fifo = _flag(p, "fifo")
    price = _price(t.number("sqs", "fifo_per_million" if fifo else "standard_per_million"), "SQS requests", t)
    return [
        _comp(
            f"Requests ({'FIFO' if fifo else 'standard'})", "1M requests", float(usage["monthly_requests"]) / 1e6, price
        )
    ]


PRICING = Pricing(
    rules=(
        PriceRule("sqs", sqs, ("AWS::SQS::Queue",), ("aws_sqs_queue",), {"fifo": "FifoQueue"}, {"fifo": "fifo_queue"}),
    ),
    free=frozenset({"AWS::SQS::QueuePolicy", "aws_sqs_queue_policy"}),
)
