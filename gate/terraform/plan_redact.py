"""A Terraform plan's JSON holds sensitive values in clear (``terraform show -json`` prints them): the copy the
gate stores in gate-plan.json has them masked. Masked: every value Terraform marks sensitive
(``before_sensitive``/``after_sensitive``, ``sensitive_values``, sensitive variables), and every string under a
key that names a secret (``password``, ``master_password``, ``secret_string``, ``*_token``, ``private_key``),
wherever it sits (the configuration's ``constant_value`` included). The reviewed sha256 stays the original's."""

from __future__ import annotations

import json
import re
from typing import Any

MASK = "***"
_SECRET_KEY = re.compile(
    r"(^|_)(password|passwd|secret|secret_string|private_key|access_key|secret_key|auth_token)$", re.I
)


def _mask(value: Any, sensitive: Any) -> Any:
    if sensitive is True:
        return MASK if value is not None else None
    if isinstance(value, dict) and isinstance(sensitive, dict):
        return {k: _mask(v, sensitive.get(k)) for k, v in value.items()}
    if isinstance(value, list) and isinstance(sensitive, list):
        return [_mask(v, sensitive[i] if i < len(sensitive) else None) for i, v in enumerate(value)]
    return value


def _by_key(node: Any, secret: bool = False) -> Any:
    if isinstance(node, dict):
        return {k: _by_key(v, secret or bool(_SECRET_KEY.search(str(k)))) for k, v in node.items()}
    if isinstance(node, list):
        return [_by_key(v, secret) for v in node]
    if secret and isinstance(node, str) and node:
        return MASK
    return node


def _modules(module: Any) -> None:
    if not isinstance(module, dict):
        return
    for resource in module.get("resources") or []:
        if isinstance(resource, dict) and "values" in resource:
            resource["values"] = _mask(resource["values"], resource.get("sensitive_values"))
    for child in module.get("child_modules") or []:
        _modules(child)


def redact_plan(content: str) -> str:
    """The plan JSON with sensitive values masked (the text unchanged when there is nothing to mask)."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError:
        return content
    if not isinstance(data, dict):
        return content
    original = json.loads(content)
    for rc in data.get("resource_changes") or []:
        change = rc.get("change") if isinstance(rc, dict) else None
        if isinstance(change, dict):
            for side in ("before", "after"):
                change[side] = _mask(change.get(side), change.get(f"{side}_sensitive"))
    _modules((data.get("planned_values") or {}).get("root_module"))
    _modules(((data.get("prior_state") or {}).get("values") or {}).get("root_module"))
    declared = ((data.get("configuration") or {}).get("root_module") or {}).get("variables") or {}
    for name, variable in (data.get("variables") or {}).items():
        if isinstance(variable, dict) and isinstance(declared.get(name), dict) and declared[name].get("sensitive"):
            variable["value"] = MASK
    masked = _by_key(data)
    return content if masked == original else json.dumps(masked, indent=2, sort_keys=True) + "\n"
