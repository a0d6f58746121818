"""The plan shows the order of creation: every resource row lists what it must be created after, read from
all references between resources (CloudFormation Ref / Fn::GetAtt / Fn::Sub and DependsOn; Terraform
``type.name.attr`` references and depends_on), not only explicit DependsOn."""

from __future__ import annotations

import pytest

from gate.iac import make_file, resource_rows
from gate.models import IaCBundle
from gate.pipeline import synthesise
from tests.synth_cases import CASES

TEMPLATE = """\
Parameters:
  Env: {Type: String, Default: dev}
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties: {KeyPolicy: {Version: '2012-10-17', Statement: []}}
  Topic:
    Type: AWS::SNS::Topic
    Properties: {KmsMasterKeyId: !Ref Key, TopicName: !Sub '${Env}-${AWS::Region}-topic'}
  Queue:
    Type: AWS::SQS::Queue
    DependsOn: Topic
    Properties:
      KmsMasterKeyId: !GetAtt Key.Arn
      QueueName: !Sub ['${Prefix}-queue-${!Literal}', {Prefix: !GetAtt Topic.TopicName}]
  Policy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [!Ref Queue]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: sns.amazonaws.com}
            Action: sqs:SendMessage
            Resource: !Sub '${Queue.Arn}'
            Condition: {ArnEquals: {'aws:SourceArn': !If [Never, !Ref Topic, !Ref 'AWS::NoValue']}}
"""

TERRAFORM = """\
data "aws_vpc" "default" {
  default = true
}

resource "aws_security_group" "web" {
  vpc_id = data.aws_vpc.default.id
}

resource "aws_instance" "app" {
  count                  = 2
  vpc_security_group_ids = [aws_security_group.web.id]
  user_data              = "echo ${aws_security_group.web.name} > /etc/group-name"
}

resource "aws_eip" "app" {
  instance   = aws_instance.app[0].id
  depends_on = [aws_security_group.web]
}
"""


def _rows(path: str, fmt: str, text: str) -> dict[str, tuple[str, ...]]:
    bundle = IaCBundle(origin="hand-written", files=(make_file(path, fmt, text),))  # type: ignore[arg-type]
    return {row.logical_id: row.depends_on for row in resource_rows(bundle)}


def test_cloudformation_dependencies_come_from_every_reference_to_another_resource() -> None:
    rows = _rows("template.yaml", "cloudformation", TEMPLATE)
    assert rows["Key"] == ()
    assert rows["Topic"] == ("Key",)  # !Ref; ${Env} is a parameter and ${AWS::Region} a pseudo parameter
    assert rows["Queue"] == ("Topic", "Key")  # DependsOn first, then !GetAtt and Fn::Sub's variable map
    assert rows["Policy"] == ("Queue", "Topic")  # ${Queue.Arn} in a Sub, a Ref inside Fn::If


def test_terraform_dependencies_come_from_references_and_depends_on() -> None:
    rows = _rows("main.tf", "terraform", TERRAFORM)
    assert rows["aws_security_group.web"] == ()  # a data source is not a resource of the plan
    assert rows["aws_instance.app"] == ("aws_security_group.web",)
    assert rows["aws_eip.app"] == ("aws_instance.app", "aws_security_group.web")


@pytest.mark.parametrize("case", ["lambda-triggers", "rds-postgres", "ec2-in-vpc"])
def test_synthesised_rows_list_what_each_resource_waits_for(case: str) -> None:
    rows = resource_rows(synthesise(CASES[case], "us-east-1"))
    by_file: dict[str, dict[str, tuple[str, ...]]] = {}
    for row in rows:
        by_file.setdefault(row.file, {})[row.logical_id] = row.depends_on
    for found in by_file.values():
        for logical, depends in found.items():
            assert set(depends) <= set(found) - {logical}, logical
        assert any(found.values()), "references between resources are dependencies"
    if case == "lambda-triggers":
        cfn, tf = by_file["template.yaml"], by_file["main.tf"]
        assert {"IngestFunctionRole", "IngestFunctionLogGroup", "IngestFunctionDeadLetterQueue"} <= set(
            cfn["IngestFunction"]
        )
        assert {"ResultsTable", "JobsQueue"} <= set(cfn["IngestFunctionRole"])
        assert {"aws_iam_role.ingest_lambda", "aws_iam_role_policy.ingest_lambda"} <= set(
            tf["aws_lambda_function.ingest"]
        )
    if case == "rds-postgres":
        assert by_file["template.yaml"]["OrdersDatabaseReplica1"][0] == "OrdersDatabase"
        assert "aws_db_instance.orders" in by_file["main.tf"]["aws_db_instance.orders_replica"]
