"""AWS IAM: roles, users, groups and managed policies."""

from __future__ import annotations

from pathlib import Path

from gate.services.iam import fixers, importer, interpret, lexicon, price, synth, tf_model
from gate.services.kit import Service
from gate.spec import IamGroup, IamPolicy, IamRole, IamUser

SERVICE = Service(
    name="iam",
    models=(
        IamGroup,
        IamPolicy,
        IamRole,
        IamUser,
    ),
    recognisers=(
        interpret.RoleRecogniser(),
        interpret.UserRecogniser(),
        interpret.GroupRecogniser(),
        interpret.PolicyRecogniser(),
    ),
    lexicon=lexicon.LEXICON,
    synthesisers=(
        synth.IamRoleSynth(),
        synth.IamUserSynth(),
        synth.IamGroupSynth(),
        synth.IamPolicySynth(),
    ),
    pricing=price.PRICING,
    terraform=tf_model.MAPPING,
    policies=("GATE-IAM-001", "GATE-IAM-002", "GATE-IAM-003"),
    fixers=fixers.FIXERS,
    importers=(importer.READER,),
    folder=Path(__file__).parent,
)
