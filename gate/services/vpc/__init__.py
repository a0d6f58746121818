"""Amazon VPC: the network (subnets, route tables, NAT, flow logs), and parts added to an existing one."""

from __future__ import annotations

from pathlib import Path

from gate.services.kit import Service
from gate.services.vpc import importer, interpret, lexicon, parts_interpret, parts_synth, price, synth, tf_model
from gate.spec import NetworkParts, Vpc

SERVICE = Service(
    name="vpc",
    models=(Vpc, NetworkParts),
    recognisers=(interpret.VpcRecogniser(), parts_interpret.NetworkPartsRecogniser()),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.VpcSynth(), parts_synth.NetworkPartsSynth()),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-VPC-001",),
    importers=(importer.READER, importer.SUBNET_READER),
    folder=Path(__file__).parent,
)
