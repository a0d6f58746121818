"""The base of the objects in :mod:`gate.models` (and :mod:`gate.models_cost`): frozen, no unknown fields."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
