"""Amazon SNS's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import Entry, Grantable, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "sns_topic": r"(?:sns\s+)?topics?|sns",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "sns_topic": (
        _e(
            r"email(?:s|ed)?|e-mails?|sms|texts?|subscri\w+|sends?|notif(?:y|ies)|https?|webhook|queue|endpoint",
            "subscriptions",
        ),
        _e(r"display(?:\s+name)?", "display_name"),
        _e(r"paging|pages?|on-?call", "subscriptions"),
        _e(r"fifo|ordered|(?:strict\s+)?order(?:ing)?", "fifo", positive=True),
        _e(r"content[- ]based(?:\s+dedup\w*)?|dedup\w*", "content_based_deduplication"),
        _e(
            r"fan[- ]?out|feed(?:s|ing)?|raw(?:\s+message)?(?:\s+delivery)?|deliver(?:y|ed)?|"
            r"(?:queue\s+)?polic(?:y|ies)|filter(?:ed|s)?(?:\s+polic(?:y|ies))?|attributes?|whose|(?:only\s+)?messages?",
            "subscriptions",
        ),
        _e(r"encrypt(?:ed|ion)?|kms|customer[- ]managed(?:\s+key)?|cmk|(?:our\s+)?key", "kms_key_arn"),
        _e(
            r"topic\s+polic(?:y|ies)|anyone|anybody|everyone|principal|publish(?:es|ing)?|lets?|accounts?", "publishers"
        ),
    ),
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "sns_topic": ("topic", "sns"),
}

# IAM prefix -> the nouns an access phrase names one by (gate/interpret/access.py)
GRANT_NOUNS: dict[str, str] = {
    "sns": r"sns\s+topics?|topics?|sns",
}

# IAM prefix -> verb class -> actions (named one by one: no wildcards)
ACTIONS: dict[str, dict[str, list[str]]] = {
    "sns": {"write": ["sns:Publish"], "read": ["sns:GetTopicAttributes"], "delete": ["sns:Publish"]},
}

LEXICON = Lexicon(
    nouns=NOUNS,
    words=WORDS,
    removal=REMOVAL,
    grants=(
        Grantable(
            "sns", "sns_topic", GRANT_NOUNS["sns"], ACTIONS["sns"], "arn:aws:sns:REGION:ACCOUNT:NAME", "SNS topic"
        ),
    ),
)
