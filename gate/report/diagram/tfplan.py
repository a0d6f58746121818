"""A Terraform plan (``terraform show -json plan.out``) as a change graph: ``resource_changes`` give the
resources and what happens to them, ``configuration`` the references between them.

Actions map to the change-set kinds: ``create`` -> Add, ``update`` -> Modify, ``delete`` -> Remove,
``delete``+``create`` (either order) -> Replace, ``no-op`` -> unchanged; ``read`` (data sources) is not drawn.
References come from the plan's configuration (:func:`gate.terraform.plan_json.depends_on`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from gate.errors import GateError
from gate.models import ResourceChange, ResourceRow
from gate.report.diagram.graph import MAX_NODES, ChangeGraph, build_from
from gate.terraform.plan_json import depends_on


def is_terraform_plan(data: Any) -> bool:
    return isinstance(data, dict) and "resource_changes" in data and "terraform_version" in data


def load(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GateError(
            f"cannot be read as JSON ({exc})", source=path, fix="pass a gate-plan.json or 'terraform show -json' output"
        ) from exc


def _action(actions: list[str]) -> tuple[Literal["Add", "Modify", "Remove"], bool] | None:
    kinds = set(actions)
    if kinds == {"create", "delete"}:
        return "Modify", True
    if kinds == {"create"}:
        return "Add", False
    if kinds == {"delete"}:
        return "Remove", False
    if kinds == {"update"}:
        return "Modify", False
    return None  # no-op, read


def graph(data: dict[str, Any], source: str, max_nodes: int = MAX_NODES) -> ChangeGraph:
    managed = [rc for rc in data.get("resource_changes") or [] if rc.get("mode", "managed") == "managed"]
    depends = depends_on(data, [str(rc["address"]) for rc in managed])
    rows: list[ResourceRow] = []
    changes: list[ResourceChange] = []
    for rc in managed:
        address, rtype = str(rc["address"]), str(rc.get("type") or "?")
        rows.append(ResourceRow(logical_id=address, type=rtype, file=source, depends_on=depends[address]))
        action = _action(list((rc.get("change") or {}).get("actions") or []))
        if action is not None:
            kind, replaced = action
            changes.append(
                ResourceChange(
                    logical_id=address,
                    type=rtype,
                    action=kind,
                    replacement="True" if replaced else "False",
                    replacement_source="none",
                )
            )
    return build_from(tuple(rows), tuple(changes), True, source, max_nodes)
