"""One recogniser per service; :data:`RECOGNISERS` is the explicit registry (spec kind -> recogniser)."""

from __future__ import annotations

from gate.interpret.base import Recogniser
from gate.services.cloudwatch.interpret import AlarmRecogniser, LogGroupRecogniser
from gate.services.dynamodb.interpret import DynamodbRecogniser
from gate.services.ec2.interpret import EbsRecogniser, Ec2Recogniser, SecurityGroupRecogniser
from gate.services.iam.interpret import GroupRecogniser, PolicyRecogniser, RoleRecogniser, UserRecogniser
from gate.services.lambda_.interpret import LambdaRecogniser
from gate.services.rds.interpret import RdsRecogniser
from gate.services.s3.interpret import S3Recogniser
from gate.services.sns.interpret import SnsRecogniser
from gate.services.sqs.interpret import SqsRecogniser
from gate.services.vpc.interpret import VpcRecogniser

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
