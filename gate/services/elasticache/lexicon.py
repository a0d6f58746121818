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
    r"(?:(?<=\ba\s)|(?<=\ban\s)|(?<=\bnew\s))(?:redis|valkey)",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "elasticache_cluster": (
        _e(r"valkey|redis(?:\s+oss)?|engine", "engine"),
        _e(r"version", "engine_version"),
        _e(r"nodes?|node\s+type|type|size", "node_type"),
        _e(
            r"(?:read\s+)?replicas?|replica\s+nodes?|multi[- ]az|failover|highly\s+available|single[- ]node", "replicas"
        ),
        _e(r"snapshots?|backups?|kept|keep|retention|retained", "snapshot_retention_days"),
        _e(r"vpc|private\s+subnets?|subnets?", "vpc_ref"),
        _e(r"kms|customer[- ]managed\s+key|cmk|key", "kms_key_arn"),
    ),
}

LEXICON = Lexicon(nouns=NOUNS, words=WORDS)
