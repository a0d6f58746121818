"""Amazon RDS's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import MEMORY as _MEMORY
from gate.interpret.vocab import Entry, Lexicon
from gate.interpret.vocab import entry as _e

# a read replica of a database outside the change ('a read replica of the existing database orders-prod-pg',
# 'cross-region read replica of arn:aws:rds:...') is a resource of its own; 'two read replicas' of a database in the
# change stays a setting of that database. 'A Postgres read replica of ...' is the replica, not a database and a replica
_REPLICA_OF_EXISTING = (
    r"(?:(?:postgres(?:ql)?|mysql|mariadb)\s+)?(?:cross[- ]region\s+)?(?:read[- ])?replicas?"
    r"(?=\s+(?:of|for|from)\s+(?:the\s+)?"
    r"(?:existing\s+|current\s+|prod(?:uction)?\s+)?(?:(?:rds|aurora|postgres(?:ql)?|mysql|mariadb)\s+)?"
    r"(?:(?:database|db)(?:\s+instance)?\s+|instance\s+)?[\"'`]?(?:arn:aws[a-z-]*:rds:|[a-z][a-z0-9]*-[\w-]+))"
)

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
    r"(?:postgres(?:ql)?|mysql|mariadb)(?=\s+(?:for|primary|named|called)\b|\s*,?\s+(?:on\s+)?db\.[a-z0-9]+\.)|"
    r"(?:(?<=\bdev\s)|(?<=\btest\s)|(?<=\bqa\s)|(?<=\bstaging\s)|(?<=\bprod\s))(?:postgres(?:ql)?|mysql|mariadb)",
    "rds_read_replica": _REPLICA_OF_EXISTING,
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
        _e(
            r"single[- ]az|one\s+az|(?<=\bone\s)az|(?<=\bsingle\s)az|scratch|sandbox|throw-?away|disposable",
            "multi_az",
            positive=False,
        ),
        _e(r"storage|disk|allocated", "storage_gb"),
        _e(r"(?:storage\s+)?auto-?scal\w*|up\s+to|grow\w*|max(?:imum)?(?:\s+storage)?", "max_storage_gb"),
        _e(r"port|listens?", "port"),
        _e(r"gp3|gp2|io1|io2|provisioned\s+iops|magnetic", "storage_type"),
        _e(
            r"backups?|backed\s+up|retention|retain(?:ed)?|point[- ]in[- ]time|pitr|kept|keep|"
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
        _e(
            r"(?:custom\s+)?parameter\s+groups?|parameters?|max_connections|sets?|loads?|loading|preloads?|"
            r"through|family",
            "parameters",
        ),
        _e(r"security\s+groups?|connections?|connect(?:s|ing)?|clients?|from", "security_group_refs"),
        _e(r"vpc|private\s+subnets?|subnets?", "vpc_ref"),
        _e(r"(?:db\s+|database\s+|rds\s+)?subnet\s+groups?|subnets?", "subnet_ids"),
        _e(r"(?:db\s+|database\s+|rds\s+)?subnet\s+groups?", "db_subnet_group_name"),
        _e(r"(?:vpc\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
    ),
    "rds_cluster": (
        _e(r"aurora(?:\s+(?:postgres(?:ql)?|mysql))?|postgres(?:ql)?|mysql|engine|clusters?", "engine"),
        _e(r"version", "engine_version"),
        _e(r"(?:instance\s+)?class|size|type", "instance_class"),
        _e(r"instances?|nodes?|members?|writers?|readers?|replicas?|one", "instances"),
        _e(
            r"backups?|backed\s+up|retention|retain(?:ed)?|point[- ]in[- ]time|pitr|kept|days?", "backup_retention_days"
        ),
        _e(r"encrypt(?:ed|ion)?(?:\s+with)?|kms(?:\s+key)?|key|storage", "kms_key_arn"),
        _e(r"deletion\s+protection", "deletion_protection"),
        _e(r"(?:database|db)\s+name|database|db", "database_name"),
        _e(r"vpc|private\s+subnets?|subnets?", "vpc_ref"),
        _e(r"(?:db\s+|database\s+)?subnet\s+groups?|subnets?", "subnet_ids"),
        _e(r"(?:db\s+|database\s+)?subnet\s+groups?", "db_subnet_group_name"),
        _e(r"(?:vpc\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
        _e(r"security\s+groups?", "security_group_refs"),
    ),
    "rds_read_replica": (
        _e(r"(?:cross[- ]region\s+)?(?:read[- ])?replicas?|existing|current|source|copy|copies|of", "source_db"),
        _e(r"postgres(?:ql)?|mysql|mariadb|engine", "engine"),
        _e(r"(?:instance\s+)?class|size|type", "instance_class"),
        _e(r"placed|zone|az|availability\s+zone|lives|in", "availability_zone"),
        _e(r"multi[- ]?az|standby", "multi_az", positive=True),
        _e(r"encrypt(?:ed|ion)?(?:\s+with)?|kms|key", "kms_key_arn"),
        _e(r"(?:db\s+|database\s+)?subnet\s+groups?", "db_subnet_group_name"),
        _e(r"(?:vpc\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
        _e(r"deletion\s+protection", "deletion_protection"),
    ),
}

# settings the gate builds on every resource of a kind (gate/interpret/lexicon.py ALWAYS)
ALWAYS: dict[str, str] = {
    "rds_instance": r"encrypted(?:\s+storage)?|performance\s+insights|iam\s+auth(?:entication)?",
    "rds_read_replica": r"encrypted(?:\s+storage)?|performance\s+insights|iam\s+auth(?:entication)?|private",
    "rds_cluster": r"(?:storage\s+)?encrypted(?:\s+storage)?|performance\s+insights|"
    r"iam\s+(?:database\s+)?auth(?:entication)?|private|multi[- ]az",
}

# settings the gate never builds on a kind: a request that rules them out ('must not be publicly accessible') is read
NEVER: dict[str, str] = {
    "rds_instance": r"publicly\s+accessible|public(?:ly)?\s+reachable|public\s+ip",
    "rds_read_replica": r"publicly\s+accessible",
    "rds_cluster": r"publicly\s+accessible",
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "rds_instance": ("database", "db", "rds"),
}

# what the request reader must not read as a resource (gate/interpret/mentions.py): 'IAM database authentication'
# is a setting of the database; its CloudWatch metrics after its noun ('RDS CPUUtilization'); 'two db.r7g.large
# instances' and 'an Aurora cluster with 3 instances' are the database's instances, not EC2 instances
SETTINGS = (r"iam\s+(?:database|db)\s+auth\w*",)
METRIC_NAMES = ("CPUUtilization", "FreeStorageSpace", "FreeableMemory", "DatabaseConnections", "ReplicaLag")
CLAIMS_BEFORE: dict[str, str] = {
    "ec2_instance": r"\bdb\.[a-z0-9]+\.[a-z0-9]+\s+$|\b(?:aurora|rds|database|db|postgres(?:ql)?|mysql)\b[^.;]{0,30}"
    r"\bclusters?\b[^.;]{0,50}?\bwith\s+(?:[\w.-]+\s+){0,2}$",
}

LEXICON = Lexicon(
    nouns=NOUNS,
    words=WORDS,
    always=ALWAYS,
    never=NEVER,
    removal=REMOVAL,
    settings=SETTINGS,
    metric_names=METRIC_NAMES,
    claims_before=CLAIMS_BEFORE,
)
