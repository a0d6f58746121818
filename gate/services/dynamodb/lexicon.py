"""Amazon DynamoDB's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import Entry, Grantable, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "dynamodb_table": r"(?:dynamo(?:db)?\s+)(?:global\s+)?tables?|dynamo(?:db)?|(?:nosql\s+)?tables?",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "dynamodb_table": (
        _e(r"partition\s+key|hash\s+key|primary\s+key|pk|keyed|key|string|number|binary", "partition_key"),
        _e(r"sort\s+key|range\s+key|sk", "sort_key"),
        _e(
            r"on[- ]demand|pay[- ]per[- ]request|provisioned|billing(?:\s+mode)?|capacity|units?|cheap(?:est)?|"
            r"low[- ]cost",
            "billing_mode",
        ),
        _e(r"read\s+capacity|rcus?|reads?", "read_capacity"),
        _e(r"write\s+capacity|wcus?|writes?", "write_capacity"),
        _e(r"streams?|change\s+data\s+capture|cdc|(?:new\s+and\s+)?old\s+images?|new\s+images?|images?", "stream"),
        _e(r"ttl(?:\s+attribute)?|time[- ]to[- ]live|expir(?:e|es|y|ing|ation)|attribute|field", "ttl_attribute"),
        _e(r"point[- ]in[- ]time(?:\s+recovery)?|pitr|backups?|recovery", "point_in_time_recovery"),
        _e(r"deletion\s+protection", "deletion_protection"),
        _e(
            r"encrypt(?:ed|ion)?|kms|customer[- ]managed(?:\s+key)?|cmk|(?:our\s+)?key|aws[- ]owned(?:\s+key)?|instead",
            "kms_key_arn",
        ),
        _e(
            r"gsis?|(?:global\s+)?secondary\s+index(?:es)?|index(?:es)?|"
            r"(?:keys[_ ]only\s+|all\s+|include\s+)?projection|"
            r"projects?|keys[_ ]only",
            "global_secondary_indexes",
        ),
        _e(r"(?:table\s+)?class|standard[- ]ia|standard_infrequent_access|infrequent\s+access", "table_class"),
        _e(r"global(?:\s+table)?|replicated|replicas?|replication|regions?", "replica_regions"),
    ),
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "dynamodb_table": ("table", "dynamodb"),
}

# IAM prefix -> the nouns an access phrase names one by (gate/interpret/access.py)
GRANT_NOUNS: dict[str, str] = {
    "dynamodb": r"dynamo(?:db)?\s+tables?|dynamo(?:db)?|tables?",
}

# IAM prefix -> verb class -> actions (named one by one: no wildcards)
ACTIONS: dict[str, dict[str, list[str]]] = {
    "dynamodb": {
        "read": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"],
        "write": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
        "delete": ["dynamodb:DeleteItem"],
    },
}

# its CloudWatch metrics as CloudWatch names them: after its noun ('DynamoDB ReadThrottleEvents') they name a metric
# of it, not a table to create (gate/interpret/mentions.py)
METRIC_NAMES = ("ReadThrottleEvents", "WriteThrottleEvents", "ThrottledRequests")

LEXICON = Lexicon(
    nouns=NOUNS,
    words=WORDS,
    removal=REMOVAL,
    metric_names=METRIC_NAMES,
    grants=(
        Grantable(
            "dynamodb",
            "dynamodb_table",
            GRANT_NOUNS["dynamodb"],
            ACTIONS["dynamodb"],
            "arn:aws:dynamodb:REGION:ACCOUNT:table/NAME",
            "DynamoDB table",
        ),
    ),
)
