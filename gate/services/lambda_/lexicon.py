"""AWS Lambda's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import ACCESS, Entry, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "lambda_function": r"(?:aws\s+)?lambda(?:\s+functions?|s)?|(?:serverless\s+)?functions?",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "lambda_function": (
        _e(
            r"python(?:\s*\d+(?:\.\d+)?)?|node(?:js|\.js)?|java|ruby|dotnet|\.net|go|golang|rust|typescript|"
            r"javascript|runtime",
            "runtime",
        ),
        _e(r"memory|ram", "memory_mb"),
        _e(r"time-?out|seconds?|minutes?", "timeout_s"),
        _e(r"arm64|arm|graviton|x86(?:_64)?", "architecture"),
        _e(r"(?:existing\s+)?subnets?|vpc|runs?\s+in|running\s+in|placed\s+in|inside|within", "subnet_ids"),
        _e(r"(?:existing\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
        _e(r"handler", "handler"),
        _e(r"environment(?:\s+variables?)?|env\s+vars?", "environment"),
        _e(r"log\s+retention|logs?|retention|retained|kept", "log_retention_days"),
        _e(
            r"trigger(?:s|ed)?|invoked|fires?|runs?|schedule[ds]?|every|daily|nightly|hourly|weekly|monthly|cron|"
            r"rate|uploads?|uploaded|new\s+objects?|objects?|files?|images?|photos?|pictures?|videos?|processed|"
            r"(?:max(?:imum)?\s+)?batch(?:es|ing)?(?:\s+(?:size|window))?|lands?|arriv(?:e|es|ing)|created|messages?|"
            r"consum(?:e|es|ing)|process(?:es|ing)?|polls?|night|morning|day|days|hour|week|month|weekdays?|mondays?|tuesdays?|wednesdays?|"
            r"thursdays?|fridays?|saturdays?|sundays?|midnight|noon",
            "triggers",
        ),
        _e(
            ACCESS + r"|execution\s+role|execution|role|processed|processes|subscribed|consumes|failed|failures?",
            "permissions",
        ),
        _e(r"code|zip|inline|jar|package", "code"),
        _e(r"(?:existing\s+)?(?:execution\s+)?role|don'?t\s+create\s+(?:a\s+)?(?:new\s+)?role|runs?\s+as", "role_arn"),
        _e(
            r"dead[- ]letter(?:\s+queue)?|dlq|fail(?:ed|ures?)|async(?:hronous)?|invocations?|land|lands|should",
            "dead_letter_arn",
        ),
        _e(r"cap(?:ped)?|reserved(?:\s+concurren\w+)?|concurren\w+|executions?", "reserved_concurrency"),
        _e(
            r"function\s+url|url|auth(?:entication)?(?:\s+type)?|aws_iam|iam(?:[- ]auth\w*)?|public|open|signed|"
            r"callers?|"
            r"endpoint",
            "url",
        ),
        _e(
            r"publish(?:es|ed)?|versions?|alias|point(?:s|ed)?|provisioned(?:\s+concurren\w+)?|concurren\w+|"
            r"executions?|warm|cold(?:\s+starts?)?|starts?",
            "alias",
        ),
        _e(
            r"streams?|starting(?:\s+position)?|position|latest|trim[_ ]horizon|bisect(?:s|ing)?|errors?|batch(?:es)?|"
            r"consumed|"
            r"(?:batch\s+)?size|retr(?:y|ies)|records?|table'?s?",
            "triggers",
        ),
        _e(r"eventbridge|rules?|cron(?:\s+job)?|jobs?|utc|\d{1,2}:\d{2}", "triggers"),
    ),
}

# settings the gate builds on every resource of a kind (gate/interpret/lexicon.py ALWAYS)
ALWAYS: dict[str, str] = {
    "lambda_function": r"(?:active\s+)?(?:x-?ray\s+)?tracing|x-?ray|active",
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "lambda_function": ("function", "lambda"),
}

# its CloudWatch metrics as CloudWatch names them: after its noun ('Lambda Errors for the function x') they name a
# metric of it, not a function to create (gate/interpret/mentions.py)
METRIC_NAMES = ("Errors", "Throttles", "Invocations", "Duration", "ConcurrentExecutions", "IteratorAge")

LEXICON = Lexicon(nouns=NOUNS, words=WORDS, always=ALWAYS, removal=REMOVAL, metric_names=METRIC_NAMES)
