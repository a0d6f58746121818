"""One recogniser per service; :data:`RECOGNISERS` is the explicit registry (spec kind -> recogniser)."""

from __future__ import annotations

from gate.interpret.base import Recogniser
from gate.interpret.services.cloudwatch import AlarmRecogniser, LogGroupRecogniser
from gate.interpret.services.dynamodb import DynamodbRecogniser
from gate.interpret.services.ec2 import EbsRecogniser, Ec2Recogniser, SecurityGroupRecogniser
from gate.interpret.services.iam import GroupRecogniser, PolicyRecogniser, RoleRecogniser, UserRecogniser
from gate.interpret.services.lambda_ import LambdaRecogniser
from gate.interpret.services.rds import RdsRecogniser
from gate.interpret.services.s3 import S3Recogniser
from gate.interpret.services.sns import SnsRecogniser
from gate.interpret.services.sqs import SqsRecogniser
from gate.interpret.services.vpc import VpcRecogniser

RECOGNISERS: dict[str, Recogniser] = {
    r.kind: r
    for r in (
        S3Recogniser(),
        Ec2Recogniser(),
        EbsRecogniser(),
        VpcRecogniser(),
        SecurityGroupRecogniser(),
        RdsRecogniser(),
        DynamodbRecogniser(),
        LambdaRecogniser(),
        RoleRecogniser(),
        UserRecogniser(),
        GroupRecogniser(),
        PolicyRecogniser(),
        AlarmRecogniser(),
        LogGroupRecogniser(),
        SqsRecogniser(),
        SnsRecogniser(),
    )
}
