"""What a pricing rule reads: one resource's kind and the few attributes that set its price (both formats)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Unresolved:
    """A value only known at deploy time."""

    expr: str


@dataclass(frozen=True)
class Priceable:
    logical_id: str
    type: str
    kind: str  # a key of rules.RULES, or "free" / "unknown"
    attrs: dict[str, Any] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
