"""The offline interpreter: names, references between resources, assumptions, business requests, refusals."""

from __future__ import annotations

import pytest

from gate.errors import GateError
from gate.interpret.offline import interpret
from gate.spec import (
    CloudwatchAlarm,
    Ec2Instance,
    ExistingResource,
    IamRole,
    LambdaFunction,
    RdsInstance,
    S3Bucket,
    S3Trigger,
    SqsQueue,
    SqsTrigger,
    Vpc,
)


def _fields(spec_assumptions: list[tuple[str | None, str]], resource: str | None, field: str) -> bool:
    return (resource, field) in spec_assumptions


def test_purpose_names_the_instances_even_with_trailing_tags() -> None:
    spec = interpret("Launch two t3.medium EC2 instances for the search service tagged team=search")
    (res,) = spec.resources
    assert isinstance(res, Ec2Instance)
    assert (res.name, res.count, res.instance_type, res.tags) == ("search", 2, "t3.medium", {"team": "search"})


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('Create a bucket "press-kit"', "press-kit"),
        ("Create a bucket called press-kit", "press-kit"),
        ("Create a bucket named `press-kit` with versioning", "press-kit"),
        ("Create the bucket press-kit", "press-kit"),
        ("Create an S3 bucket for the analytics team", "analytics"),
    ],
)
def test_names_in_the_ways_people_write_them(text: str, name: str) -> None:
    assert interpret(text).resources[0].name == name


def test_one_request_several_resources_with_references() -> None:
    spec = interpret("a VPC with two subnets, two web servers and a postgres database in the private subnets")
    by_kind = {r.kind: r for r in spec.resources}
    vpc, web, db = by_kind["vpc"], by_kind["ec2_instance"], by_kind["rds_instance"]
    assert isinstance(vpc, Vpc) and isinstance(web, Ec2Instance) and isinstance(db, RdsInstance)
    assert db.vpc_ref == vpc.name and db.engine == "postgres"
    assert web.count == 2 and web.subnet_ref == f"{vpc.name}:public"
    assert vpc.public_subnets >= 1 and vpc.private_subnets >= 1


def test_every_inferred_default_is_an_assumption() -> None:
    spec = interpret("Start a virtual machine and a database", region="eu-west-1")
    said = {(a.resource, a.field) for a in spec.assumptions}
    assert (None, "region") in said
    vm = next(r.name for r in spec.resources if r.kind == "ec2_instance")
    db = next(r.name for r in spec.resources if r.kind == "rds_instance")
    assert {(vm, "instance_type"), (vm, "ami"), (db, "engine"), (db, "engine_version"), (db, "instance_class")} <= said


def test_stated_values_are_not_assumptions() -> None:
    spec = interpret("Create a MySQL 8.0 database on db.t3.small with 50 GB of storage, multi-AZ", region="us-east-1")
    (db,) = spec.resources
    assert isinstance(db, RdsInstance)
    assert (db.engine, db.instance_class, db.storage_gb, db.multi_az) == ("mysql", "db.t3.small", 50, True)
    fields = {a.field for a in spec.assumptions}
    assert not fields & {"engine", "instance_class", "multi_az"}


def test_durations_schedules_thresholds() -> None:
    spec = interpret(
        "Create an SQS queue named jobs with a 90 second visibility timeout, a lambda named worker on node 20 "
        "with a 30 second timeout that processes messages from the queue, a lambda named tick that runs every "
        "5 minutes, and alarm when the queue has more than 100 messages for 10 minutes"
    )
    res = {r.name: r for r in spec.resources}
    jobs, worker, tick, alarm = res["jobs"], res["worker"], res["tick"], res["alarm"]
    assert isinstance(jobs, SqsQueue) and jobs.visibility_timeout_s == 90
    assert isinstance(worker, LambdaFunction) and worker.runtime == "nodejs20.x" and worker.timeout_s == 30
    assert worker.triggers == [SqsTrigger(queue_ref="jobs")]
    assert isinstance(tick, LambdaFunction) and tick.triggers[0].type == "schedule"
    assert tick.triggers[0].expression == "rate(5 minutes)"  # type: ignore[union-attr]
    assert isinstance(alarm, CloudwatchAlarm)
    assert (alarm.metric, alarm.threshold, alarm.target_ref) == ("ApproximateNumberOfMessagesVisible", 100, "jobs")
    assert alarm.period_s * alarm.evaluation_periods == 600


def test_a_trigger_bucket_that_is_only_referred_to_is_created_and_said_so() -> None:
    spec = interpret("Create a Lambda function named resize triggered by uploads to bucket photo-uploads")
    bucket = next(r for r in spec.resources if isinstance(r, S3Bucket))
    fn = next(r for r in spec.resources if isinstance(r, LambdaFunction))
    assert bucket.bucket_name == "photo-uploads"
    assert fn.triggers == [S3Trigger(bucket_ref=bucket.name)]
    assert any(a.resource == bucket.name and a.field == "created" for a in spec.assumptions)


def test_a_resource_outside_the_change_named_by_name_is_granted_by_kind_and_name() -> None:
    spec = interpret("Create an IAM role for Lambda that can write to the DynamoDB table orders")
    (role,) = spec.resources
    assert isinstance(role, IamRole) and role.assumed_by == ["lambda.amazonaws.com"]
    (statement,) = role.statements
    assert statement.actions == ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"]
    assert statement.existing == [ExistingResource(kind="dynamodb_table", name="orders")]  # no indexes: not asked
    assert not statement.resources and not statement.resource_refs
    assert not [a for a in spec.assumptions if a.field == "not-applied"]


def test_permissions_on_resources_the_request_does_not_name_are_not_guessed() -> None:
    spec = interpret("Create an IAM role for Lambda that can write to the DynamoDB table")
    missing = [a for a in spec.assumptions if a.field == "not-applied"]
    assert missing and missing[0].value.startswith("NOT granted: dynamodb:PutItem")
    assert spec.assumptions[0] == missing[0]  # what was not applied is said first
    assert "existing DynamoDB table NAME" in missing[0].reason


def test_business_request_carries_the_options_considered() -> None:
    spec = interpret("a small cheap database for an internal tool")
    (db,) = spec.resources
    assert isinstance(db, RdsInstance) and db.multi_az is False and db.instance_class == "db.t4g.micro"
    options = spec.options_considered
    assert len(options) >= 2 and sum(o.chosen for o in options) == 1 and options[0].chosen
    assert all(o.pros and o.cons and o.cost_basis for o in options)
    assert all(o.monthly_usd is not None and o.monthly_usd > 0 for o in options)
    assert options[0].monthly_usd is not None and options[1].monthly_usd is not None
    assert options[0].monthly_usd < options[1].monthly_usd  # the cheap one really is cheaper


def test_business_storage_does_not_invent_a_global_bucket_name() -> None:
    spec = interpret("somewhere to store campaign images our website can serve")
    (bucket,) = spec.resources
    assert isinstance(bucket, S3Bucket) and bucket.bucket_name is None and bucket.block_public_access
    assert any("CloudFront" in o.title for o in spec.options_considered)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Improve our infrastructure", "could not find a resource"),
        ("Create an S3 bucket named data-lake-raw. Also set up Kafka.", "'Also set up Kafka'"),
        ("Create a Memcached cluster for caching", "ElastiCache for Memcached"),
        ("Delete the bucket named old-logs", "only creates and changes"),
        ("Create an Oracle database named erp", "oracle"),
        ("Create an IAM role for EC2 with administrator access", "refuses"),
        ("Create a Lambda function named legacy on python2.7", "python2.7"),
        ("Create a VPC 10.0.0.0/8 with two private subnets", "10.0.0.0/8"),
    ],
)
def test_refusals_say_what_was_not_understood_and_how_to_phrase_it(text: str, says: str) -> None:
    with pytest.raises(GateError) as caught:
        interpret(text)
    assert says in caught.value.message
    assert caught.value.fix


def test_vague_request_gets_two_or_three_example_phrasings() -> None:
    with pytest.raises(GateError) as caught:
        interpret("Make things faster")
    assert caught.value.fix is not None and 2 <= caught.value.fix.count("'") // 2 <= 3


def test_a_region_other_than_the_configured_one_is_refused() -> None:
    with pytest.raises(GateError, match="eu-west-1"):
        interpret("Create a bucket named eu-invoices in eu-west-1", region="us-east-1")
    assert interpret("Create a bucket named eu-invoices in eu-west-1", region="eu-west-1").resources


def test_same_request_same_spec() -> None:
    text = "Create a VPC 10.50.0.0/16 with two public subnets, two t3.small servers and a MySQL database"
    assert interpret(text) == interpret(text)


# --- review of fresh requests: each misread, as a behaviour -----------------------------------------------


def _actions(fn: LambdaFunction, target: str) -> set[str]:
    return {a for p in fn.permissions if target in p.resource_refs or any(target in r for r in p.resources)
            for a in p.actions}  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Create a Lambda function named thumbnailer on python3.12 triggered by uploads to bucket photo-uploads",
        "Create a lambda named thumbnailer that runs when files are uploaded to the bucket photo-uploads",
        "When a file lands in bucket photo-uploads, run a lambda named thumbnailer",
    ],
)
def test_a_trigger_source_is_read_never_written(text: str) -> None:
    spec = interpret(text)
    fn = next(r for r in spec.resources if isinstance(r, LambdaFunction))
    assert _actions(fn, "photo-uploads") == {"s3:GetObject"}


def test_writing_to_the_trigger_source_only_when_asked() -> None:
    spec = interpret(
        "Create a lambda named tagger triggered by uploads to bucket inbox that writes results to bucket inbox"
    )
    fn = next(r for r in spec.resources if isinstance(r, LambdaFunction))
    assert _actions(fn, "inbox") == {"s3:GetObject", "s3:PutObject"}


def test_access_after_the_segment_cut_attaches_to_the_function() -> None:
    spec = interpret("Create a lambda named ingest on python3.12 that writes to a DynamoDB table named events-index")
    fn = next(r for r in spec.resources if isinstance(r, LambdaFunction))
    assert _actions(fn, "events-index") == {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"}
    # ... but not to a function when the phrase is about the resource between them
    spec = interpret(
        "Create a lambda named loader and a queue named inbox that receives messages from the topic alerts"
    )
    fn = next(r for r in spec.resources if isinstance(r, LambdaFunction))
    assert fn.permissions == []


def test_an_iam_user_gets_its_access_through_a_group_or_is_refused() -> None:
    spec = interpret("Create a bucket named reports-2026 and an IAM user named auditor with read-only access to it")
    user = next(r for r in spec.resources if r.kind == "iam_user")
    group = next(r for r in spec.resources if r.kind == "iam_group")
    assert user.group_refs == [group.name]  # type: ignore[union-attr]
    assert group.statements[0].actions == ["s3:GetObject", "s3:ListBucket"]  # type: ignore[union-attr]
    spec = interpret("Create an IAM user named reporting-bot with read-only access to the DynamoDB table sessions")
    group = next(r for r in spec.resources if r.kind == "iam_group")
    assert group.statements[0].existing == [ExistingResource(kind="dynamodb_table", name="sessions")]  # type: ignore[union-attr]
    with pytest.raises(GateError) as caught:
        interpret("Create an IAM user named reporting-bot with read-only access to the DynamoDB table")
    assert "table" in caught.value.message and "existing DynamoDB table" in (caught.value.fix or "")


def test_security_group_rules_from_other_groups_and_on_instances() -> None:
    with pytest.raises(GateError) as caught:
        interpret("Create a security group named db-sg that allows port 5432 from the security group app-sg")
    assert "'app-sg'" in caught.value.message and "same request" in caught.value.message
    spec = interpret("Launch a t3.micro bastion host in a public subnet allowing SSH from 203.0.113.0/24")
    host = next(r for r in spec.resources if isinstance(r, Ec2Instance))
    (group,) = [r for r in spec.resources if r.kind == "security_group"]
    assert host.security_group_refs == [group.name] and host.public_ip
    assert [(g.from_port, g.cidr) for g in group.ingress] == [(22, "203.0.113.0/24")]  # type: ignore[union-attr]
    assert not any(a.value == "none" and a.field == "ingress" for a in spec.assumptions)


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Create 2 SQS queues named orders and refunds, each with a dead-letter queue", ["orders", "refunds"]),
        ("Create two DynamoDB tables: orders and customers, both keyed by id", ["orders", "customers"]),
        (
            "Create SQS queues named alpha, beta and gamma with a 60 second visibility timeout",
            ["alpha", "beta", "gamma"],
        ),
        ("Create two buckets encrypted and versioned", ["bucket", "bucket-2"]),
    ],
)
def test_a_list_of_names_names_one_resource_each(text: str, names: list[str]) -> None:
    assert [r.name for r in interpret(text).resources] == names


def test_memory_and_vcpus_choose_the_type_and_are_not_disk() -> None:
    spec = interpret("I need an EC2 box with 16 GB RAM and 4 vCPUs")
    (box,) = spec.resources
    assert isinstance(box, Ec2Instance) and (box.instance_type, box.root_volume_gb) == ("t3.xlarge", 20)
    (chosen,) = [a for a in spec.assumptions if a.field == "instance_type"]
    assert chosen.value == "t3.xlarge" and "4 vCPUs" in chosen.reason and "16 GiB" in chosen.reason


def test_an_alarm_on_a_named_existing_resource_uses_that_name() -> None:
    spec = interpret("Create an alarm for RDS database billing-db when free storage space is below 10 GB")
    (alarm,) = spec.resources
    assert isinstance(alarm, CloudwatchAlarm) and alarm.dimensions == {"DBInstanceIdentifier": "billing-db"}
    spec = interpret("Alarm when CPU of the server web-1 is above 80 percent")  # a name is not an instance id
    assert spec.resources[0].dimensions == {}  # type: ignore[union-attr]
    assert spec.assumptions[0].field == "not-applied" and "i-..." in spec.assumptions[0].reason


@pytest.mark.parametrize(
    "text",
    [
        "Change the instance type of the existing web server to t3.large",
        "Give the lambda named exporter read access to bucket exports",
        "Create a bucket named exports and give the lambda exporter read access to it",
    ],
)
def test_changing_an_existing_resource_is_refused_for_that_reason(text: str) -> None:
    with pytest.raises(GateError) as caught:
        interpret(text)
    assert "cannot change resources outside this PR's spec" in caught.value.message
    assert "/gate plan" in (caught.value.fix or "")


def test_a_business_request_is_mapped_by_its_main_need() -> None:
    for text in (
        "A place to run a python script every night at 3am that emails a report",
        "A place to run a python script every night at 3am",
    ):
        (job,) = interpret(text).resources
        assert isinstance(job, LambdaFunction) and job.triggers[0].type == "schedule"
