"""Spec kind -> synthesiser, from each service's ``synth.py`` in :data:`gate.services.CATALOG`
(docs/adding-a-service.md says how to add a service)."""

from __future__ import annotations

from gate.errors import GateError
from gate.services import CATALOG
from gate.spec import ChangeSpec, ResourceSpec
from gate.synth.base import Synthesiser
from gate.synth.context import Refs, SynthContext

SYNTHESISERS: dict[str, Synthesiser] = {s.kind: s for service in CATALOG.values() for s in service.synthesisers}


def synthesiser_for(res: ResourceSpec) -> Synthesiser:
    synth = SYNTHESISERS.get(res.kind)
    if synth is None:
        raise GateError(f"no synthesiser for resource kind {res.kind!r}", fix="report this as a bug")
    return synth


def new_context(spec: ChangeSpec, region: str) -> SynthContext:
    """A context whose references resolve through each target's own synthesiser."""
    ctx = SynthContext(spec=spec, region=region)

    def refs_of(res: ResourceSpec) -> Refs:
        return synthesiser_for(res).refs(res, ctx)

    ctx.refs_of = refs_of
    return ctx
