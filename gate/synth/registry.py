"""The explicit registry: spec kind -> synthesiser. Adding a service is one module and one line here."""

from __future__ import annotations

from gate.errors import GateError
from gate.services.cloudwatch.synth import CloudwatchAlarmSynth, LogGroupSynth
from gate.services.dynamodb.synth import DynamodbTableSynth
from gate.services.ec2.synth import EbsVolumeSynth, Ec2InstanceSynth, SecurityGroupSynth
from gate.services.iam.synth import IamGroupSynth, IamPolicySynth, IamRoleSynth, IamUserSynth
from gate.services.lambda_.synth import LambdaFunctionSynth
from gate.services.rds.synth import RdsInstanceSynth
from gate.services.s3.synth import S3BucketSynth
from gate.services.sns.synth import SnsTopicSynth
from gate.services.sqs.synth import SqsQueueSynth
from gate.services.vpc.synth import VpcSynth
from gate.spec import ChangeSpec, ResourceSpec
from gate.synth.base import Synthesiser
from gate.synth.context import Refs, SynthContext

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
