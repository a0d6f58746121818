"""Amazon CloudWatch: metric alarms, and CloudWatch Logs log groups."""

from __future__ import annotations

from pathlib import Path

from gate.services.cloudwatch import fixers, importer, interpret, lexicon, price, synth, tf_model
from gate.services.kit import Service
from gate.spec import CloudwatchAlarm, LogGroup

SERVICE = Service(
    name="cloudwatch",
    models=(
        CloudwatchAlarm,
        LogGroup,
    ),
    recognisers=(
        interpret.AlarmRecogniser(),
        interpret.LogGroupRecogniser(),
    ),
    lexicon=lexicon.LEXICON,
    synthesisers=(
        synth.CloudwatchAlarmSynth(),
        synth.LogGroupSynth(),
    ),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-LOGS-001", "GATE-LOGS-002"),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),  # log groups; alarms are not read yet
    folder=Path(__file__).parent,
)
