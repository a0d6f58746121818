"""The synthesiser port: one implementation per resource kind (see registry.py)."""

from __future__ import annotations

from typing import Any, Protocol

from gate.synth.context import Refs, SynthContext
from gate.synth.hcl import Block


class Synthesiser(Protocol):
    kind: str

    def refs(self, res: Any, ctx: SynthContext) -> Refs:
        """How other resources point at this one (``id``, ``arn``, ``policy_arns``, kind-specific attributes)."""
        ...

    def cloudformation(self, res: Any, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        """CloudFormation resources (logical id -> resource) for one spec resource."""
        ...

    def terraform(self, res: Any, ctx: SynthContext) -> list[Block]:
        """Terraform ``resource`` blocks for one spec resource (shared data sources go to ``ctx.data``)."""
        ...
