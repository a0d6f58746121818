"""A Terraform plan (``terraform show -json plan.out``) as a change graph: ``resource_changes`` give the
resources and what happens to them, ``configuration`` the references between them.

Actions map to the change-set kinds: ``create`` -> Add, ``update`` -> Modify, ``delete`` -> Remove,
``delete``+``create`` (either order) -> Replace, ``no-op`` -> unchanged; ``read`` (data sources) is not drawn.
References come from each resource's ``expressions`` (every ``references`` list, nested blocks included) and
``depends_on``; inside a module they are relative to it.  Instances (``aws_subnet.app[0]``) share their
configuration's references.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from gate.errors import GateError
from gate.models import ResourceChange, ResourceRow
from gate.report.diagram.graph import MAX_NODES, ChangeGraph, build_from

_INDEX = re.compile(r"\[[^\]]*\]")
_RESOURCE = re.compile(r"^(?:module\.[\w-]+\.)*[a-z][\w-]*\.[\w-]+")


def is_terraform_plan(data: Any) -> bool:
    return isinstance(data, dict) and "resource_changes" in data and "terraform_version" in data


def load(path: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GateError(
            f"cannot be read as JSON ({exc})", source=path, fix="pass a gate-plan.json or 'terraform show -json' output"
        ) from exc


def _references(node: Any, found: list[str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "references" and isinstance(value, list):
                found.extend(str(v) for v in value)
            else:
                _references(value, found)
    elif isinstance(node, list):
        for item in node:
            _references(item, found)


def _config_refs(module: dict[str, Any], prefix: str, out: dict[str, list[str]]) -> None:
    for resource in module.get("resources") or []:
        if resource.get("mode", "managed") != "managed":
            continue
        found: list[str] = []
        _references(resource.get("expressions") or {}, found)
        found.extend(str(d) for d in resource.get("depends_on") or [])
        targets = []
        for ref in found:
            if ref.startswith(("var.", "local.", "data.", "each.", "count.", "path.", "self.")):
                continue
            match = _RESOURCE.match(_INDEX.sub("", ref) if ref.startswith("module.") else ref)
            if match:
                targets.append(prefix + match.group(0))
        out[prefix + str(resource.get("address"))] = list(dict.fromkeys(targets))
    for name, call in (module.get("module_calls") or {}).items():
        _config_refs(call.get("module") or {}, f"{prefix}module.{name}.", out)


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
    refs: dict[str, list[str]] = {}
    _config_refs(((data.get("configuration") or {}).get("root_module")) or {}, "", refs)
    managed = [rc for rc in data.get("resource_changes") or [] if rc.get("mode", "managed") == "managed"]
    instances: dict[str, list[str]] = {}
    for rc in managed:
        instances.setdefault(_INDEX.sub("", str(rc["address"])), []).append(str(rc["address"]))
    rows: list[ResourceRow] = []
    changes: list[ResourceChange] = []
    for rc in managed:
        address, rtype = str(rc["address"]), str(rc.get("type") or "?")
        depends = [i for target in refs.get(_INDEX.sub("", address), []) for i in instances.get(target, [])]
        rows.append(ResourceRow(logical_id=address, type=rtype, file=source, depends_on=tuple(depends)))
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
