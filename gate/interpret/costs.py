"""Rough monthly cost of an option a business-level request weighed.

The gate's estimator (``gate.cost``, the dated price tables) prices the option when it can; otherwise a
small table of round figures below is used and the basis says so.  Either way it is an estimate for
comparing options, not a quote.
"""

from __future__ import annotations

from typing import Any

# Round us-east-1 on-demand figures (USD per month, 730 hours), for comparing options only.
ROUGH_MONTHLY: dict[str, float] = {
    "AWS::S3::Bucket": 2.70,  # 100 GB standard + 100k PUT + 1M GET
    "AWS::EC2::Instance": 15.0,  # t3.small
    "AWS::EC2::Volume": 8.0,  # 100 GB gp3
    "AWS::RDS::DBInstance": 14.0,  # db.t4g.micro single-AZ + 20 GB
    "AWS::DynamoDB::Table": 2.0,  # on-demand, light use
    "AWS::Lambda::Function": 1.0,  # light use
    "AWS::SQS::Queue": 0.40,  # 1M requests
    "AWS::SNS::Topic": 0.50,  # 1M publishes
}


def option_cost(
    priced: dict[str, dict[str, Any]], usage: dict[str, dict[str, float]], region: str
) -> tuple[float | None, str]:
    """(monthly USD, where the figure comes from)."""
    estimated = _with_estimator(priced, usage, region)
    if estimated is not None:
        return estimated
    rough = [ROUGH_MONTHLY.get(rtype) for rtype in priced]
    if any(r is None for r in rough):
        return None, "not estimated"
    return round(sum(r for r in rough if r is not None), 2), "rough figure from the interpreter's own table (us-east-1)"


def _with_estimator(
    priced: dict[str, dict[str, Any]], usage: dict[str, dict[str, float]], region: str
) -> tuple[float, str] | None:
    try:
        from gate.cost.estimator import price_cloudformation
        from gate.cost.prices import load_table
        from gate.cost.usage import Usage
    except ImportError:
        return None
    template = {
        "Resources": {
            f"Option{i}": {"Type": rtype, "Properties": props} for i, (rtype, props) in enumerate(priced.items())
        }
    }
    try:
        table = load_table(region)
        side = price_cloudformation(template, table, Usage(by_type=dict(usage)))
    except Exception:
        return None
    total = 0.0
    for item in side.values():
        if item.estimate.free:
            continue
        monthly = item.estimate.monthly
        if monthly is None:
            return None
        total += monthly
    return round(total, 2), f"gate cost estimator, {table.region} price table of {table.as_of} (usage assumed)"
