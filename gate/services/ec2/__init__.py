"""Amazon EC2: instances, EBS volumes and security groups."""

from __future__ import annotations

from pathlib import Path

from gate.services.ec2 import fixers, importer, interpret, lexicon, price, synth, tf_model
from gate.services.kit import Service
from gate.spec import EbsVolume, Ec2Instance, SecurityGroup

SERVICE = Service(
    name="ec2",
    models=(
        Ec2Instance,
        EbsVolume,
        SecurityGroup,
    ),
    recognisers=(
        interpret.Ec2Recogniser(),
        interpret.EbsRecogniser(),
        interpret.SecurityGroupRecogniser(),
    ),
    lexicon=lexicon.LEXICON,
    synthesisers=(
        synth.Ec2InstanceSynth(),
        synth.EbsVolumeSynth(),
        synth.SecurityGroupSynth(),
    ),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-EC2-001", "GATE-EBS-001", "GATE-SG-001", "GATE-SG-002", "GATE-SG-003"),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),
    folder=Path(__file__).parent,
)
