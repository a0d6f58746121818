"""Amazon SQS: queues (FIFO, dead-letter queues, subscriptions to SNS topics)."""

from __future__ import annotations

from pathlib import Path

from gate.services.kit import Service
from gate.services.sqs import fixers, importer, interpret, lexicon, price, synth, tf_model
from gate.spec import SqsQueue

SERVICE = Service(
    name="sqs",
    models=(SqsQueue,),
    recognisers=(interpret.SqsRecogniser(),),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.SqsQueueSynth(),),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-SQS-001",),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),
    folder=Path(__file__).parent,
)
