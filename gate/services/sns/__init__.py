"""Amazon SNS: topics and their subscriptions."""

from __future__ import annotations

from pathlib import Path

from gate.services.kit import Service
from gate.services.sns import fixers, importer, interpret, lexicon, price, synth, tf_model
from gate.spec import SnsTopic

SERVICE = Service(
    name="sns",
    models=(SnsTopic,),
    recognisers=(interpret.SnsRecogniser(),),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.SnsTopicSynth(),),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-SNS-001", "GATE-SNS-002"),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),
    folder=Path(__file__).parent,
)
