"""Compound nouns ('an instance role' is a role, not an instance) and per-rule sources ('HTTP from anywhere and SSH
from 10.0.0.0/8'): what a new user wrote, and the general rules behind each fix."""

from __future__ import annotations

import pytest

from gate.errors import GateError
from gate.interpret.mentions import find_mentions, segments
from gate.interpret.offline import interpret
from gate.services.ec2.ingress import by_source
from gate.spec import Ec2Instance, IamGroup, IamRole, LambdaFunction, RdsInstance, S3Bucket, SecurityGroup


def _new(text: str) -> list[str]:
    """The kinds of the resources the request creates, in order."""
    return [s.kind for s in segments(text, find_mentions(text))]


def _rules(group: SecurityGroup) -> set[tuple[int, str | None]]:
    return {(r.from_port or 0, r.cidr or r.source_group_ref) for r in group.ingress}


def _not_applied(text: str) -> list[str]:
    return [a.value for a in interpret(text).assumptions if a.field == "not-applied"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "Launch a t3.large instance named b1 with an instance role that can read the bucket x",
            ["ec2_instance", "iam_role"],
        ),
        ("Create a web server security group that allows HTTPS from anywhere", ["security_group"]),
        ("Create an EC2 security group", ["security_group"]),
        ("Create a load balancer security group", ["security_group"]),
        ("Create a lambda security group and a lambda log group", ["security_group", "log_group"]),
        ("Create a queue depth alarm on the queue jobs when it has more than 10 messages", ["cloudwatch_alarm"]),
        ("Create a lambda named hook with a function URL", ["lambda_function"]),
        ("Create a postgres database with a database subnet group and a database password", ["rds_instance"]),
        ("Create a bucket named abc-data with a bucket policy", ["s3_bucket"]),
        ("Create an S3 bucket named abc-data with an S3 bucket policy that lets the role x read", ["s3_bucket"]),
        ("Create a DynamoDB table named events with a table stream", ["dynamodb_table"]),
        ("Create an SNS topic named alerts with a topic subscription", ["sns_topic"]),
        ("Create a VPC with a VPC endpoint for S3", ["vpc"]),
        ("Create an EC2 volume of 50 GB", ["ebs_volume"]),
        # what must stay as written
        ("Create a security group for the web servers", ["security_group"]),
        ("Launch two web servers and a security group", ["ec2_instance", "security_group"]),
        ("Create a kinesis stream named clicks", []),  # Kinesis, refused as such
    ],
)
def test_a_noun_before_another_noun_modifies_it(text: str, kinds: list[str]) -> None:
    assert _new(text) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Create a lambda named x1 with a lambda timeout of 30 seconds", ["lambda_function"]),
        ("Create a queue named jobs with a queue visibility timeout of 60 seconds", ["sqs_queue"]),
        ("Create a bucket named abc-data with bucket versioning", ["s3_bucket"]),
        ("Launch an instance named web1 with instance type t3.large", ["ec2_instance"]),
        # the only noun of its kind: the setting is its own ('an EC2 instance type t3.large')
        ("Launch an EC2 instance type t3.large", ["ec2_instance"]),
        ("Create a lambda function timeout 60 seconds", ["lambda_function"]),
    ],
)
def test_a_noun_before_a_setting_owns_it(text: str, kinds: list[str]) -> None:
    assert _new(text) == kinds


def test_a_bare_noun_after_a_noun_is_its_name() -> None:
    spec = interpret("Create an SNS topic alerts and an SQS queue jobs")
    assert sorted((r.kind, r.name) for r in spec.resources) == [("sns_topic", "alerts"), ("sqs_queue", "jobs")]


def test_quoted_words_are_names_not_resources() -> None:
    (topic,) = interpret("Create an SNS topic named alerts with topic display name 'Alerts'").resources
    assert topic.kind == "sns_topic" and topic.display_name == "Alerts"


@pytest.mark.parametrize(
    ("phrase", "parts"),
    [
        (" HTTP and HTTPS from anywhere and SSH from 10.0.0.0/8",
         [" HTTP and HTTPS from anywhere", " and SSH from 10.0.0.0/8"]),
        (" from 10.0.0.0/16 on port 5432 and from 10.1.0.0/16 on port 22",
         [" from 10.0.0.0/16 on port 5432 and from ", "10.1.0.0/16 on port 22"]),
        (" SSH from 10.0.0.0/8 and 172.16.0.0/12", [" SSH from 10.0.0.0/8 and 172.16.0.0/12"]),
        (" from anywhere on 443 and SSH from 10.0.0.0/8", [" from anywhere on 443 ", "and SSH from 10.0.0.0/8"]),
        (" traffic from 10.0.0.0/16 on ports 80 and 443", [" traffic from 10.0.0.0/16 on ports 80 and 443"]),
        (" SSH from 10.0.0.0/8 and HTTP", [" SSH from 10.0.0.0/8", " and HTTP"]),
    ],
)  # fmt: skip
def test_each_source_takes_the_ports_written_with_it(phrase: str, parts: list[str]) -> None:
    assert by_source(phrase, []) == parts


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        (
            "Create a web server security group that allows HTTP and HTTPS from anywhere and SSH from 10.0.0.0/8",
            {(80, "0.0.0.0/0"), (443, "0.0.0.0/0"), (22, "10.0.0.0/8")},
        ),
        (
            "Create a security group with port 443 open to everyone and port 22 open to 192.168.1.0/24",
            {(443, "0.0.0.0/0"), (22, "192.168.1.0/24")},
        ),
        (
            "Spin up a web server with HTTP open to the world and SSH only from 10.20.0.0/16",
            {(80, "0.0.0.0/0"), (22, "10.20.0.0/16")},
        ),
        (
            "Create a security group named app-sg and a security group named db-sg allowing postgres from app-sg and "
            "mysql from 10.0.0.0/8",
            {(5432, "app-sg"), (3306, "10.0.0.0/8")},
        ),
    ],
)
def test_per_rule_sources(text: str, rules: set[tuple[int, str]]) -> None:
    groups = [r for r in interpret(text).resources if isinstance(r, SecurityGroup) and r.ingress]
    assert [_rules(g) for g in groups] == [rules]


def test_anywhere_is_every_ipv4_address_and_said_so() -> None:
    spec = interpret("Create a security group named web-sg that allows HTTPS from anywhere")
    assert any(a.field == "ingress source" and "IPv6" in a.reason for a in spec.assumptions)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Launch two web servers and a security group that allows postgres from the web servers", "by themselves"),
        ("Launch two web servers and a security group allowing postgres from the web server security group", "name"),
        ("Create a security group that allows traffic from 10.0.0.0/16", "which port"),
        ("Create a security group that allows SSH from 10.0.0.0/8 and HTTP", "from where"),
        ("Create an SQS queue policy that allows the topic alerts", "part of an SQS queue"),
        ("Create an instance profile for the build servers", "part of an EC2 instance"),
        ("Create a server certificate for api.example.com", "ACM"),
    ],
)
def test_what_cannot_be_built_is_refused_by_name(text: str, says: str) -> None:
    with pytest.raises(GateError) as err:
        interpret(text)
    assert says in err.value.render()


def test_a_database_port_is_its_engines_when_unsaid() -> None:
    spec = interpret("Create a Postgres database that allows connections from 10.0.0.0/16")
    (group,) = [r for r in spec.resources if isinstance(r, SecurityGroup)]
    assert _rules(group) == {(5432, "10.0.0.0/16")}


def test_database_parameters_and_user() -> None:
    (db,) = interpret(
        "Create a postgres database named billing tagged cost_center=ops with a parameter group that sets "
        "max_connections to 200 and rds.force_ssl=1, and a database user named app"
    ).resources
    assert isinstance(db, RdsInstance)
    assert (db.name, db.master_username) == ("billing", "app")
    assert db.parameters == {"max_connections": "200", "rds.force_ssl": "1"}
    assert _not_applied("Create a mysql database with a custom parameter group")


def test_bucket_policy_grants_roles_in_the_change_or_by_arn_and_says_what_it_cannot() -> None:
    spec = interpret("Create an IAM role named analytics for Lambda, and a bucket named reports-2026 with a bucket "
                     "policy that lets the role analytics read")  # fmt: skip
    (bucket,) = [r for r in spec.resources if isinstance(r, S3Bucket)]
    assert bucket.policy_statements[0].principal_role_refs == ["analytics"]
    (bucket,) = interpret("Create a bucket named reports-2026 with a bucket policy granting "
                          "arn:aws:iam::123456789012:role/etl write access").resources  # fmt: skip
    assert isinstance(bucket, S3Bucket) and "s3:PutObject" in bucket.policy_statements[0].actions
    said = _not_applied("Create a bucket named reports-2026 with a bucket policy that lets the role analytics read")
    assert said == ["a bucket policy grant to the role analytics"]


def test_a_queue_policy_is_written_only_for_a_topic_of_the_change() -> None:
    assert _not_applied("Create a queue named jobs with a queue policy allowing the topic alerts")
    assert not _not_applied(
        "Create a queue named jobs with a queue policy allowing the topic alerts, and an SNS topic named alerts "
        "that sends to the queue jobs"
    )


def test_a_role_or_policy_written_with_its_owner_is_the_owners() -> None:
    spec = interpret("Create a lambda named sync with a lambda role that can write to the table orders")
    (fn,) = spec.resources
    assert isinstance(fn, LambdaFunction) and "dynamodb:PutItem" in fn.permissions[0].actions
    spec = interpret("Create an IAM user named ci with a user policy that allows reading the bucket build-artifacts")
    assert {r.kind for r in spec.resources} == {"iam_user", "iam_group"}
    (group,) = [r for r in spec.resources if isinstance(r, IamGroup)]
    assert "s3:GetObject" in group.statements[0].actions


def test_access_asked_of_an_instance_gets_it_a_role() -> None:
    spec = interpret("Launch a t3.small instance named agent that can read the bucket build-artifacts")
    inst, role = spec.resources
    assert isinstance(inst, Ec2Instance) and isinstance(role, IamRole)
    assert inst.instance_role_ref == role.name and "AmazonSSMManagedInstanceCore" in role.aws_managed_policies


def test_a_name_with_a_trigger_word_is_not_a_trigger() -> None:
    (fn,) = interpret("Create a Lambda function named resize that can read the bucket uploads-raw").resources
    assert isinstance(fn, LambdaFunction) and not fn.triggers
