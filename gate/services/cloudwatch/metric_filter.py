"""CloudWatch Logs metric filters: the log events of a group that match a pattern become a custom metric, which an
alarm of the spec then watches ('count lines containing ERROR into a metric CheckoutErrors, alarm above 10').

The filter is named after the spec (``FilterName`` / ``name``); it sits on an existing log group (by name) or on one
of the spec (``log_group_ref``).  A metric filter costs nothing; the custom metric it publishes is priced by
CloudWatch as a metric, which the gate does not estimate (see docs/cost.md).
"""

from __future__ import annotations

from typing import Any

from gate.spec import LogMetricFilter
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, ref, tf_name


def _transformation(res: LogMetricFilter) -> dict[str, Any]:
    out: dict[str, Any] = {
        "MetricName": res.metric_name,
        "MetricNamespace": res.metric_namespace,
        "MetricValue": res.metric_value,
    }
    if res.default_value is not None:
        out["DefaultValue"] = res.default_value
    return out


class LogMetricFilterSynth:
    kind = "log_metric_filter"

    def refs(self, res: LogMetricFilter, ctx: SynthContext) -> Refs:
        fid, tid = logical_id(res.name, "MetricFilter"), tf_name(res.name)
        return Refs(cfn={"id": {"Ref": fid}}, tf={"id": ref("aws_cloudwatch_log_metric_filter", tid, "id")})

    def cloudformation(self, res: LogMetricFilter, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        group = ctx.cfn(res.log_group_ref, "log_group", res.name, "id") if res.log_group_ref else res.log_group_name
        props = {
            "FilterName": res.name,
            "LogGroupName": group,
            "FilterPattern": res.filter_pattern,
            "MetricTransformations": [_transformation(res)],
        }
        return {logical_id(res.name, "MetricFilter"): {"Type": "AWS::Logs::MetricFilter", "Properties": props}}

    def terraform(self, res: LogMetricFilter, ctx: SynthContext) -> list[Block]:
        group = ctx.tf(res.log_group_ref, "log_group", res.name, "id") if res.log_group_ref else res.log_group_name
        block = Block("resource", ("aws_cloudwatch_log_metric_filter", tf_name(res.name))).attrs(
            name=res.name, log_group_name=group, pattern=res.filter_pattern
        )
        block.block("metric_transformation").attrs(
            name=res.metric_name,
            namespace=res.metric_namespace,
            value=res.metric_value,
            default_value=None if res.default_value is None else f"{res.default_value:g}",
        )
        return [block]
