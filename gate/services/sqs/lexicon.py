"""Amazon SQS's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import Entry, Grantable, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "sqs_queue": r"(?:sqs\s+)?(?:fifo\s+)?queues?|sqs",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "sqs_queue": (
        _e(r"fifo|ordered|in\s+order|exactly[- ]once", "fifo", positive=True),
        _e(r"standard", "fifo", positive=False),
        _e(r"dedup\w*|content[- ]based", "content_based_deduplication"),
        _e(
            r"dead[- ]letter(?:\s+queues?)?|dlq|redrive|(?:failed\s+)?receives?|tries|attempts|retries|retried|"
            r"retry(?:\s+(?:each\s+message|messages?))?|mov(?:e|es|ed|ing)|(?:messages\s+)?go(?:es)?(?:\s+to)?|"
            r"max\s*receive(?:\s*count)?|times|park(?:ed|s)?|failed(?:\s+messages?)?|failures?",
            "dead_letter",
        ),
        _e(r"delay(?:ed)?|deliver(?:y)?\s+delay", "delay_s"),
        _e(
            r"retention|retain(?:ed)?(?:\s+messages)?|kept|keep(?:s|ing)?(?:\s+(?:messages|msgs|them|it))?|msgs|"
            r"(?:messages\s+)?(?:shouldn'?t\s+|should\s+not\s+|must\s+not\s+)?live(?:\s+longer)?|longer",
            "retention_s",
        ),
        _e(r"visibility(?:\s+time-?out)?|time-?out", "visibility_timeout_s"),
        _e(r"encrypt(?:ed|ion)?|kms|sse|(?:our\s+|own\s+)?key", "kms_key_arn"),
        _e(
            r"long[- ]poll(?:ing|ed)?|receive\s+(?:message\s+)?wait(?:\s+time)?|wait(?:\s+time)?|polls?",
            "receive_wait_s",
        ),
        _e(
            r"max(?:imum)?\s+(?:message\s+)?size|(?:message\s+)?size|bytes?|kib|kb|messages?(?:\s+up\s+to)?",
            "max_message_size",
        ),
        _e(r"(?:kms\s+)?data[- ]key\s+reuse(?:\s+period)?|key\s+reuse|reuse", "kms_data_key_reuse_s"),
        _e(r"sse[- ]sqs|sqs[- ]managed(?:\s+(?:keys?|sse|encryption))?|sqs[- ]owned(?:\s+keys?)?", "encryption"),
        _e(
            r"(?:queue\s+)?polic(?:y|ies)(?:\s+letting)?|letting|lets?|sqs:sendmessage|subscriptions?|subscrib\w*|"
            r"receiv\w*|(?:existing\s+)?topics?",
            "topic_arns",
        ),
    ),
}

# settings the gate builds on every resource of a kind (gate/interpret/lexicon.py ALWAYS)
ALWAYS: dict[str, str] = {
    "sqs_queue": r"encrypted|sse",
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "sqs_queue": ("queue", "sqs"),
}

# IAM prefix -> the nouns an access phrase names one by (gate/interpret/access.py)
GRANT_NOUNS: dict[str, str] = {
    "sqs": r"sqs\s+queues?|queues?|sqs",
}

# IAM prefix -> verb class -> actions (named one by one: no wildcards)
ACTIONS: dict[str, dict[str, list[str]]] = {
    "sqs": {
        "read": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        "write": ["sqs:SendMessage"],
        "delete": ["sqs:DeleteMessage"],
    },
}

# its CloudWatch metrics as CloudWatch names them: after its noun ('SQS ApproximateAgeOfOldestMessage') they name a
# metric of it, not a queue to create (gate/interpret/mentions.py)
METRIC_NAMES = ("ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage")

LEXICON = Lexicon(
    nouns=NOUNS,
    words=WORDS,
    always=ALWAYS,
    removal=REMOVAL,
    metric_names=METRIC_NAMES,
    grants=(
        Grantable(
            "sqs", "sqs_queue", GRANT_NOUNS["sqs"], ACTIONS["sqs"], "arn:aws:sqs:REGION:ACCOUNT:NAME", "SQS queue"
        ),
    ),
)
