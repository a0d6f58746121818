"""SNS topics: name, display name, FIFO, encryption, tags; subscriptions (raw settings of the topic in the template,
``aws_sns_topic_subscription`` resources imported by their ARN in main.tf)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, pages, tag_map
from gate.spec import SnsTopic
from gate.synth.hcl import Block, Comment, Raw


class _Sns:
    service = "sns"
    import_order = 80  # after the queues its subscriptions deliver to
    cfn_type = "AWS::SNS::Topic"
    tf_type = "aws_sns_topic"
    logical_suffix = "Topic"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        sns = target.client("sns")
        found = []
        for topic in pages(target, sns, "list_topics", "Topics"):
            arn = str(topic["TopicArn"])
            if not wanted(arn.rsplit(":", 1)[-1]):
                continue
            doing = f"reading SNS topic {arn}"
            attrs = call(target, doing, sns.get_topic_attributes, TopicArn=arn)["Attributes"]
            tags = tag_map(call(target, doing, sns.list_tags_for_resource, ResourceArn=arn).get("Tags"))
            subs = list(pages(target, sns, "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn))
            listed = [{"Protocol": s["Protocol"], "Endpoint": s["Endpoint"], "Arn": s["SubscriptionArn"]} for s in subs]
            data = {**attrs, "subscriptions": listed}
            found.append(Live("sns", "sns_topic", arn, arn, arn.rsplit(":", 1)[-1], tags, data))
        return found

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        data = live.data
        props: dict[str, Any] = {"TopicName": live.label}
        if data.get("DisplayName"):
            props["DisplayName"] = data["DisplayName"]
        if data.get("FifoTopic") == "true":
            props["FifoTopic"] = True
        if data.get("KmsMasterKeyId"):
            props["KmsMasterKeyId"] = data["KmsMasterKeyId"]
        if data["subscriptions"]:
            props["Subscription"] = [
                {"Protocol": s["Protocol"], "Endpoint": links.cfn(s["Endpoint"], "Arn")} for s in data["subscriptions"]
            ]
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        expressed = frozenset({"TopicName", "DisplayName", "FifoTopic", "KmsMasterKeyId", "Tags"})
        return Cfn(self.cfn_type, props, {"TopicArn": live.physical_id}, expressed)

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        data = live.data
        notes: dict[str, str] = {}
        if data["subscriptions"]:
            notes["Subscription"] = f"{len(data['subscriptions'])} subscription(s) kept as imported"
        if not data.get("KmsMasterKeyId"):
            notes["KmsMasterKeyId"] = "absent (unencrypted); a change to this entry encrypts it with alias/aws/sns"
        kms = data.get("KmsMasterKeyId")
        try:
            topic = SnsTopic(
                name=name,
                tags=live.tags,
                display_name=data.get("DisplayName") or None,
                fifo=data.get("FifoTopic") == "true",
                kms_key_arn=kms if kms and kms != "alias/aws/sns" else None,
            )
        except ValidationError as exc:
            return SpecResult(None, {"*": f"not expressible in the spec: {exc.errors()[0]['msg']}"})
        return SpecResult(topic, notes)

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        data = live.data
        block = Block("resource", ("aws_sns_topic", tf_name)).attrs(name=live.label)
        block.attrs(
            display_name=data.get("DisplayName") or None,
            fifo_topic=True if data.get("FifoTopic") == "true" else None,
            kms_master_key_id=data.get("KmsMasterKeyId") or None,
        )
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        blocks = [(block, live.physical_id)]
        for n, sub in enumerate(data["subscriptions"], start=1):
            if not str(sub.get("Arn", "")).startswith("arn:"):  # PendingConfirmation: nothing to import yet
                what = f"{sub['Protocol']} subscription to {sub['Endpoint']} is {sub.get('Arn')}"
                block.body.append(Comment(f"{what}: not importable until confirmed, so not in this file"))
                continue
            part = Block("resource", ("aws_sns_topic_subscription", f"{tf_name}_{n}"))
            part.attrs(topic_arn=Raw(f"aws_sns_topic.{tf_name}.arn"), protocol=sub["Protocol"])
            part.attr("endpoint", links.tf(str(sub["Endpoint"]), "arn"))
            blocks.append((part, str(sub["Arn"])))
        return Tf(blocks)


READER = _Sns()
