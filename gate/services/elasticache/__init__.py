"""Amazon ElastiCache (Valkey and Redis OSS): replication groups and their subnet groups."""

from __future__ import annotations

from pathlib import Path

from gate.services.elasticache import fixers, importer, interpret, lexicon, price, synth, tf_model
from gate.services.kit import Service
from gate.spec import ElasticacheCluster

SERVICE = Service(
    name="elasticache",
    models=(ElasticacheCluster,),
    recognisers=(interpret.ElasticacheRecogniser(),),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.ElasticacheClusterSynth(),),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-CACHE-001", "GATE-CACHE-002"),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),
    folder=Path(__file__).parent,
)
