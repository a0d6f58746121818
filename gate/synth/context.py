"""What a synthesiser needs to know about the rest of the spec: how to refer to the other resources.

References are by spec ``name``; :meth:`SynthContext.cfn` and :meth:`SynthContext.tf` turn a name into the
expression that points at it (``!Ref``/``!GetAtt`` in CloudFormation, ``aws_x.name.arn`` in Terraform), using
the :class:`Refs` the target's own synthesiser publishes.  Shared things (template parameters and
conditions, outputs, Terraform data sources) are collected here, once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from gate.errors import GateError
from gate.spec import ChangeSpec, ResourceSpec
from gate.synth.hcl import Block, Value


def logical_id(name: str, suffix: str = "") -> str:
    """'acme-invoices', 'Bucket' -> 'AcmeInvoicesBucket' (CloudFormation logical ids are alphanumeric)."""
    base = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", name) if part)
    if not base or base[0].isdigit():
        base = "R" + base
    return (base + suffix)[:255]


@dataclass(frozen=True)
class Refs:
    """How other resources point at one resource: attribute -> expression, per format.

    Common attributes: ``id`` (the physical id / name), ``arn``; kinds add their own (``private_subnets``...).
    """

    cfn: dict[str, Any]
    tf: dict[str, Value]


@dataclass
class SynthContext:
    spec: ChangeSpec
    region: str
    refs_of: Callable[[ResourceSpec], Refs] | None = None
    by_name: dict[str, ResourceSpec] = field(default_factory=dict)
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    conditions: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    tf_data: dict[str, Block] = field(default_factory=dict)
    tf_outputs: dict[str, Block] = field(default_factory=dict)
    tf_providers: dict[str, dict[str, Value]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_name = {res.name: res for res in self.spec.resources}

    def resolve(self, ref: str, wanted_kind: str | tuple[str, ...] | None, from_resource: str) -> ResourceSpec:
        """The resource ``ref`` names (of the wanted kinds; None: any); a clear error when it is missing."""
        kinds = (wanted_kind,) if isinstance(wanted_kind, str) else wanted_kind
        target = self.by_name.get(ref)
        if target is None or (kinds is not None and target.kind not in kinds):
            what = " or ".join(kinds) if kinds else "resource"
            raise GateError(
                f"resource {from_resource!r} refers to {ref!r}, which is not a {what} in the spec",
                fix="name an existing resource of that kind, or add it to the request",
            )
        return target

    def refs(self, ref: str, wanted_kind: str | tuple[str, ...] | None, from_resource: str) -> Refs:
        target = self.resolve(ref, wanted_kind, from_resource)
        if self.refs_of is None:
            raise GateError("synthesis context has no reference table", fix="report this as a bug")
        return self.refs_of(target)

    def cfn(self, ref: str, wanted_kind: str | tuple[str, ...] | None, from_resource: str, attr: str = "id") -> Any:
        return self._attr(self.refs(ref, wanted_kind, from_resource).cfn, ref, attr, from_resource)

    def tf(self, ref: str, wanted_kind: str | tuple[str, ...] | None, from_resource: str, attr: str = "id") -> Value:
        return self._attr(self.refs(ref, wanted_kind, from_resource).tf, ref, attr, from_resource)  # type: ignore[no-any-return]

    @staticmethod
    def _attr(table: dict[str, Any], ref: str, attr: str, from_resource: str) -> Any:
        if attr not in table:
            raise GateError(
                f"resource {from_resource!r} needs the {attr} of {ref!r}, which that kind does not provide",
                fix="refer to a resource of a kind that has it",
            )
        return table[attr]

    def data(self, key: str, block: Block) -> None:
        """A Terraform data source shared by several resources (written once)."""
        self.tf_data.setdefault(key, block)

    def of_kind(self, kind: str) -> list[ResourceSpec]:
        return [res for res in self.spec.resources if res.kind == kind]
