"""Amazon DynamoDB: tables (keys, billing mode, encryption, point-in-time recovery)."""

from __future__ import annotations

from pathlib import Path

from gate.services.dynamodb import fixers, importer, interpret, lexicon, price, synth, tf_model
from gate.services.kit import Service
from gate.spec import DynamodbTable

SERVICE = Service(
    name="dynamodb",
    models=(DynamodbTable,),
    recognisers=(interpret.DynamodbRecogniser(),),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.DynamodbTableSynth(),),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-DDB-001", "GATE-DDB-002"),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),
    folder=Path(__file__).parent,
)
