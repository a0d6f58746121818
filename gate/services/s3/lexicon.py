"""Amazon S3's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import Entry, Grantable, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "s3_bucket": r"s3\s+buckets?|buckets?|s3(?=\s+(?:for|to|named|called|where|that))",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "s3_bucket": (
        _e(r"version(?:ing|ed|s)?", "versioning"),
        _e(r"encrypt(?:ed|ion|s)?|sse(?:-kms|-s3)?|kms(?:-encrypted)?|aes-?256|server[- ]side", "encryption"),
        _e(r"private|public(?:ly)?|block(?:\s+all)?\s+public\s+access|public\s+access|block", "block_public_access"),
        _e(
            r"lifecycle|expir(?:e|es|ed|ing|ation)|delete[ds]?|deleting|transition(?:s|ed)?|move[ds]?|archiv(?:e|ed)|"
            r"glacier|deep\s+archive|infrequent(?:ly)?\s+access(?:ed)?|standard[- ]ia|one[- ]zone|"
            r"intelligent[- ]tiering|"
            r"noncurrent|old\s+versions?|previous\s+versions?|objects?|files?|kept|keep|retain(?:ed)?|retention|"
            r"go(?:es)?\s+away|disappear\w*|clean(?:ed)?\s+up|incomplete|unfinished|multipart(?:\s+uploads?)?|"
            r"abort\w*|everything|all\s+objects",
            "lifecycle_rules",
        ),
        _e(r"access\s+logs?|server\s+access\s+logging|logging|logs?|go(?:es)?|sent|delivered", "access_log_bucket"),
        _e(r"(?:log\s+)?prefix", "access_log_prefix"),
        _e(
            r"object[- ]lock(?:ing)?|lock(?:ed)?|worm|(?:compliance|governance)(?:\s+mode)?|mode|"
            r"(?:default\s+)?retention|default",
            "object_lock",
        ),
        _e(r"cors|cross[- ]origin|allow(?:s|ed)?|origins?|methods?|max[- ]age|age|headers?|browsers?", "cors_rules"),
        _e(r"eventbridge|notifications?|events?|switched|turned|enabled", "eventbridge"),
        _e(
            r"not\s+the\s+default\s+(?:aws/[\w-]+\s+)?(?:kms\s+)?key|customer[- ]managed\s+key|cmk|(?:kms\s+)?keys?",
            "kms_key_arn",
        ),
        _e(r"bucket\s+polic(?:y|ies)|read|write|upload|access", "policy_statements"),
    ),
}

# settings the gate builds on every resource of a kind (gate/interpret/lexicon.py ALWAYS)
ALWAYS: dict[str, str] = {
    "s3_bucket": r"tls[- ]only|https[- ]only",
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "s3_bucket": ("bucket",),
}

# IAM prefix -> the nouns an access phrase names one by (gate/interpret/access.py)
GRANT_NOUNS: dict[str, str] = {
    "s3": r"s3\s+buckets?|buckets?|s3",
}

# IAM prefix -> verb class -> actions (named one by one: no wildcards)
ACTIONS: dict[str, dict[str, list[str]]] = {
    "s3": {
        "read": ["s3:GetObject", "s3:ListBucket"],
        "write": ["s3:PutObject"],
        "delete": ["s3:DeleteObject"],
    },
}

LEXICON = Lexicon(
    nouns=NOUNS,
    words=WORDS,
    always=ALWAYS,
    removal=REMOVAL,
    grants=(Grantable("s3", "s3_bucket", GRANT_NOUNS["s3"], ACTIONS["s3"], "arn:aws:s3:::NAME", "bucket"),),
)
