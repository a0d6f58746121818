"""CloudWatch metric alarms (one per target instance, actions to an SNS topic) and log groups with retention.

Physical names are the same in both formats: alarms are named after the spec (``<name>-<n>`` when there is
one per target instance), log groups ``log_group_name`` when the request gives one, else the spec name.
"""

from __future__ import annotations

from typing import Any

from gate.spec import CloudwatchAlarm, LogGroup
from gate.synth.common import cfn_tags, checkov_skips, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, Value, ref, tf_name


def _alarm_name(res: CloudwatchAlarm, index: int, count: int) -> str:
    return f"{res.name}-{index + 1}" if count > 1 else res.name


def _dimension_sets(res: CloudwatchAlarm, ctx: SynthContext, tf: bool) -> list[dict[str, Any]]:
    """One dimension set per alarm: the target's (one per instance of it), merged with explicit ones."""
    if res.target_ref is None:
        return [dict(res.dimensions)]
    sets = (ctx.tf if tf else ctx.cfn)(res.target_ref, None, res.name, "alarm_dimensions")
    assert isinstance(sets, list)
    return [{**dims, **res.dimensions} for dims in sets]


class CloudwatchAlarmSynth:
    kind = "cloudwatch_alarm"

    def refs(self, res: CloudwatchAlarm, ctx: SynthContext) -> Refs:
        aid, tid = logical_id(res.name, "Alarm"), tf_name(res.name)
        return Refs(
            cfn={"id": {"Ref": aid}, "arn": {"Fn::GetAtt": [aid, "Arn"]}},
            tf={
                "id": ref("aws_cloudwatch_metric_alarm", tid, "id"),
                "arn": ref("aws_cloudwatch_metric_alarm", tid, "arn"),
            },
        )

    def cloudformation(self, res: CloudwatchAlarm, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        aid = logical_id(res.name, "Alarm")
        actions = [ctx.cfn(res.alarm_topic_ref, "sns_topic", res.name, "arn")] if res.alarm_topic_ref else []
        actions.extend(res.alarm_topic_arns)
        sets = _dimension_sets(res, ctx, tf=False)
        out: dict[str, dict[str, Any]] = {}
        for i, dims in enumerate(sets):
            props: dict[str, Any] = {
                "AlarmName": _alarm_name(res, i, len(sets)),
                "AlarmDescription": f"devops-gate: {res.name}",
                "Namespace": res.namespace,
                "MetricName": res.metric,
                "Statistic": res.statistic,
                "ComparisonOperator": res.comparison,
                "Threshold": res.threshold,
                "Period": res.period_s,
                "EvaluationPeriods": res.evaluation_periods,
                "TreatMissingData": res.treat_missing_data,
                "Dimensions": [{"Name": k, "Value": v} for k, v in dims.items()],
            }
            if res.datapoints_to_alarm is not None:
                props["DatapointsToAlarm"] = res.datapoints_to_alarm
            if actions:
                props.update(AlarmActions=actions, OKActions=actions)
            out[f"{aid}{i + 1 if len(sets) > 1 else ''}"] = {"Type": "AWS::CloudWatch::Alarm", "Properties": props}
        return out

    def terraform(self, res: CloudwatchAlarm, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        actions: list[Value] = (
            [ctx.tf(res.alarm_topic_ref, "sns_topic", res.name, "arn")] if res.alarm_topic_ref else []
        )
        actions.extend(res.alarm_topic_arns)
        sets = _dimension_sets(res, ctx, tf=True)
        out: list[Block] = []
        for i, dims in enumerate(sets):
            block = Block("resource", ("aws_cloudwatch_metric_alarm", f"{tid}_{i + 1}" if len(sets) > 1 else tid))
            block.attrs(
                alarm_name=_alarm_name(res, i, len(sets)),
                alarm_description=f"devops-gate: {res.name}",
                namespace=res.namespace,
                metric_name=res.metric,
                statistic=res.statistic,
                comparison_operator=res.comparison,
                threshold=res.threshold,
                period=res.period_s,
                evaluation_periods=res.evaluation_periods,
                datapoints_to_alarm=res.datapoints_to_alarm,
                treat_missing_data=res.treat_missing_data,
            )
            if dims:
                block.attr("dimensions", dims)
            if actions:
                block.attrs(alarm_actions=actions, ok_actions=actions)
            block.attr("tags", tf_tags(res))
            out.append(block)
        return out


class LogGroupSynth:
    kind = "log_group"

    def refs(self, res: LogGroup, ctx: SynthContext) -> Refs:
        gid, tid = logical_id(res.name, "LogGroup"), tf_name(res.name)
        arn = {"Fn::GetAtt": [gid, "Arn"]}
        return Refs(
            cfn={"id": {"Ref": gid}, "arn": arn, "policy_arns": [arn]},
            tf={
                "id": ref("aws_cloudwatch_log_group", tid, "name"),
                "arn": ref("aws_cloudwatch_log_group", tid, "arn"),
                "policy_arns": [ref("aws_cloudwatch_log_group", tid, "arn")],
            },
        )

    def cloudformation(self, res: LogGroup, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        props: dict[str, Any] = {"LogGroupName": log_group_name(res), "RetentionInDays": res.retention_days}
        if res.kms_key_arn:
            props["KmsKeyId"] = res.kms_key_arn
        props["Tags"] = cfn_tags(res)
        body: dict[str, Any] = {
            "Type": "AWS::Logs::LogGroup",
            "DeletionPolicy": "Retain",
            "UpdateReplacePolicy": "Retain",
            "Properties": props,
        }
        if not res.kms_key_arn:
            body["Metadata"] = checkov_skips("CKV_AWS_158")
        return {logical_id(res.name, "LogGroup"): body}

    def terraform(self, res: LogGroup, ctx: SynthContext) -> list[Block]:
        block = Block("resource", ("aws_cloudwatch_log_group", tf_name(res.name)))
        if not res.kms_key_arn:
            block.body.extend(tf_skips("CKV_AWS_158"))
        block.attrs(
            name=log_group_name(res),
            retention_in_days=res.retention_days,
            kms_key_id=res.kms_key_arn,
            tags=tf_tags(res),
        )
        return [block]


def log_group_name(res: LogGroup) -> str:
    return res.log_group_name or res.name
