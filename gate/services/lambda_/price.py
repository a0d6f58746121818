"""Lambda functions: requests and GB-seconds (x86 or arm64), from the usage file."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.rule_kit import _comp, _need_usage, _num, _price, _usage
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing


def lambda_fn(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    _need_usage(usage, p, "monthly_requests")
    requests = float(usage["monthly_requests"])
    duration_ms = float(usage.get("request_duration_ms", 100.0))
    memory = _num(p, "memory_mb", default=128.0) or 128.0
    arch = p.attrs.get("architectures")
    arm = isinstance(arch, list) and "arm64" in arch
    gb_s_price = _price(t.number("lambda", "per_gb_second_arm" if arm else "per_gb_second_x86"), "Lambda GB-s", t)
    return [
        _comp(
            "Requests", "1M requests", requests / 1e6, _price(t.number("lambda", "per_million_requests"), "Lambda", t)
        ),
        _comp(
            f"Duration ({'arm64' if arm else 'x86_64'}, {memory:.0f} MB)",
            "GB-seconds",
            requests * duration_ms / 1000.0 * memory / 1024.0,
            gb_s_price,
        ),
    ]


def provisioned(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    """Provisioned concurrency on an alias: environments kept warm all month, per GB-second of their memory (the
    function's memory is not on the alias: give ``memory_mb`` in the usage file, else priced per unit)."""
    executions = _num(p, "executions")
    if not executions:
        return []  # an alias without provisioned concurrency costs nothing
    key = "provisioned_gb_second_arm" if usage.get("arm64") else "provisioned_gb_second_x86"
    price = _price(t.number("lambda", key), "Lambda provisioned concurrency", t)
    label = f"Provisioned concurrency ({executions:.0f} environments)"
    memory = usage.get("memory_mb")
    if memory is None:
        return [_usage(label, "GB-seconds", price)]
    seconds = HOURS_PER_MONTH * 3600.0
    return [_comp(label, "GB-seconds", executions * float(memory) / 1024.0 * seconds, price)]


PRICING = Pricing(
    rules=(
        PriceRule(
            "lambda",
            lambda_fn,
            ("AWS::Lambda::Function",),
            ("aws_lambda_function",),
            {"memory_mb": "MemorySize", "architectures": "Architectures"},
            {"memory_mb": "memory_size", "architectures": "architectures"},
        ),
        PriceRule(
            "lambda-provisioned",
            provisioned,
            ("AWS::Lambda::Alias",),
            ("aws_lambda_provisioned_concurrency_config",),
            {},
            {"executions": "provisioned_concurrent_executions"},
        ),
    ),
    free=frozenset(
        {
            "AWS::Lambda::Permission",
            "AWS::Lambda::EventSourceMapping",
            "AWS::Lambda::Url",
            "AWS::Lambda::Version",
            "aws_lambda_permission",
            "aws_lambda_event_source_mapping",
            "aws_lambda_function_url",
            "aws_lambda_alias",
        }
    ),
)
