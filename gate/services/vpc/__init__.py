"""Amazon VPC: the network (subnets, route tables, NAT, flow logs)."""

from __future__ import annotations

from pathlib import Path

from gate.services.kit import Service
from gate.services.vpc import importer, interpret, lexicon, price, synth, tf_model
from gate.spec import Vpc

SERVICE = Service(
    name="vpc",
    models=(Vpc,),
    recognisers=(interpret.VpcRecogniser(),),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.VpcSynth(),),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-VPC-001",),
    importers=(importer.READER, importer.SUBNET_READER),
    folder=Path(__file__).parent,
)
