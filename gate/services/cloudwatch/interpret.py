"""CloudWatch: metric alarms (metric, threshold, duration, target, notification); log groups in :mod:`.logs`."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from gate.errors import GateError
from gate.interpret import extract, words
from gate.interpret.base import Ctx, Resource, reference_name
from gate.services.cloudwatch import alarm_parts
from gate.services.cloudwatch.logs import LogGroupRecogniser as LogGroupRecogniser  # re-exported: the catalogue
from gate.services.cloudwatch.metrics import METRICS, TARGET_NOUNS, Metric
from gate.services.sns.interpret import EMAIL_RE


def _metric(text: str) -> Metric | None:
    """The metric by its CloudWatch name as written ('FreeStorageSpace'), else by the words for it."""
    for metric in METRICS:
        if re.search(rf"(?<![\w/]){metric.metric}(?![\w/])", text):
            return metric
    for metric in METRICS:
        if re.search(rf"\b(?:{metric.pattern})", text, re.I):
            return metric
    return None


def _named_after_metric(text: str, metric: Metric) -> str | None:
    """'FreeStorageSpace on orders-prod-pg', 'Errors of ledger-sync': a name (with a hyphen or digit) right after
    the metric's CloudWatch name is the resource it watches."""
    found = re.search(
        rf"(?<![\w/]){metric.metric}\s+(?:on|of|for|in)\s+(?:the\s+)?[\"'`]?([A-Za-z][\w.-]*[-_\d][\w.-]*\w)", text
    )
    if found is None or re.fullmatch(r"[a-z]{2}(?:-[a-z]+)+-\d[a-z]?", found.group(1)):
        return None  # 'in us-east-1' is a Region
    return found.group(1)


# a plain noun per kind, to read 'its errors' / 'errors of thumbnailer' as the metric of the kind in the request
_KIND_NOUN = {
    "lambda_function": "function",
    "sqs_queue": "queue",
    "dynamodb_table": "table",
    "rds_instance": "database",
    "ec2_instance": "instance",
}


def _metric_of_the_request(text: str, kinds: list[str]) -> tuple[Metric, str] | None:
    """When the clause names no service ('alarm when its errors are above 5'), the one metric that fits it
    for the kinds of resource this request creates; None when none or several fit (never a guess)."""
    found = {
        (metric, kind)
        for kind in kinds
        if kind in _KIND_NOUN
        and (metric := _metric(f"{text} ({_KIND_NOUN[kind]})")) is not None
        and metric.target_kind == kind
    }
    return found.pop() if len(found) == 1 else None


_TIME_UNITS = {"ms": 0.001, "millisecond": 0.001, "s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
               "h": 3600, "hr": 3600, "hour": 3600}  # fmt: skip


def _time_threshold(text: str, value: float, per_second: float) -> float:
    """'older than 10 minutes' on a metric in seconds -> 600; '2 seconds' on one in milliseconds -> 2000."""
    number = f"{value:g}"
    unit = re.search(
        rf"(?<![\d.]){re.escape(number)}\s*(ms|milliseconds?|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\b",
        text,
        re.I,
    )
    if unit is None:
        return value
    return value * _TIME_UNITS[extract.unit_of(unit.group(1)) if unit.group(1).lower() != "ms" else "ms"] * per_second


class AlarmRecogniser:
    kind = "cloudwatch_alarm"
    default_name = "alarm"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        metric = alarm_parts.custom_metric(text) or _metric(text)
        if metric is None and (fits := _metric_of_the_request(text, [k for k, v in ctx.names.items() if v])):
            metric, kind = fits
            why = f"the alarm names no service; the request's {kind.replace('_', ' ')} is the one it fits"
            ctx.assume(name, "metric", f"{metric.namespace} {metric.metric}", why)
        if metric is None:
            raise GateError(
                f"the gate could not tell which metric the alarm in {text[:100]!r} watches",
                fix="name the metric and the limit, e.g. 'alarm when CPU of the web servers is above 80 percent for "
                "10 minutes' or 'alert when the queue jobs has more than 100 messages'",
            )
        out: dict[str, Any] = {"kind": self.kind, "name": name, "metric": metric.metric, "statistic": metric.statistic}
        namespace = metric.namespace
        target_kind = metric.target_kind
        on_db = re.search(rf"\b(?:{TARGET_NOUNS['rds_instance']})\b", text, re.I) or (
            ctx.names.get("rds_instance") and not ctx.names.get("ec2_instance")
        )
        if metric.metric == "CPUUtilization" and on_db:  # a database's CPU: RDS names it by its identifier
            namespace, target_kind = "AWS/RDS", "rds_instance"
            metric = replace(metric, dimension="DBInstanceIdentifier")
        out["namespace"] = namespace
        found = words.threshold(text)
        if found is None:
            out["comparison"] = "LessThanThreshold" if metric.lower_is_bad else "GreaterThanThreshold"
            out["threshold"] = metric.default * (1024**3 if metric.unit_bytes and metric.default < 1e6 else 1)
            if metric.unit_bytes:
                out["threshold"] = metric.default * (1024**3 if metric.metric == "FreeStorageSpace" else 1024**2)
            ctx.assume(name, "threshold", out["threshold"], "the request gives no limit for the alarm")
        else:
            out["comparison"], value = found.operator, found.value
            if metric.unit_bytes:
                size = extract.size_near(text, r"free|storage|memory|space") or value
                value = size * 1024**3
            if metric.per_second:
                value = _time_threshold(text, value, metric.per_second)
            out["threshold"] = value
        seconds = found.seconds if found and found.seconds else extract.duration_near(text, r"for|over|during")
        if seconds:
            period = 300 if seconds >= 300 and seconds % 300 == 0 else 60
            out["period_s"] = max(60, period)
            out["evaluation_periods"] = max(1, min(100, seconds // out["period_s"]))
        if consecutive := words.consecutive_periods(text):  # '3 consecutive 5-minute periods'
            out["evaluation_periods"] = max(1, min(100, consecutive[0]))
            out["period_s"] = consecutive[1] or out.get("period_s", 300)
        alarm_parts.timing(text, out)
        if metric.target_kind is None and metric.dimension is None and metric.namespace != "AWS/Billing":
            self._custom(ctx, name, out, metric)
        self._watch(ctx, name, out, metric, target_kind)
        if metric.dimension == "LoadBalancer":
            lb = re.search(r"\b(app/[\w-]+/[0-9a-f]+)\b", text)
            if lb:
                out["dimensions"] = {"LoadBalancer": lb.group(1)}
            else:
                ctx.assume(
                    name,
                    "dimensions",
                    "none",
                    "the load balancer is not in this change: add its "
                    "'app/NAME/ID' as the LoadBalancer dimension, or the alarm sees the account-wide metric",
                )
        if metric.namespace == "AWS/Billing":
            out["dimensions"] = {"Currency": "USD"}
        topic = ctx.ref_to("sns_topic", ctx.request)
        emails = EMAIL_RE.findall(text)
        if topic:
            out["alarm_topic_ref"] = topic
        elif emails or re.search(r"\b(?:notify|email|page|alert)\b", text, re.I):
            if emails:
                topic = ctx.claim(f"{name}-topic")
                ctx.extra.append(
                    {
                        "kind": "sns_topic",
                        "name": topic,
                        "subscriptions": [{"protocol": "email", "endpoint": e} for e in emails],
                    }
                )
                ctx.names.setdefault("sns_topic", []).append(topic)
                out["alarm_topic_ref"] = topic
            elif not re.search(r"\barn:aws[a-z-]*:sns:", text):  # an existing topic by ARN: gate.interpret.existing
                ctx.assume(name, "alarm_topic_ref", "none", "the request says whom to notify but gives no address")
        if "treat_missing_data" not in out and re.search(r"\bmissing\s+data\b[^.]*\b(?:breach|alarm)", text, re.I):
            out["treat_missing_data"] = "breaching"
        return out

    def _custom(self, ctx: Ctx, name: str, out: dict[str, Any], metric: Metric) -> None:
        """A custom metric: the metric filter that publishes it when the request asks for one; a count alarms on
        its Sum and, with no events, sees zero (the filter's default value), not missing data."""
        made = alarm_parts.metric_filter(ctx.text, ctx.claim(f"{metric.metric.lower()}-filter"), metric, ctx.request)
        if made is None:
            return
        ctx.extra.append(made)
        ctx.names.setdefault("log_metric_filter", []).append(str(made["name"]))
        ctx.assume(str(made["name"]), "log_group_name", str(made["log_group_name"]),
                   "an existing log group: the filter is added to it, the group itself is not changed")  # fmt: skip

    def _watch(self, ctx: Ctx, name: str, out: dict[str, Any], metric: Metric, kind: str | None) -> None:
        """The resource the alarm watches: one in this spec (target_ref), or one the request names that exists
        (its name as the metric's dimension, exactly as written), else the only one of its kind in the spec."""
        if kind is None:
            return
        unnamed = re.sub(rf"\s*(?<![\w/]){metric.metric}(?![\w/])", "", ctx.text)  # 'Lambda Errors' names no function
        given = reference_name(unnamed, TARGET_NOUNS[kind]) or _named_after_metric(ctx.text, metric)
        names = ctx.names.get(kind, [])
        if given and extract.kebab(given) in names:
            out["target_ref"] = extract.kebab(given)
            return
        named = given and (
            re.search(r"[-_.\d]", given)
            or re.search(
                rf"(?:named|called)\s+[\"'`]?{re.escape(given)}|[\"'`]{re.escape(given)}[\"'`]|"
                rf"\bexisting\s+(?:[\w-]+\s+){{0,2}}{re.escape(given)}\b",
                ctx.text,
                re.I,
            )
        )
        if given and named and metric.dimension:
            noun = kind.replace("_", " ")
            if metric.dimension == "InstanceId" and not re.fullmatch(r"i-[0-9a-f]{8,17}", given):
                why = f"{given!r} is not in this change and CloudWatch names instances by id: write its id (i-...)"
                ctx.assume(name, "not-applied", f"watch the {noun} {given}", why)
                return
            out["dimensions"] = {metric.dimension: given}
            ctx.assume(name, "dimensions", f"{metric.dimension}={given}",
                       f"the {noun} {given} is not in this change: the alarm watches it by that name")  # fmt: skip
            return
        target = self._target(ctx, kind)
        if target:
            out["target_ref"] = target

    def _target(self, ctx: Ctx, kind: str | None) -> str | None:
        if kind is None:
            return None
        names = ctx.names.get(kind, [])
        if not names:
            return None
        for name in names:
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", ctx.text):
                return name
        if len(names) > 1:
            ctx.assume(ctx.segment_name or "alarm", "target_ref", names[0], f"the request has several {kind}s")
        return names[0]


class MetricFilterRecogniser:
    """A metric filter asked for on its own: 'a metric filter on /ecs/app counting lines containing ERROR into a
    metric AppErrors (namespace Acme/App)'.  With an alarm it is made by the alarm's recogniser."""

    kind = "log_metric_filter"
    default_name = "metric-filter"

    def build(self, ctx: Ctx, name: str) -> Resource:
        metric = alarm_parts.custom_metric(ctx.text)
        made = alarm_parts.metric_filter(ctx.text, name, metric) if metric else None
        if made is None:
            raise GateError(
                f"the metric filter in {ctx.text[:100]!r} needs its log group, what to count and the metric",
                fix="say e.g. 'a metric filter on /ecs/checkout counting lines containing ERROR into a metric "
                "CheckoutErrors (namespace Acme/Checkout)'",
            )
        return made
