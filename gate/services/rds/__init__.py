"""Amazon RDS: DB instances (engines, versions pinned from cfn-lint's data, replicas)."""

from __future__ import annotations

from pathlib import Path

from gate.services.kit import Service
from gate.services.rds import fixers, importer, interpret, lexicon, price, synth, tf_model
from gate.spec import RdsInstance

SERVICE = Service(
    name="rds",
    models=(RdsInstance,),
    recognisers=(interpret.RdsRecogniser(),),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.RdsInstanceSynth(),),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-RDS-001", "GATE-RDS-002", "GATE-RDS-003", "GATE-RDS-004"),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),
    folder=Path(__file__).parent,
)
