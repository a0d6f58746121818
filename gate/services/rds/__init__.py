"""Amazon RDS: DB instances (engines, versions pinned from cfn-lint's data, replicas), read replicas of databases
outside the change, Aurora clusters and their instances."""

from __future__ import annotations

from pathlib import Path

from gate.services.kit import Service
from gate.services.rds import (
    aurora,
    cluster_words,
    fixers,
    importer,
    interpret,
    lexicon,
    price,
    replica,
    synth,
    tf_model,
)
from gate.spec import RdsCluster, RdsInstance, RdsReadReplica

SERVICE = Service(
    name="rds",
    models=(RdsInstance, RdsReadReplica, RdsCluster),
    recognisers=(
        interpret.RdsRecogniser(),
        interpret.RdsReplicaRecogniser(),
        cluster_words.RdsClusterRecogniser(),
    ),
    lexicon=lexicon.LEXICON,
    synthesisers=(synth.RdsInstanceSynth(), replica.RdsReadReplicaSynth(), aurora.RdsClusterSynth()),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-RDS-001", "GATE-RDS-002", "GATE-RDS-003", "GATE-RDS-004"),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),
    folder=Path(__file__).parent,
)
