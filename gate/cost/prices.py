"""Dated price tables per region: the bundled ones (``gate/data/prices/<region>.json``) or a refreshed copy.

A table is plain JSON (see ``gate/data/prices/README.md`` for where the numbers came from). Lookups return
``None`` for a price the table does not have, so the estimator can say "not estimated" instead of $0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from gate.errors import GateError

HOURS_PER_MONTH = 730.0
REQUIRED_KEYS = ("region", "currency", "as_of", "source", "ec2_hourly")


@dataclass(frozen=True)
class PriceTable:
    region: str
    currency: str
    as_of: str
    source: str
    data: dict[str, Any]
    origin: str  # the file it was read from, for messages

    def number(self, *path: str) -> float | None:
        """The price at ``path`` (e.g. ``"ebs", "gb_month", "gp3"``), or None when the table lacks it."""
        node: Any = self.data
        for key in path:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None

    def ec2_hourly(self, instance_type: str) -> float | None:
        return self.number("ec2_hourly", instance_type)

    def ec2_types(self) -> tuple[str, ...]:
        return tuple(self.data.get("ec2_hourly", {}))

    def rds_hourly(self, engine: str, instance_class: str) -> float | None:
        return self.number("rds_hourly", engine, instance_class)

    def discount(self, name: str) -> float | None:
        return self.number("discounts", name)


def available_regions(prices_dir: str | None = None) -> tuple[str, ...]:
    if prices_dir:
        return tuple(sorted(p.stem for p in Path(prices_dir).glob("*.json")))
    folder = resources.files("gate.data").joinpath("prices")
    return tuple(sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")))


def load_table(region: str, prices_dir: str | None = None) -> PriceTable:
    """The price table for ``region``: from ``prices_dir`` when given (falling back to the bundled one)."""
    return _load(region, prices_dir)


@lru_cache(maxsize=32)
def _load(region: str, prices_dir: str | None) -> PriceTable:
    if prices_dir:
        path = Path(prices_dir) / f"{region}.json"
        if path.is_file():
            return parse_table(path.read_text(encoding="utf-8"), str(path))
    bundled = resources.files("gate.data").joinpath("prices", f"{region}.json")
    if not bundled.is_file():
        raise GateError(
            f"no price table for region {region}",
            source="cost",
            fix=f"use one of {', '.join(available_regions())}, or run 'devops-gate prices refresh --region {region}'"
            " and set cost.prices_dir",
        )
    return parse_table(bundled.read_text(encoding="utf-8"), f"bundled {region}.json")


def empty_table(region: str) -> PriceTable:
    """A table with no prices: every resource is then reported as not estimated (never $0)."""
    return PriceTable(region=region, currency="USD", as_of="", source="no price table", data={}, origin="none")


def parse_table(text: str, origin: str) -> PriceTable:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GateError(f"price table is not valid JSON: {exc.msg}", source=origin, fix="refresh it") from exc
    if not isinstance(raw, dict) or any(k not in raw for k in REQUIRED_KEYS):
        raise GateError(
            f"price table must be a JSON object with {', '.join(REQUIRED_KEYS)}",
            source=origin,
            fix="run 'devops-gate prices refresh' or use the bundled table",
        )
    return PriceTable(
        region=str(raw["region"]),
        currency=str(raw["currency"]),
        as_of=str(raw["as_of"]),
        source=str(raw["source"]),
        data=raw,
        origin=origin,
    )
