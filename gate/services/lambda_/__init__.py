"""AWS Lambda: functions, their roles and triggers (S3, SQS, SNS, schedules)."""

from __future__ import annotations

from pathlib import Path

from gate.services.kit import Service
from gate.services.lambda_ import fixers, importer, interpret, lexicon, price, synth, tf_model, wiring
from gate.spec import LambdaFunction

SERVICE = Service(
    name="lambda",
    models=(LambdaFunction,),
    recognisers=(interpret.LambdaRecogniser(),),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.LambdaFunctionSynth(),),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-LAMBDA-001", "GATE-LAMBDA-002"),
    fixers=fixers.FIXERS,
    importers=(importer.READER, importer.TRIGGER_READER),  # the triggers: after the functions and queues
    folder=Path(__file__).parent,
    wiring=(wiring.wire_triggers,),
)
