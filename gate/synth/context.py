"""What a synthesiser needs to know about the rest of the spec: names -> logical ids, for references."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from gate.errors import GateError
from gate.spec import ChangeSpec, ResourceSpec


def logical_id(name: str, suffix: str = "") -> str:
    """'acme-invoices', 'Bucket' -> 'AcmeInvoicesBucket' (CloudFormation logical ids are alphanumeric)."""
    base = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name) if part)
    if not base or base[0].isdigit():
        base = "R" + base
    return (base + suffix)[:255]


@dataclass
class SynthContext:
    spec: ChangeSpec
    region: str
    by_name: dict[str, ResourceSpec] = field(default_factory=dict)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_name = {res.name: res for res in self.spec.resources}

    def resolve(self, ref: str, wanted_kind: str, from_resource: str) -> ResourceSpec:
        """The resource ``ref`` names; a clear error when it is missing or of the wrong kind."""
        target = self.by_name.get(ref)
        if target is None or target.kind != wanted_kind:
            raise GateError(
                f"resource {from_resource!r} refers to {ref!r}, which is not a {wanted_kind} in the spec",
                fix="name an existing resource of that kind, or add it to the request",
            )
        return target
