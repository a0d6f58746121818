"""The estate of issue 18, made by boto3 on the embedded AWS: a versioned bucket with a lifecycle rule, a queue
with a dead-letter queue, a provisioned DynamoDB table, a Lambda with its role and the queue as its trigger, a security
group open to the world in a VPC with a subnet."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

from gate.cloud.aws import AwsTarget

TRUST = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}

READ_JOBS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage"], "Resource": "*"}],
}


@dataclass(frozen=True)
class Estate:
    prefix: str
    bucket: str
    queue_url: str
    dlq_url: str
    table: str
    role: str
    function: str
    trigger: str
    group_id: str
    vpc: str
    subnet: str


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.py", "def handler(event, context):\n    return 'ok'\n")
    return buf.getvalue()


def make_estate(target: AwsTarget, prefix: str) -> Estate:
    s3, sqs, ddb = target.client("s3"), target.client("sqs"), target.client("dynamodb")
    iam, lam, ec2 = target.client("iam"), target.client("lambda"), target.client("ec2")
    bucket = f"{prefix}-data"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket,
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "archive",
                    "Status": "Enabled",
                    "Filter": {"Prefix": "logs/"},
                    "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}],
                    "Expiration": {"Days": 365},
                }
            ]
        },
    )
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "team", "Value": "payments"}]})
    dlq_url = sqs.create_queue(QueueName=f"{prefix}-jobs-dlq", Attributes={"MessageRetentionPeriod": "1209600"})[
        "QueueUrl"
    ]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    queue_url = sqs.create_queue(
        QueueName=f"{prefix}-jobs",
        Attributes={
            "VisibilityTimeout": "120",
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "4"}),
        },
    )["QueueUrl"]
    table = f"{prefix}-orders"
    ddb.create_table(
        TableName=table,
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 10, "WriteCapacityUnits": 5},
    )
    role = f"{prefix}-worker-role"
    role_arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    iam.put_role_policy(RoleName=role, PolicyName="read-jobs", PolicyDocument=json.dumps(READ_JOBS))
    function = f"{prefix}-worker"
    lam.create_function(
        FunctionName=function,
        Runtime="python3.12",
        Role=role_arn,
        Handler="index.handler",
        Code={"ZipFile": _zip()},
        Timeout=60,
        MemorySize=256,
    )
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    trigger = lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName=function, BatchSize=5)["UUID"]
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "Name", "Value": f"{prefix}-net"}])
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.20.1.0/24", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    ec2.create_tags(Resources=[subnet], Tags=[{"Key": "Name", "Value": f"{prefix}-net-a"}])
    group_id = ec2.create_security_group(GroupName=f"{prefix}-web", Description="web servers", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=group_id,
        IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}],
    )
    return Estate(prefix, bucket, queue_url, dlq_url, table, role, function, str(trigger), group_id, vpc, subnet)
