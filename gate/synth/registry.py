"""The explicit registry: spec kind -> synthesiser. Adding a service is one module and one line here."""

from __future__ import annotations

from typing import Any, Protocol

from gate.synth.context import SynthContext
from gate.synth.ec2 import Ec2InstanceSynth
from gate.synth.s3 import S3BucketSynth


class Synthesiser(Protocol):
    kind: str

    def cloudformation(self, res: Any, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        """CloudFormation resources (logical id -> resource) for one spec resource."""
        ...


SYNTHESISERS: dict[str, Synthesiser] = {s.kind: s for s in (S3BucketSynth(), Ec2InstanceSynth())}
