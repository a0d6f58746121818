"""Refresh a price table from the AWS Price List API (boto3 ``pricing``, ``GetProducts``) through AwsTarget.

Refreshed: the on-demand price of every EC2 type and RDS class already in the table, EBS storage per
volume type, and the NAT gateway. The other sections are kept from the table it started from, and the
new table's ``source`` says which were refreshed and which were kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.cost.prices import PriceTable

PRICING_REGIONS = ("us-east-1", "eu-central-1", "ap-south-1")  # where the Price List API is served
_RDS_ENGINES = {"mysql": "MySQL", "postgres": "PostgreSQL"}
_REFRESHED = ("ec2_hourly", "rds_hourly", "ebs.gb_month", "nat_gateway")


@dataclass
class RefreshResult:
    table: dict[str, Any]
    updated: int = 0
    unchanged: int = 0
    not_found: list[str] = field(default_factory=list)

    def summary(self) -> str:
        missing = f"; not offered by the API (kept old value): {', '.join(self.not_found)}" if self.not_found else ""
        return f"{self.updated} price(s) changed, {self.unchanged} unchanged{missing}"


def _filters(**terms: str) -> list[dict[str, str]]:
    return [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in terms.items()]


def _products(pricing: Any, service: str, **terms: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"ServiceCode": service, "Filters": _filters(**terms), "MaxResults": 100}
    while True:
        page = pricing.get_products(**kwargs)
        out.extend(json.loads(item) if isinstance(item, str) else item for item in page.get("PriceList", []))
        token = page.get("NextToken")
        if not token:
            return out
        kwargs["NextToken"] = token


def on_demand_usd(product: dict[str, Any]) -> float | None:
    """The USD on-demand unit price of one Price List product (the first non-zero price dimension)."""
    for term in (product.get("terms", {}).get("OnDemand") or {}).values():
        for dim in (term.get("priceDimensions") or {}).values():
            usd = dim.get("pricePerUnit", {}).get("USD")
            if usd is not None and float(usd) > 0:
                return float(usd)
    return None


def _first_price(products: list[dict[str, Any]], usagetype_suffix: str = "") -> float | None:
    for product in products:
        usagetype = str(product.get("product", {}).get("attributes", {}).get("usagetype", ""))
        if usagetype.endswith(usagetype_suffix):
            price = on_demand_usd(product)
            if price is not None:
                return price
    return None


def refresh(target: AwsTarget, region: str, start: PriceTable, today: dt.date) -> RefreshResult:
    """A new table for ``region``: ``start``'s data with the refreshable prices asked from the API."""
    result = RefreshResult(table=copy.deepcopy(start.data))
    table = result.table
    pricing = target.client("pricing")

    def put(section: dict[str, Any], key: str, price: float | None, label: str) -> None:
        if price is None:
            result.not_found.append(label)
        elif section.get(key) == price:
            result.unchanged += 1
        else:
            section[key] = round(price, 10)
            result.updated += 1

    try:
        ec2 = {"regionCode": region, "operatingSystem": "Linux", "tenancy": "Shared", "preInstalledSw": "NA",
               "capacitystatus": "Used"}  # fmt: skip
        for itype in list(table.get("ec2_hourly", {})):
            put(table["ec2_hourly"], itype, _first_price(_products(pricing, "AmazonEC2", instanceType=itype, **ec2)),
                itype)  # fmt: skip
        for engine, rds_name in _RDS_ENGINES.items():
            classes = table.get("rds_hourly", {}).get(engine, {})
            for klass in list(classes):
                found = _products(pricing, "AmazonRDS", regionCode=region, instanceType=klass,
                                  databaseEngine=rds_name, deploymentOption="Single-AZ")  # fmt: skip
                put(classes, klass, _first_price(found), f"{engine} {klass}")
        gb_month = table.get("ebs", {}).get("gb_month", {})
        for vtype in list(gb_month):
            found = _products(pricing, "AmazonEC2", regionCode=region, productFamily="Storage", volumeApiName=vtype)
            put(gb_month, vtype, _first_price(found), f"EBS {vtype}")
        nat = _products(pricing, "AmazonEC2", regionCode=region, productFamily="NAT Gateway")
        nat_section = table.setdefault("nat_gateway", {})
        put(nat_section, "hourly", _first_price(nat, "NatGateway-Hours"), "NAT gateway hours")
        put(nat_section, "per_gb", _first_price(nat, "NatGateway-Bytes"), "NAT gateway data")
    except AWS_ERRORS as exc:
        raise aws_error(exc, "reading the AWS Price List API", target) from exc
    kept = sorted(k for k in table if isinstance(table[k], dict) and k not in ("ec2_hourly", "rds_hourly", "ebs"))
    kept = [k for k in kept if k not in ("nat_gateway", "discounts")]
    table["as_of"] = today.isoformat()
    table["source"] = (
        f"AWS Price List API (GetProducts) on {today.isoformat()} for {', '.join(_REFRESHED)}; "
        f"kept from the {start.as_of} table ({start.origin}): {', '.join(kept)}, discounts, gp3/io IOPS prices"
    )
    return result
