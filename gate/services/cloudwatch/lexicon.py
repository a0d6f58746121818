"""Amazon CloudWatch's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import Entry, Grantable, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "cloudwatch_alarm": r"(?:cloudwatch\s+)?alarms?|alerts?|alarm(?=\s+(?:when|if|on))|(?:alert|page|notify)(?=\s+"
    r"(?:me|us|the\s+[\w-]+|on-?call|ops|arn:aws[a-z-]*:sns:\S+)\s+(?:when|if))",
    "log_group": r"(?:cloudwatch\s+)?log\s+groups?|(?:cloudwatch\s+)logs",
    "log_metric_filter": r"(?:(?:cloudwatch\s+)?logs?\s+)?metric\s+filters?",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "cloudwatch_alarm": (
        _e(
            r"cpu|memory|errors?|throttl\w*|duration|latency|invocations?|messages?|depth|age|backlog|connections?|"
            r"storage|free|utili[sz]ation|metric|5xx|4xx|disk|credits?|visible|oldest|older|age|waiting|queued|"
            r"failures?|failed|fails?|count|space|used|usage|load",
            "metric",
        ),
        _e(
            r"above|over|exceeds?|exceeding|more|greater|higher|below|under|less|lower|fewer|reaches|hits|drops|"
            r"falls|rises|goes|gets|grows|stays|remains|%|percent|per\s+cent|pct|threshold|at\s+least|at\s+most",
            "threshold",
        ),
        _e(r"for|during|periods?|minutes?|seconds?|hours?|consecutive", "evaluation_periods"),
        _e(r"average|avg|maximum|max|minimum|min|sum|total|p\d\d", "statistic"),
        _e(r"notif(?:y|ies)|alerts?|page[sd]?|email(?:s|ed)?|tells?|warns?|topic", "alarm_topic_ref"),
        _e(
            r"notif(?:y|ies|ying|ications?)|alert(?:s|ing)?|page[sd]?|tells?|warns?|sends?|(?:existing\s+)?topic",
            "alarm_topic_arns",
        ),
        _e(r"notif(?:y|ies|ying|ications?)|sends?", "alarm_topic_ref"),
        _e(
            r"alb|elb|nlb|(?:application\s+)?load\s+balancer|target\s+group|dlq|(?:dead[- ]letter\s+)?queue|"
            r"(?:dynamodb\s+)?table|function|lambda",
            "dimensions",
        ),
        _e(r"consecutive|(?:evaluation\s+)?periods?|evaluat(?:ed|ion)", "evaluation_periods"),
        _e(r"when|whenever|if|once|as\s+soon\s+as|soon(?:\s+as)?", "comparison"),
        _e(r"(?:data\s*points?|datapoints?|out(?:\s+of)?)", "datapoints_to_alarm"),
        _e(r"(?:treat(?:ing)?\s+)?missing\s+data(?:\s+as)?|(?:not|non)[- ]?breaching|breaching", "treat_missing_data"),
        _e(r"(?:custom\s+)?metric|namespace", "namespace"),
        _e(r"periods?|within|every|per", "period_s"),
    ),
    "log_metric_filter": (
        _e(
            r"(?:metric\s+)?filters?|count(?:s|ing)?|lines|events|entries|containing|contains|matching|"
            r"(?:log\s+)?group|logs?",
            "filter_pattern",
        ),
        _e(r"(?:custom\s+)?metric|namespace", "metric_name"),
    ),
    "log_group": (
        _e(r"retention|retain(?:ed)?|kept|keep(?:s|ing)?(?:\s+(?:logs?|them|it|events))?|for|days?", "retention_days"),
        _e(r"kms|encrypt(?:ed|ion)?", "kms_key_arn"),
        _e(r"deliver(?:ed|s|ing)?(?:\s+to)?|sent\s+to|stream(?:ed)?\s+to", "name"),
    ),
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "cloudwatch_alarm": ("alarm",),
    "log_group": ("log group", "logs"),
}

# IAM prefix -> the nouns an access phrase names one by (gate/interpret/access.py)
GRANT_NOUNS: dict[str, str] = {
    "logs": r"log\s+groups?|cloudwatch\s+logs|logs",
}

# IAM prefix -> verb class -> actions (named one by one: no wildcards)
ACTIONS: dict[str, dict[str, list[str]]] = {
    "logs": {
        "write": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "read": ["logs:GetLogEvents", "logs:FilterLogEvents"],
        "delete": ["logs:DeleteLogStream"],
    },
}

# what the request reader must not read as a resource (gate/interpret/mentions.py): 'ALARM and OK notifications'
# are alarm states, not a second alarm
SETTINGS = (r"(?:alarm|ok)\s+(?:and|or|/|&)\s+(?:ok|alarm)(?:\s+(?:notifications?|actions?|states?))?",)

LEXICON = Lexicon(
    nouns=NOUNS,
    words=WORDS,
    removal=REMOVAL,
    settings=SETTINGS,
    grants=(
        Grantable(
            "logs",
            "log_group",
            GRANT_NOUNS["logs"],
            ACTIONS["logs"],
            "arn:aws:logs:REGION:ACCOUNT:log-group:NAME",
            None,
        ),
    ),
)
