"""CloudWatch Logs log groups: name, retention, KMS key, tags (``devops-gate import --types logs``).

Alarms are not read yet (a known gap: docs/import.md); a log group is the part of CloudWatch other resources point
at (a function's, a VPC's flow logs), so it comes first.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, pages
from gate.spec import LogGroup
from gate.synth.hcl import Block


class _LogGroups:
    service = "logs"
    import_order = 60  # log groups refer to nothing read before them
    cfn_type = "AWS::Logs::LogGroup"
    tf_type = "aws_cloudwatch_log_group"
    logical_suffix = "LogGroup"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        logs = target.client("logs")
        found = []
        for group in pages(target, logs, "describe_log_groups", "logGroups"):
            name = str(group["logGroupName"])
            if not wanted(name):
                continue
            arn = str(group.get("logGroupArn") or str(group.get("arn", "")).removesuffix(":*"))
            doing = f"reading the tags of log group {name}"
            tags = call(target, doing, logs.list_tags_log_group, logGroupName=name).get("tags") or {}
            found.append(Live("logs", "log_group", name, arn or None, name, dict(tags), dict(group)))
        return found

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        data = live.data
        props: dict[str, Any] = {"LogGroupName": live.label}
        if data.get("retentionInDays") is not None:
            props["RetentionInDays"] = int(data["retentionInDays"])
        if data.get("kmsKeyId"):
            props["KmsKeyId"] = links.cfn(str(data["kmsKeyId"]), "Arn")
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        expressed = {"LogGroupName", "RetentionInDays", "KmsKeyId", "Tags"}
        return Cfn(self.cfn_type, props, {"LogGroupName": live.label}, frozenset(expressed))

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        data = live.data
        if data.get("retentionInDays") is None:
            return SpecResult(None, {"RetentionInDays": "never expires; the spec keeps logs for a set number of days"})
        try:
            group = LogGroup(
                name=name,
                tags=live.tags,
                log_group_name=live.label,
                retention_days=int(data["retentionInDays"]),  # validated by the model
                kms_key_arn=data.get("kmsKeyId") or None,
            )
        except ValidationError as exc:
            return SpecResult(None, {"*": f"not expressible in the spec: {exc.errors()[0]['msg']}"})
        return SpecResult(group, {})

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        data = live.data
        block = Block("resource", (self.tf_type, tf_name)).attrs(name=live.label)
        if data.get("retentionInDays") is not None:
            block.attr("retention_in_days", int(data["retentionInDays"]))
        if data.get("kmsKeyId"):
            block.attr("kms_key_id", links.tf(str(data["kmsKeyId"]), "arn"))
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        return Tf([(block, live.label)])


READER = _LogGroups()
