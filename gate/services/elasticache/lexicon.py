"""Amazon ElastiCache's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import Entry, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "elasticache_cluster": r"(?:aws\s+)?elasticache(?:\s+(?:for\s+(?:redis|valkey)(?:\s+oss)?\s+)?(?:clusters?|"
    r"replication\s+groups?|caches?))?|(?:redis|valkey)(?:\s+oss)?(?:\s*\((?:aws\s+)?elasticache\))?"
    r"(?:\s+\d+(?:\.\d+)?)?\s+(?:caches?|clusters?|replication\s+groups?|instances?|servers?)|"
    r"(?:(?<=\ba\s)|(?<=\ban\s)|(?<=\bnew\s))(?:redis|valkey)|"
    r"(?:^|(?<=[.:;]\s))(?:redis|valkey)(?=\s+(?:for|named|called|on\s+cache\.|[\"'`]))|"  # 'Valkey for the limiter'
    r"(?:redis|valkey)(?=\s+(?:named|called|on\s+cache\.)|\s+[\"'`][a-z][\w-]*[\"'`]\s+(?:on|with|for)\b)",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "elasticache_cluster": (
        _e(r"valkey|redis(?:\s+oss)?|engine", "engine"),
        _e(r"version", "engine_version"),
        _e(r"nodes?|node\s+type|type|size", "node_type"),
        _e(
            r"(?:read\s+)?replicas?|replica\s+nodes?|multi[- ]az|(?:automatic\s+)?failover|highly\s+available|"
            r"single[- ]node|nodes?(?:\s+total)?|primary",
            "replicas",
        ),
        _e(r"(?:not|non|nothing)[- ](?:business[- ])?critical", "replicas", positive=False),
        _e(r"(?:daily\s+)?snapshots?|backups?|kept|keep|retention|retained", "snapshot_retention_days"),
        _e(r"(?:snapshot|backup)\s+window|window|utc", "snapshot_window"),
        _e(r"vpc|private\s+subnets?|subnets?", "vpc_ref"),
        _e(r"(?:cache\s+)?subnet\s+groups?|subnets?", "subnet_ids"),
        _e(r"(?:cache\s+)?subnet\s+groups?", "cache_subnet_group_name"),
        _e(r"(?:vpc\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
        _e(r"kms|customer[- ]managed\s+key|cmk|key", "kms_key_arn"),
    ),
}

# settings the gate builds on every resource of a kind (gate/interpret/lexicon.py ALWAYS)
ALWAYS: dict[str, str] = {
    "elasticache_cluster": r"encrypt(?:ed|ion)|at[- ]rest|in[- ]transit|tls|auth(?:\s+token)?",
}

# what the request reader must not read as a resource (gate/interpret/mentions.py): 'a Redis cluster with 3
# instances' holds the cluster's nodes, not EC2 instances
CLAIMS_BEFORE: dict[str, str] = {
    "ec2_instance": r"\b(?:redis|valkey)\b[^.;]{0,30}\bclusters?\b[^.;]{0,50}?\bwith\s+(?:[\w.-]+\s+){0,2}$",
}

LEXICON = Lexicon(nouns=NOUNS, words=WORDS, always=ALWAYS, claims_before=CLAIMS_BEFORE)
