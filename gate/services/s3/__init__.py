"""Amazon S3: buckets (lifecycle, notifications to Lambda, bucket policies)."""

from __future__ import annotations

from pathlib import Path

from gate.services.kit import Service
from gate.services.s3 import fixers, importer, interpret, lexicon, price, synth, tf_model
from gate.spec import S3Bucket

SERVICE = Service(
    name="s3",
    models=(S3Bucket,),
    recognisers=(interpret.S3Recogniser(),),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.S3BucketSynth(),),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-S3-001", "GATE-S3-002", "GATE-S3-003"),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),
    folder=Path(__file__).parent,
)
