"""A typed spec resource in words, for the comment: what the request set beyond the secure defaults.

Generic over every resource kind (it reads the fields the model says differ from their defaults), so a new
kind in ``gate/spec.py`` is described without code here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

_SKIP = {"kind", "name"}


def describe(resource: BaseModel) -> str:
    """'versioning: yes; lifecycle rules: (expiration days=2555, transitions: (days=90, storage class=GLACIER))'."""
    data = resource.model_dump(mode="json", exclude_defaults=True, exclude=_SKIP)
    parts = [f"{_label(key)}: {_value(value)}" for key, value in data.items()]
    return "; ".join(parts) or "secure defaults only"


def _label(key: str) -> str:
    return key.replace("_", " ")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "(" + ", ".join(_pair(k, v) for k, v in value.items()) + ")"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value) or "none"
    return "none" if value is None else str(value)


def _pair(key: str, value: Any) -> str:
    if isinstance(value, dict | list):
        return f"{_label(key)}: {_value(value)}"
    return f"{_label(key)}={_value(value)}"
