"""`devops-gate prices refresh` against a fake AWS Price List API (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.cost.prices import load_table, parse_table
from gate.cost.refresh import on_demand_usd, refresh
from gate.errors import GateError
from tests.fakes.pricing_api import pricing_api, product

EC2 = {"regionCode": "eu-west-1", "operatingSystem": "Linux", "tenancy": "Shared", "preInstalledSw": "NA",
       "capacitystatus": "Used"}  # fmt: skip


def _catalog() -> list[dict[str, object]]:
    return [
        product("AmazonEC2", "Compute Instance", 0.1111, instanceType="m5.large", usagetype="BoxUsage:m5.large", **EC2),
        product("AmazonEC2", "Compute Instance", 0.0114, instanceType="t3.micro", usagetype="BoxUsage:t3.micro", **EC2),
        # same type, Windows: must not be picked
        product("AmazonEC2", "Compute Instance", 0.2, instanceType="t3.small", **{**EC2, "operatingSystem": "Windows"}),
        product("AmazonRDS", "Database Instance", 0.2, instanceType="db.m5.large", regionCode="eu-west-1",
                databaseEngine="PostgreSQL", deploymentOption="Single-AZ"),
        product("AmazonEC2", "Storage", 0.09, unit="GB-Mo", regionCode="eu-west-1", volumeApiName="gp3"),
        product("AmazonEC2", "NAT Gateway", 0.05, regionCode="eu-west-1", usagetype="EU-NatGateway-Hours"),
        product("AmazonEC2", "NAT Gateway", 0.049, unit="GB", regionCode="eu-west-1", usagetype="EU-NatGateway-Bytes"),
    ]  # fmt: skip


def _target(url: str) -> AwsTarget:
    return AwsTarget(region="us-east-1", endpoint_url=url, access_key_id="testing", secret_access_key="testing")


def test_refresh_updates_prices_from_the_api_and_dates_the_table() -> None:
    start = load_table("eu-west-1")
    with pricing_api(_catalog()) as (url, received):
        result = refresh(_target(url), "eu-west-1", start, dt.date(2026, 11, 25))
    table = result.table
    assert table["ec2_hourly"]["m5.large"] == 0.1111  # changed
    assert table["ec2_hourly"]["t3.micro"] == 0.0114  # same as bundled
    assert table["ec2_hourly"]["t3.small"] == start.ec2_hourly("t3.small"), "Windows price ignored, old kept"
    assert "t3.small" in result.not_found
    assert table["rds_hourly"]["postgres"]["db.m5.large"] == 0.2
    assert table["ebs"]["gb_month"]["gp3"] == 0.09
    assert table["nat_gateway"] == {"hourly": 0.05, "per_gb": 0.049}
    assert table["as_of"] == "2026-11-25" and "AWS Price List API" in table["source"]
    assert "kept from the 2025-01-15 table" in table["source"]
    assert result.updated == 5 and result.unchanged == 1  # m5.large, RDS, gp3, NAT x2; t3.micro same
    first = received[0]
    assert first["target"] == "AWSPriceListService.GetProducts" and first["ServiceCode"] == "AmazonEC2"
    assert {"Type": "TERM_MATCH", "Field": "regionCode", "Value": "eu-west-1"} in first["Filters"]
    parse_table(json.dumps(table), "refreshed")  # what it writes loads again


def test_paging_is_followed() -> None:
    many = [product("AmazonEC2", "NAT Gateway", 0.01, regionCode="eu-west-1", usagetype=f"X{i}") for i in range(5)]
    many.append(product("AmazonEC2", "NAT Gateway", 0.07, regionCode="eu-west-1", usagetype="EU-NatGateway-Hours"))
    with pricing_api(many, page_size=2) as (url, received):
        result = refresh(_target(url), "eu-west-1", load_table("eu-west-1"), dt.date(2026, 11, 25))
    assert result.table["nat_gateway"]["hourly"] == 0.07
    assert any(r.get("NextToken") for r in received)


def test_on_demand_price_is_read_from_the_terms() -> None:
    assert on_demand_usd(product("AmazonEC2", "Compute Instance", 0.096, instanceType="m5.large")) == 0.096
    assert on_demand_usd({"terms": {}}) is None


def test_cli_writes_a_table_the_estimator_then_uses(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with pricing_api(_catalog()) as (url, _):
        code = main(["prices", "refresh", "--region", "eu-west-1", "--out", "prices", "--endpoint-url", url])
    assert code == 0
    written = workdir / "prices" / "eu-west-1.json"
    assert json.loads(written.read_text())["ec2_hourly"]["m5.large"] == 0.1111
    (workdir / ".gate.yml").write_text("aws: {region: eu-west-1}\ncost: {prices_dir: prices}\n")
    assert load_table("eu-west-1", "prices").ec2_hourly("m5.large") == 0.1111


def test_refresh_refused_by_aws_is_a_clear_error() -> None:
    with pricing_api([], deny=True) as (url, _), pytest.raises(GateError, match="AccessDeniedException") as info:
        refresh(_target(url), "eu-west-1", load_table("eu-west-1"), dt.date(2026, 11, 25))
    assert "AWS refused reading the AWS Price List API" in info.value.message


def test_refresh_without_credentials_says_how_to_fix_it(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(workdir / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(workdir / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pricing_api(_catalog()) as (url, received):
        code = main(["prices", "refresh", "--region", "eu-west-1", "--endpoint-url", url])
    assert code == 2 and received == [] and not (workdir / ".gate" / "prices").exists()
