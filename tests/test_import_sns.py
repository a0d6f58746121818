"""SNS subscriptions in the imported main.tf: one ``aws_sns_topic_subscription`` per confirmed subscription, imported
by its ARN, whose topic and (when imported too) endpoint are references; on the embedded AWS."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from gate.importer.base import Links, Live
from gate.services.sns.importer import READER
from gate.synth.hcl import render
from tests.deploy_support import unique

pytestmark = pytest.mark.usefixtures("aws_credentials")


def _one(value: object) -> str:
    """An attribute as python-hcl2 gives it (a one-item list here), with ``${...}`` around a reference dropped."""
    first = value[0] if isinstance(value, list) else value
    return str(first).removeprefix("${").removesuffix("}")


def test_subscriptions_are_imported_terraform_resources(moto: AwsTarget, workdir: Path) -> None:
    prefix = unique("subs")
    sns, sqs = moto.client("sns"), moto.client("sqs")
    topic = sns.create_topic(Name=f"{prefix}-alerts")["TopicArn"]
    url = sqs.create_queue(QueueName=f"{prefix}-inbox")["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    to_queue = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue)["SubscriptionArn"]
    to_hook = sns.subscribe(TopicArn=topic, Protocol="https", Endpoint="https://hooks.example.com/alerts")
    hook_arn = to_hook["SubscriptionArn"]
    mail_arn = sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="oncall@example.com")["SubscriptionArn"]
    args = ["import", "--endpoint-url", str(moto.endpoint_url), "--name-prefix", prefix, "--types", "sns,sqs"]
    assert main([*args, "--out", "o"]) in (0, 1)

    text = (workdir / "o" / "main.tf").read_text()
    parsed = hcl2.loads(text)
    subs = {
        name: body
        for block in parsed["resource"]
        for rtype, named in block.items()
        if rtype == "aws_sns_topic_subscription"
        for name, body in named.items()
    }
    [topic_name] = [n for b in parsed["resource"] for t, named in b.items() if t == "aws_sns_topic" for n in named]
    [queue_name] = [n for b in parsed["resource"] for t, named in b.items() if t == "aws_sqs_queue" for n in named]
    imports = {_one(b["to"]): _one(b["id"]) for b in parsed["import"]}
    by_protocol = {_one(body["protocol"]): (name, body) for name, body in subs.items()}
    name, body = by_protocol["sqs"]
    assert _one(body["topic_arn"]) == f"aws_sns_topic.{topic_name}.arn"
    assert _one(body["endpoint"]) == f"aws_sqs_queue.{queue_name}.arn"  # the imported queue, by reference
    assert imports[f"aws_sns_topic_subscription.{name}"] == to_queue
    name, body = by_protocol["https"]
    assert _one(body["endpoint"]) == "https://hooks.example.com/alerts"  # not imported: the literal endpoint
    assert imports[f"aws_sns_topic_subscription.{name}"] == hook_arn
    assert set(by_protocol) == {"sqs", "https", "email"}  # moto confirms every subscription at once
    assert imports[f"aws_sns_topic_subscription.{by_protocol['email'][0]}"] == mail_arn


def test_a_pending_subscription_is_said_in_main_tf_not_imported() -> None:
    """AWS lists an unconfirmed email subscription with SubscriptionArn 'PendingConfirmation' (moto confirms at
    once, so this is the reader on the answer AWS gives): there is nothing to import it by, and main.tf says so."""
    topic = "arn:aws:sns:us-east-1:123456789012:alerts"
    subs = [{"Protocol": "email", "Endpoint": "oncall@example.com", "Arn": "PendingConfirmation"}]
    live = Live("sns", "sns_topic", topic, topic, "alerts", {}, {"subscriptions": subs})
    tf = READER.terraform(live, "alerts", Links({}))
    assert [(b.labels, import_id) for b, import_id in tf.blocks] == [(("aws_sns_topic", "alerts"), topic)]
    text = render([b for b, _ in tf.blocks])
    assert "email subscription to oncall@example.com is PendingConfirmation: not importable until confirmed" in text
