"""The explicit registry: spec kind -> synthesiser. Adding a service is one module and one line here."""

from __future__ import annotations

from gate.errors import GateError
from gate.spec import ChangeSpec, ResourceSpec
from gate.synth.base import Synthesiser
from gate.synth.cloudwatch import CloudwatchAlarmSynth, LogGroupSynth
from gate.synth.context import Refs, SynthContext
from gate.synth.dynamodb import DynamodbTableSynth
from gate.synth.ec2 import EbsVolumeSynth, Ec2InstanceSynth, SecurityGroupSynth
from gate.synth.iam import IamGroupSynth, IamPolicySynth, IamRoleSynth, IamUserSynth
from gate.synth.lambda_ import LambdaFunctionSynth
from gate.synth.rds import RdsInstanceSynth
from gate.synth.s3 import S3BucketSynth
from gate.synth.sns import SnsTopicSynth
from gate.synth.sqs import SqsQueueSynth
from gate.synth.vpc import VpcSynth

SYNTHESISERS: dict[str, Synthesiser] = {
    s.kind: s
    for s in (
        S3BucketSynth(),
        Ec2InstanceSynth(),
        SecurityGroupSynth(),
        EbsVolumeSynth(),
        VpcSynth(),
        RdsInstanceSynth(),
        LambdaFunctionSynth(),
        IamRoleSynth(),
        IamUserSynth(),
        IamGroupSynth(),
        IamPolicySynth(),
        CloudwatchAlarmSynth(),
        LogGroupSynth(),
        SqsQueueSynth(),
        SnsTopicSynth(),
        DynamodbTableSynth(),
    )
}


def synthesiser_for(res: ResourceSpec) -> Synthesiser:
    synth = SYNTHESISERS.get(res.kind)
    if synth is None:
        raise GateError(f"no synthesiser for resource kind {res.kind!r}", fix="report this as a bug")
    return synth


def new_context(spec: ChangeSpec, region: str) -> SynthContext:
    """A context whose references resolve through each target's own synthesiser."""
    ctx = SynthContext(spec=spec, region=region)

    def refs_of(res: ResourceSpec) -> Refs:
        return synthesiser_for(res).refs(res, ctx)

    ctx.refs_of = refs_of
    return ctx
