"""The base of every resource kind in :mod:`gate.spec`: a ``name`` other resources refer to, and ``tags``.

The kinds are defined by group (``gate/spec_compute.py``, ``gate/spec_data.py``, ``gate/spec_ops.py``) and
gathered into the ``ResourceSpec`` union in ``gate/spec.py``; their parts are in ``gate/spec_parts.py``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gate.spec_parts import NAME_RE


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Short kebab-case name, unique in the spec; other resources refer to it.")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags to put on the resource.")

    @field_validator("name")
    @classmethod
    def _name_ok(cls, value: str) -> str:
        if not NAME_RE.match(value):
            raise ValueError(f"name {value!r} must be lowercase letters, digits and '-', at most 63 characters")
        return value
