"""Amazon VPC's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import Entry, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "vpc": r"vpcs?|virtual\s+private\s+clouds?|(?:private\s+)?networks?(?=\s+(?:with|named|called|\d))",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "vpc": (
        _e(r"cidr|range|address\s+space|block", "cidr"),
        _e(r"public\s+subnets?|public|internet[- ]facing", "public_subnets"),
        _e(r"private\s+subnets?|subnets?|private|isolated", "private_subnets"),
        _e(r"availability\s+zones?|azs?|zones?", "az_count"),
        _e(r"nat(?:\s+gateways?)?", "nat_gateway"),
        _e(r"flow\s+logs?", "flow_logs"),
        _e(r"internet\s+gateway|igw", "public_subnets"),
        _e(r"endpoints?|gateway\s+endpoints?", "vpc_endpoints"),
        _e(r"nacls?|network\s+acls?", "network_acls"),
    ),
}

LEXICON = Lexicon(nouns=NOUNS, words=WORDS)
