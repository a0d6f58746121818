"""What an alarm request states in CloudWatch's own terms, read wherever it stands: a custom metric and its
namespace ('a metric CheckoutErrors (namespace Acme/Checkout)'), the metric filter that makes it from a log group
('count lines containing ERROR into a metric ...'), the statistic ('Sum >= 1'), the period ('over a 1 minute
period', 'within 1 minute'), the evaluation periods ('1 evaluation period'), 'M out of N datapoints', and how
missing data is treated ('treat missing data as not breaching')."""

from __future__ import annotations

import re
from typing import Any

from gate.services.cloudwatch.metrics import Metric

_NAME = r"[`'\"]?([A-Za-z][A-Za-z0-9._#:-]*[A-Za-z0-9])[`'\"]?"
_NAMESPACE = r"[`'\"]?([A-Za-z][A-Za-z0-9._#:-]*/[A-Za-z0-9/._#:-]*[A-Za-z0-9])[`'\"]?"
# 'a metric CheckoutErrors (namespace Acme/Checkout)', 'custom metric Foo in namespace Acme/App', 'metric Acme/App Foo'
_CUSTOM = re.compile(
    rf"\b(?:custom\s+)?metric\s+(?:named\s+|called\s+)?{_NAME}\s*(?:\(\s*|,\s*|\s+in\s+(?:the\s+)?|\s+under\s+)?"
    rf"namespace\s+{_NAMESPACE}|\bnamespace\s+{_NAMESPACE}[,\s]+(?:custom\s+)?metric\s+{_NAME}",
    re.I,
)
# 'count lines containing ERROR into a metric', 'count log events matching "timeout" as a metric'
_FILTER = re.compile(
    r"\b(?:count|counts|counting|turn|track)\s+(?:the\s+)?(?:log\s+)?(?:lines|events|entries|messages|occurrences)\s+"
    r"(?:that\s+)?(?:contain(?:s|ing)?|match(?:es|ing)?|with)\s+(?:the\s+)?(?:word\s+|text\s+|pattern\s+)?"
    r"([`'\"][^`'\"]{1,200}[`'\"]|\S+)(?:\s+(?:in|of|from|on)\s+[^.;]{1,80}?)?\s+(?:into|as|in)\s+(?:a\s+|the\s+)?"
    r"(?:custom\s+)?metric\b",
    re.I,
)
_LOG_GROUP = re.compile(r"(?<![\w/])(/[A-Za-z0-9_.#-]+(?:/[A-Za-z0-9_.#-]+)*)(?![\w/])")
_STATISTIC = re.compile(r"(?<![\w/])(Sum|Average|Maximum|Minimum|SampleCount)(?![\w/])")
_OUT_OF = re.compile(
    r"\b(\d+)\s+(?:out\s+)?of\s+(?:the\s+)?(?:last\s+)?(\d+)\s+(?:data\s*points?|datapoints?|periods?|evaluations?)",
    re.I,
)
_EVALUATIONS = re.compile(r"\b(\d+)\s+evaluation\s+periods?\b", re.I)
_PERIOD = re.compile(
    r"\b(?:over\s+|with\s+|per\s+)?(?:an?\s+)?(\d+)[- ]?(seconds?|secs?|minutes?|mins?|hours?)[- ]period\b|"
    r"\bperiods?\s+(?:of\s+)?(\d+)\s*(seconds?|secs?|minutes?|mins?|hours?)\b|"
    r"\b(?:within|per|every)\s+(?:a\s+|an\s+)?(\d+)?\s*(seconds?|secs?|minutes?|mins?|hours?)\b",
    re.I,
)
_UNIT = {"s": 1, "m": 60, "h": 3600}
_MISSING = re.compile(
    r"\bmissing\s+data\b[^.]*?\b(not\s+breaching|non[- ]breaching|notbreaching|breaching|ignore[d]?|missing)\b", re.I
)


def custom_metric(text: str) -> Metric | None:
    """A metric named with its namespace, as CloudWatch writes it: not in the gate's table, watched as given."""
    found = _CUSTOM.search(text)
    if found is None:
        return None
    metric, namespace = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
    counted = _FILTER.search(text) is not None
    return Metric(re.escape(metric), namespace, metric, "Sum" if counted else "Average", None, None, 0)


def metric_filter(text: str, name: str, metric: Metric, request: str = "") -> dict[str, Any] | None:
    """The metric filter a request asks for on a log group (by its path), as a spec resource; None when none."""
    found = _FILTER.search(text)
    group = _LOG_GROUP.search(text)
    if found is None or group is None:
        return None
    term = found.group(1)
    if term.strip("`'\"") == "NAMEREF" and request:  # the quoted term was taken as the alarm's name
        found = _FILTER.search(request) or found
        term = found.group(1)
    quoted = term[:1] in "`'\"" and term[-1:] == term[:1]
    pattern = term[1:-1] if quoted else term
    return {
        "kind": "log_metric_filter",
        "name": name,
        "log_group_name": group.group(1),
        "filter_pattern": f'"{pattern}"' if re.search(r"\s", pattern) else pattern,
        "metric_name": metric.metric,
        "metric_namespace": metric.namespace,
    }


def _seconds(number: str | None, unit: str) -> int:
    return int(number or 1) * _UNIT[unit[0].lower()]


def timing(text: str, out: dict[str, Any]) -> None:
    """Statistic, period, evaluation periods, datapoints to alarm and missing data, when the text states them."""
    if statistic := _STATISTIC.search(text):
        out["statistic"] = statistic.group(1)
    if period := _PERIOD.search(text):
        groups = period.groups()
        at = next(i for i in (0, 2, 4) if groups[i + 1])
        seconds = _seconds(groups[at], groups[at + 1])
        explicit = at < 4  # 'a 1 minute period' beats a duration read elsewhere; 'every minute' does not
        if (seconds in (10, 30) or seconds % 60 == 0) and (explicit or "period_s" not in out):
            out["period_s"] = seconds
            out.setdefault("evaluation_periods", 1)
    if evaluations := _EVALUATIONS.search(text):
        out["evaluation_periods"] = max(1, min(100, int(evaluations.group(1))))
    if out_of := _OUT_OF.search(text):
        breaching, periods = int(out_of.group(1)), int(out_of.group(2))
        if 1 <= breaching <= periods <= 100:
            out["evaluation_periods"], out["datapoints_to_alarm"] = periods, breaching
    if missing := _MISSING.search(text):
        word = missing.group(1).lower()
        out["treat_missing_data"] = (
            "notBreaching" if re.match(r"not|non", word) else "ignore" if word.startswith("ignore") else word
        )
