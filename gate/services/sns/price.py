"""SNS topics: publish requests, from the usage file."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import PriceTable
from gate.cost.rule_kit import _comp, _need_usage, _price
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing


def sns(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    _need_usage(usage, p, "monthly_requests")
    price = _price(t.number("sns", "publish_per_million"), "SNS publishes", t)
    return [_comp("Publish requests", "1M requests", float(usage["monthly_requests"]) / 1e6, price)]


PRICING = Pricing(
    rules=(PriceRule("sns", sns, ("AWS::SNS::Topic",), ("aws_sns_topic",)),),
    free=frozenset(
        {
            "AWS::SNS::Subscription",
            "AWS::SNS::TopicPolicy",
            "aws_sns_topic_subscription",
            "aws_sns_topic_policy",
        }
    ),
)
