"""S3 buckets: Standard storage and requests, from the usage file."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import PriceTable
from gate.cost.rule_kit import _comp, _need_usage, _price
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing


def s3(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    _need_usage(usage, p, "storage_gb", "monthly_tier_1_requests", "monthly_tier_2_requests")
    return [
        _comp(
            "Standard storage",
            "GB-months",
            float(usage.get("storage_gb", 0.0)),
            _price(t.number("s3", "standard_gb_month"), "S3 storage", t),
        ),
        _comp(
            "PUT, COPY, POST, LIST requests",
            "1k requests",
            float(usage.get("monthly_tier_1_requests", 0.0)) / 1e3,
            _price(t.number("s3", "tier1_per_1000"), "S3 tier 1 requests", t),
        ),
        _comp(
            "GET, SELECT and other requests",
            "1k requests",
            float(usage.get("monthly_tier_2_requests", 0.0)) / 1e3,
            _price(t.number("s3", "tier2_per_1000"), "S3 tier 2 requests", t),
        ),
    ]


PRICING = Pricing(
    rules=(PriceRule("s3", s3, ("AWS::S3::Bucket",), ("aws_s3_bucket",)),),
    free=frozenset(
        {
            "AWS::S3::BucketPolicy",
            "aws_s3_bucket_policy",
            "aws_s3_bucket_acl",
            "aws_s3_bucket_versioning",
            "aws_s3_bucket_public_access_block",
            "aws_s3_bucket_server_side_encryption_configuration",
            "aws_s3_bucket_lifecycle_configuration",
            "aws_s3_bucket_logging",
            "aws_s3_bucket_ownership_controls",
        }
    ),
)
