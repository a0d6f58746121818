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
        _e(r"public\s+subnets?|public|internet[- ]facing", "public_subnets", positive=True),
        _e(r"private\s+subnets?|subnets?|private|isolated", "private_subnets"),
        _e(r"availability\s+zones?|azs?|zones?", "az_count"),
        _e(r"nat(?:\s+gateways?)?", "nat_gateway", positive=True),
        _e(r"flow\s+logs?", "flow_logs"),
        _e(r"internet\s+gateways?(?:\s+attached)?|igw|internet(?:\s+access)?", "public_subnets", positive=True),
        _e(r"endpoints?|gateway\s+endpoints?", "vpc_endpoints"),
        _e(r"nacls?|network\s+acls?", "network_acls"),
    ),
    "network_parts": (
        _e(r"(?:existing\s+)?vpcs?", "vpc_id"),
        _e(r"(?:private\s+)?subnets?|private|availability\s+zones?|zones?|azs?", "subnets"),
        _e(
            r"auto[- ]?assign(?:\s+public\s+ips?)?|map\s+public\s+ips?(?:\s+on\s+launch)?|"
            r"public\s+ips?(?:\s+on\s+launch)?",
            "subnets",
            False,
        ),
        _e(r"(?:one|two|three|four|five|six|[1-6])\s+(?:new\s+)?(?:private\s+)?subnets?", "subnets"),
        _e(r"nat(?:\s+gateways?|\s+gw)?|(?:new\s+)?elastic\s+ips?|eips?|public\s+subnets?|public", "nat_subnet_id"),
        _e(
            r"(?:default\s+)?routes?(?:\s+tables?)?|point(?:s|ing|ed)?(?:\s+0\.0\.0\.0/0)?|0\.0\.0\.0/0",
            "nat_route_table_ids",
        ),
        _e(r"(?:gateway\s+|vpc\s+)?endpoints?|s3|dynamodb", "gateway_endpoints"),
        _e(r"route\s+tables?|associat(?:e|ed|es|ion)", "endpoint_route_table_ids"),
        _e(r"(?:vpc\s+)?flow\s+logs?|traffic|reject(?:ed)?|accept(?:ed)?|deliver(?:ed|s)?|sent", "flow_logs"),
        _e(r"kept|keep|retention|retain(?:ed)?", "flow_logs_retention_days"),
        _e(r"(?:s3\s+)?(?:bucket|archive)|aggregat(?:ion|ed)(?:\s+interval)?|interval", "flow_log_bucket_arn"),
        _e(r"peer(?:ing|ed|s)?(?:\s+connections?)?|lives?\s+in|accounts?|owner|regions?", "peer_vpc_id"),
        _e(
            r"(?:network\s+)?acls?|nacls?|inbound|ingress|allow(?:s|ed|ing)?|tcp|udp|ports?|from|"
            r"deny(?:ing)?\s+(?:everything|all)(?:\s+else)?(?:\s+inbound)?|(?:everything|all)\s+else(?:\s+inbound)?",
            "network_acl_rules",
        ),
        _e(r"associat(?:e|ed|es|ion)(?:\s+(?:it\s+)?with)?|data\s+tier|tier", "network_acl_subnet_ids"),
        _e(
            r"(?:new\s+)?elastic\s+ips?|eips?|(?:stable\s+|static\s+)?public\s+(?:ip(?:v4)?\s+)?address(?:es)?|"
            r"static\s+ips?|instance|server|host|bastion|(?:mail\s+)?relay|attach(?:ed)?(?:\s+to)?",
            "elastic_ip_instance_id",
        ),
    ),
}

# settings the gate builds on every resource of a kind (gate/interpret/lexicon.py ALWAYS)
ALWAYS: dict[str, str] = {
    "vpc": r"dns\s+(?:hostnames|support|resolution)(?:\s+and\s+dns\s+(?:hostnames|support|resolution))?|dns",
}

LEXICON = Lexicon(nouns=NOUNS, words=WORDS, always=ALWAYS)
