"""CloudWatch alarms: standard or high resolution, per alarm-month."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import PriceTable
from gate.cost.rule_kit import _comp, _num, _price
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing


def alarm(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    high = (_num(p, "period", default=60.0) or 60.0) < 60
    key = "high_resolution_alarm_month" if high else "alarm_month"
    name = "High-resolution alarm" if high else "Standard-resolution alarm"
    return [_comp(name, "alarm-months", 1.0, _price(t.number("cloudwatch", key), "CloudWatch alarms", t))]


PRICING = Pricing(
    rules=(
        PriceRule(
            "alarm",
            alarm,
            ("AWS::CloudWatch::Alarm",),
            ("aws_cloudwatch_metric_alarm",),
            {"period": "Period"},
            {"period": "period"},
        ),
    ),
    # a metric filter is free; the custom metric it publishes is billed as a metric (not estimated)
    free=frozenset({"AWS::Logs::MetricFilter", "aws_cloudwatch_log_metric_filter"}),
)
