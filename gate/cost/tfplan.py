"""Cost of a Terraform plan's JSON: 'before' from each change's ``before`` values (the state the plan was made
against), 'after' from the planned values, each resource under its plan address (module resources included).
Values Terraform knows only after apply (``after_unknown``) are missing, so a rule that needs one says so."""

from __future__ import annotations

from typing import Any

from gate.cost.estimator import Side, price_all
from gate.cost.prices import PriceTable
from gate.cost.resources import Priceable, from_terraform
from gate.cost.usage import Usage
from gate.models import IaCFile
from gate.terraform import plan_json


def _priced(
    data: dict[str, Any], values: list[tuple[str, str, dict[str, Any]]], table: PriceTable, usage: Usage
) -> Side:
    addresses = {f"{rtype}.{plan_json.name_of(address, rtype)}": address for address, rtype, _ in values}
    items = [
        Priceable(addresses.get(p.logical_id, p.logical_id), p.type, p.kind, p.attrs, p.tags)
        for p in from_terraform(plan_json.as_blocks(data, values))
    ]
    return price_all(items, table, usage)


def price_plans(files: tuple[IaCFile, ...], table: PriceTable, usage: Usage) -> tuple[Side, Side]:
    """(before, after) of every plan file."""
    before: Side = {}
    after: Side = {}
    for f in files:
        data = plan_json.plan_of(f)
        before.update(_priced(data, plan_json.before_values(data), table, usage))
        after.update(_priced(data, plan_json.resource_values(data), table, usage))
    return before, after
