"""Amazon RDS's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import MEMORY as _MEMORY
from gate.interpret.vocab import Entry, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "rds_instance": r"(?:(?:rds|aurora|postgres(?:ql)?|mysql|mariadb|oracle|sql\s+server)\s+"
    r"(?:\d{1,2}(?:\.\d+)*(?!\d)\s+)?)?"
    r"(?:relational\s+)?(?:databases?|dbs?(?!\.\w))(?:\s+(?:instances?|servers?|clusters?))?|rds(?:\s+instances?)?|"
    r"(?:postgres(?:ql)?|mysql|mariadb)(?:\s+\d{1,2}(?:\.\d+)*(?!\d)(?:\s+(?:instances?|servers?|clusters?))?|"
    r"\s+(?:instances?|"
    r"servers?|clusters?))|(?:(?<=\ba\s)|(?<=\ban\s)|(?<=\bnew\s))(?:postgres(?:ql)?|mysql|mariadb)|"
    r"(?:^|(?<=[.:;]\s))(?:postgres(?:ql)?|mysql|mariadb)(?=\s)|"  # 'Postgres for ledger: ...' opening a sentence
    r"(?:postgres(?:ql)?|mysql|mariadb)(?=\s+(?:for|primary|named|called)\b)",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "rds_instance": (
        _e(r"postgres(?:ql)?|mysql|mariadb|aurora|oracle|sql\s+server|engine|psql|pg", "engine"),
        _e(r"version|v", "engine_version"),
        _e(r"instance\s+class|class|size|small|tiny|cheap|micro|large|medium|" + _MEMORY, "instance_class"),
        _e(
            r"multi[- ]?az|highly\s+available|high\s+availability|ha|standby|failover|production|prod|critical|"
            r"business[- ]critical|surviv(?:e|es|ing)\s+(?:losing\s+|the\s+loss\s+of\s+)?(?:an?\s+)?"
            r"(?:availability\s+zone|az)(?:\s+(?:failure|outage|going\s+down))?",
            "multi_az",
            positive=True,
        ),
        _e(r"single[- ]az|one\s+az", "multi_az", positive=False),
        _e(r"storage|disk|allocated", "storage_gb"),
        _e(r"gp3|gp2|io1|io2|provisioned\s+iops|magnetic", "storage_type"),
        _e(
            r"backups?|backed\s+up|retention|retain(?:ed)?|point[- ]in[- ]time|pitr|kept|"
            r"restor(?:e|ed|es|ing)(?:\s+to\s+any\s+point)?",
            "backup_retention_days",
        ),
        _e(r"backup\s+window", "backup_window"),
        _e(r"maintenance(?:\s+window)?", "maintenance_window"),
        _e(r"deletion\s+protection|protected\s+from\s+deletion", "deletion_protection"),
        _e(r"encrypt(?:ed|ion)?|kms", "storage_encrypted"),
        _e(r"read\s+replicas?|replicas?", "read_replicas"),
        _e(r"primary|main|source|writer", "name"),
        _e(r"(?:database|db|master|admin)\s+user(?:name)?|user(?:name)?", "master_username"),
        _e(r"(?:database|db)\s+name|database|db", "database_name"),
        _e(r"parameter\s+groups?|parameters?|max_connections|sets?", "parameters"),
        _e(r"security\s+groups?|connections?|connect(?:s|ing)?|clients?|from", "security_group_refs"),
        _e(r"vpc|private\s+subnets?|subnets?", "vpc_ref"),
        _e(r"(?:db\s+|database\s+|rds\s+)?subnet\s+groups?|subnets?", "subnet_ids"),
        _e(r"(?:db\s+|database\s+|rds\s+)?subnet\s+groups?", "db_subnet_group_name"),
        _e(r"(?:vpc\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
    ),
}

# settings the gate builds on every resource of a kind (gate/interpret/lexicon.py ALWAYS)
ALWAYS: dict[str, str] = {
    "rds_instance": r"encrypted(?:\s+storage)?|performance\s+insights|iam\s+auth(?:entication)?",
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "rds_instance": ("database", "db", "rds"),
}

LEXICON = Lexicon(nouns=NOUNS, words=WORDS, always=ALWAYS, removal=REMOVAL)
