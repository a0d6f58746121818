"""Amazon RDS: DB instances (engines, versions pinned from cfn-lint's data, replicas), read replicas of databases
outside the change."""

from __future__ import annotations

from pathlib import Path

from gate.services.kit import Service
from gate.services.rds import fixers, interpret, price, replica, synth, tf_model
from gate.spec import RdsInstance, RdsReadReplica

SERVICE = Service(
    name="rds",
    models=(RdsInstance, RdsReadReplica),
    recognisers=(interpret.RdsRecogniser(), interpret.RdsReplicaRecogniser()),
    synthesisers=(synth.RdsInstanceSynth(), replica.RdsReadReplicaSynth()),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-RDS-001", "GATE-RDS-002", "GATE-RDS-003", "GATE-RDS-004"),
    fixers=fixers.FIXERS,
    folder=Path(__file__).parent,
)
