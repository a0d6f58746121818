"""Find the resources a request mentions and cut the request into one segment per resource to create.

A *mention* is a noun phrase that names a resource kind ("two t3.medium EC2 instances", "a Postgres 16
database", "an SQS queue").  A mention right after a preposition and a definite word ("to the DynamoDB
table orders", "for Lambda", "in the private subnets") is a *reference* to something that exists or is
created elsewhere, not a new resource.  Each new resource owns the text from the separator before it to
the separator before the next one, so "a VPC with two subnets, two web servers and a postgres database in
the private subnets" becomes three segments.

A noun right before another noun modifies it (:func:`compounds`): "an instance role" is a role, "a web server
security group" a security group, "a function URL" or "a table stream" a part of the function or table, and none of
them creates an instance, server, function or table of its own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from gate.interpret import not_resource

# kind -> head-noun pattern: each service's in its folder (``gate/services/<name>/lexicon.py`` NOUNS), in CATALOG
# order, then the phrases below (each service's ``settings`` join '_setting'). Longest match wins where patterns
# overlap ("db instance" beats "instance").
# Kinds starting with "_" are phrases that must not be read as a resource ("root volume", "route table").
_CROSS_SERVICE: dict[str, str] = {
    # not resources: settings of another resource, or services the gate does not build
    "_setting": r"root\s+(?:volume|disk)s?|route\s+tables?|subnet\s+groups?|parameter\s+groups?|option\s+groups?|"
    r"(?:(?:s3\s+)?bucket|(?:sqs\s+)?queue|(?:sns\s+)?topic|lifecycle|retention|key|password|scaling|redrive|access|"
    r"deletion|backup|trust|resource)\s+polic(?:y|ies)|(?:(?:database|db|rds)\s+)?subnet\s+groups?|"
    r"(?:database|db|master|admin)\s+(?:user(?:name)?s?|passwords?|credentials?)|"
    r"dead[-\s]letter\s+queues?|dlqs?|read\s+replicas?|replicas?|log\s+retention|access\s+logs?|flow\s+logs?|"
    r"(?:user|cpu|memory|storage)\s+(?:data|profile|types?|class|size|utili[sz]ation)|instance\s+profiles?|"
    r"server[-\s]side|server\s+access\s+log(?:s|ging)?|(?:database|db)\s+(?:password|subnets?|names?)|target\s+groups?|"
    r"(?:error|request|message|connection)\s+(?:count|rate)|(?:service|web)\s+users?|end\s+users?",
    "_unsupported": r"load\s+balancers?|albs?|elbs?|nlbs?|cloudfront(?:\s+distributions?)?|cdn|eks(?:\s+clusters?)?|"
    r"kubernetes(?:\s+clusters?)?|ecs(?:\s+(?:clusters?|services?))?|fargate|memcached|"
    r"route\s*53|dns\s+records?|hosted\s+zones?|api\s+gateway|step\s+functions?|kinesis|opensearch|"
    r"elasticsearch|redshift|glue|athena|cognito|efs|elastic\s+file\s+system|auto\s*scaling\s+groups?|asgs?|"
    r"nat\s+instances?|transit\s+gateways?|waf|secrets?\s+manager|kms\s+keys?|certificates?|acm|"
    r"interface\s+(?:vpc\s+)?endpoints?|privatelink",
}
UNSUPPORTED_LABELS = {
    "load balancer": "Elastic Load Balancing",
    "alb": "Elastic Load Balancing",
    "elb": "Elastic Load Balancing",
    "nlb": "Elastic Load Balancing",
    "cdn": "CloudFront",
    "eks": "EKS",
    "kubernetes": "EKS",
    "ecs": "ECS",
    "fargate": "ECS",
    "memcached": "ElastiCache for Memcached",
    "asg": "EC2 Auto Scaling",
    "route53": "Route 53",
    "route 53": "Route 53",
    "dns": "Route 53",
    "hosted zone": "Route 53",
    "efs": "EFS",
    "kms": "KMS keys",
    "acm": "ACM",
    "certificate": "ACM",
    "waf": "WAF",
    "interface": "VPC interface endpoints (PrivateLink)",
    "privatelink": "VPC interface endpoints (PrivateLink)",
}


@functools.cache
def noun_table() -> dict[str, str]:
    """Spec kind -> head-noun pattern: every service's nouns (CATALOG order), then the cross-service phrases, with
    the services' settings that hold a noun ('IAM database authentication') among the '_setting' ones."""
    from gate.services import CATALOG  # here, not at the top: the services' recognisers import this module

    nouns = {kind: pattern for service in CATALOG.values() for kind, pattern in service.lexicon.nouns.items()}
    settings = [_CROSS_SERVICE["_setting"], *(p for service in CATALOG.values() for p in service.lexicon.settings)]
    return {**nouns, **_CROSS_SERVICE, "_setting": "|".join(settings)}


@functools.cache
def _kind_re() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((k, re.compile(rf"(?<![\w/:-])(?:{p})(?![\w/-])", re.I)) for k, p in noun_table().items())


# a preposition (and optional definite words) right before a noun makes it a reference, not a new resource
_REF_BEFORE = re.compile(
    r"(?:\b(?:to|from|into|onto|on|of|for|by|in|inside|within|behind|against|via|reads?|writes?|access(?:es)?|"
    r"quer(?:y|ies)|scans?|polls?|consumes?|invokes?|calls?|"
    r"monitors?|watch(?:es)?|using|uses?|attached\s+to|subscribed\s+to|publish(?:es)?\s+to|when|whenever|if|"
    r"allow(?:s|ing)?|lets?|letting|permit(?:s|ting)?|grant(?:s|ing)?|reach(?:es|ing)?|talks?\s+to|"
    r"connects?\s+to)\s+"
    r"(?:(?:the|that|this|these|those|our|my|its|their|each|every|all|existing|both|same|current)\s+)*"
    r"(?:[\w.'\u2019`-]*[\w'\u2019`-]\s+){0,2}?)$",  # not across a full stop ('for feature flags. DynamoDB table x')
    re.I,
)
# 'security group sg-0123456789abcdef0', 'subnets subnet-...': the noun names an existing resource by its id
_BY_ID = re.compile(r"s?\s+(?:id\s+)?[\"'`]?(?:sg|subnet|vpc|vol|i|snap|ami)-[0-9a-f]{8,17}(?![\w-])", re.I)
_NEGATED_BEFORE = re.compile(
    r"(?:\b(?:no|without|not\s+in)|\b(?:don'?t|do\s+not|never|no\s+need\s+to)\s+(?:create|make|add|build|provision|"
    r"need|want|deploy)\w*)\s+(?:a\s+|an\s+|any\s+)?(?:new\s+|other\s+|separate\s+|extra\s+)?$|"
    r"\b(?:don'?t|do\s+not|never|no\s+need\s+to)\s+(?:create|make|add|build|provision|deploy)\w*\s+(?:an?\s+|any\s+|another\s+)?"
    r"(?:new\s+|other\s+|separate\s+|extra\s+|second\s+)?[a-z][\w-]*\s+$",
    re.I,
)
_DEFINITE_BEFORE = re.compile(r"\b(?:the|that|this|those|these|our|existing)\s+(?:[\w.-]+\s+){0,2}?$", re.I)
# 'the existing table customers', 'our current queue': always a resource outside this change
_EXISTING_BEFORE = re.compile(
    r"\b(?:existing|current|already[- ](?:deployed|created|running))\s+(?:[\w.-]+\s+){0,2}?$", re.I
)
_CREATE_VERB = re.compile(
    r"\b(?:create|add|make|set\s*up|provision|deploy|launch|start|spin\s+up|build|run|need|want|get|new|"
    r"stand\s+up|bring\s+up|allocate|configure|define)\w*\b|^\s*(?:-\s*)?$",
    re.I,
)
_CHANGE_VERB = re.compile(
    r"\b(?:give|grant|attach|modify|change|update|resize|upgrade|downgrade|tag|enable|disable|rename|reboot|restart)\b",
    re.I,
)
_NEW_BEFORE = re.compile(r"\b(?:a|an|new|another|\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)
# where one resource's text ends and the next one's begins
_SEPARATOR = re.compile(
    r",|;|:\s|\.(?=\s|$)|(?<![\w-])(?:and|plus|also|then|with|as\s+well\s+as|along\s+with|together\s+with|"
    r"alongside|behind|that|which)(?![\w-])",
    re.I,
)

# 'named bob and carol': the 'and' joins names, it does not start another resource
_STARTS_NEW = re.compile(r"\s*(?:a|an|the|one|two|three|four|five|\d+|also|then|attach|add|create|launch)\b", re.I)
_NAME_LIST = re.compile(r"\b(?:named|called)\s+[\w.-]+(?:\s*,\s*[\w.-]+)*\s*$", re.I)


@dataclass(frozen=True)
class Mention:
    kind: str
    start: int
    end: int
    text: str
    reference: bool
    setting: bool = False  # stands before a setting ('a lambda timeout'): a resource only if none other of its kind


@dataclass
class Segment:
    """The text of one resource to create, and what it refers to."""

    kind: str
    mention: Mention
    text: str
    start: int
    end: int
    references: list[Mention] = field(default_factory=list)
    name: str | None = None  # set when one plural mention became several resources ("two tables: a and b")
    parts: list[Mention] = field(default_factory=list)  # settings named in it ('a database user named app')


def _noun_matches(text: str) -> list[tuple[str, re.Match[str]]]:
    """Every noun phrase, left to right; where kinds overlap the longest wins ('database subnet group' is a
    setting, not a database; 'instance profile' is not an instance), then the kind listed first in noun_table()."""
    found = [
        (match.start(), -len(match.group(0)), order, kind, match)
        for order, (kind, pattern) in enumerate(_kind_re())
        for match in pattern.finditer(text)
    ]
    out: list[tuple[str, re.Match[str]]] = []
    end = 0
    for start, _, _, kind, match in sorted(found, key=lambda f: f[:3]):
        if start >= end:
            out.append((kind, match))
            end = match.end()
    return out


# a literal in double quotes, or in single quotes after the setting it is the value of: 'display name "Billing
# Alerts"', "description 'cache access from app subnets'" hold no resource nouns
_LITERAL = re.compile(
    r"\"[^\"]{1,100}\"|\u201c[^\u201d]{1,100}\u201d|"
    r"\b(?:description|display\s+name|subject|message)\s+(?:is\s+|of\s+|:\s*)?'[^']{1,100}'",
    re.I,
)


def find_mentions(text: str) -> list[Mention]:
    out: list[Mention] = []
    literals = [(m.start(), m.end()) for m in _LITERAL.finditer(text)]
    for kind, match in _noun_matches(text):
        if any(start < match.start() < end for start, end in literals):
            continue  # inside a quoted value
        before = text[max(0, match.start() - 80) : match.start()]
        if re.search(r"\b(?:named|called)\s+[\"'`]?$", before, re.I) or re.match(
            r"\.\w|:[A-Za-z*]", text[match.end() :]
        ):
            continue  # a name ("named db") or part of a class ("db.t4g.micro"), not a resource
        if (claimed := not_resource.claimed_before().get(kind)) is not None and claimed.search(before):
            continue  # 'two db.r7g.large instances': the database's own instances
        if re.search(r"[\"'`\u201c\u2018]$", before) and re.match(r"[\"'`\u201d\u2019]", text[match.end() :]):
            continue  # quoted: a name or a literal ("display name 'Alerts'")
        ref = _REF_BEFORE.search(before)
        if ref is not None and re.search(
            r"\b(?:pair|couple|set|fleet|group|number|bunch|handful|few|dozen|cluster)\s+of\s", before[-60:], re.I
        ):
            ref = None  # 'a pair of hosts' counts, it does not refer
        reference = ref is not None and not _NEW_BEFORE.search(ref.group(0))
        verb = kind == "cloudwatch_alarm" and match.group(0).lower() in ("page", "notify", "alert")  # 'page arn:...'
        if re.match(r"\s+(?:arn\s+)?(?:arn:|alias/)", text[match.end() :], re.I) and not verb:
            reference = True  # 'with the KMS key arn:aws:kms:...': an existing resource, named by its ARN
        if _BY_ID.match(text, match.end()):
            reference = True  # 'with security group sg-0123456789abcdef0': an existing resource, by its id
        if _EXISTING_BEFORE.search(before):
            reference = True
        if _NEGATED_BEFORE.search(before):
            reference = True  # 'with no VPC', 'without a queue': a resource the request rules out is not created
        definite = _DEFINITE_BEFORE.search(before)
        if definite and re.search(r"\bnew\b", definite.group(0), re.I) and not _EXISTING_BEFORE.search(before):
            definite = None  # 'feeding the new queue eu-shipments': a resource this request creates
            reference = reference and not re.search(r"\bthe\s+new\s+(?:[\w.-]+\s+){0,2}?$", before, re.I)
        if not reference and definite:
            upto = match.start() - len(before) + definite.start()
            sentence = re.split(r"[.;!?]\s", text[:upto])[-1]
            creates = [v.start() for v in _CREATE_VERB.finditer(sentence)]
            changes = [v.start() for v in _CHANGE_VERB.finditer(sentence)]
            # 'give the build server a role', 'create a bucket and give the lambda x access': that one exists
            reference = not creates or bool(changes and changes[-1] > creates[-1])
            opens = not sentence.strip() and re.match(r"the\b", definite.group(0), re.I)
            if opens and any(o.kind == kind for o in out):
                reference = True  # 'The instance lives in eu-west-1a': the one named before (anaphora)
            bare = not re.match(r"\s*(?:named\b|called\b|[\"'`]|[a-z0-9]+[-_.][\w.-]+)", text[match.end() :], re.I)
            if re.match(r"the\b", definite.group(0), re.I) and bare and any(o.kind == kind and not o.reference
                                                                             for o in out):  # fmt: skip
                reference = True  # 'the queues need a policy so the topic can send': the topic named before
        out.append(Mention(kind, match.start(), match.end(), match.group(0), reference))
    return _merge_same_kind(text, compounds(text, out))


# A noun right before another noun is a modifier: the phrase names the last noun ('an instance role' is a role,
# 'a web server security group' a security group, 'a function URL' a setting of the function), and no resource of
# the first noun is created.  Heads a modifier may stand before, with up to two describing words between them
# ('a queue depth alarm', 'a lambda execution role'):
_RESOURCE_HEADS = (
    r"roles?|(?:instance\s+)?profiles?|polic(?:y|ies)|security\s+groups?|sgs?|firewalls?|"
    r"(?:subnet|parameter|option|log|target|placement)\s+groups?|alarms?|volumes?|users?(?=\s+(?:named|called))"
)
_PART_HEADS = (
    r"endpoints?|urls?|passwords?|credentials?|secrets?|streams?|subscriptions?|certificates?|certs?|triggers?|"
    r"notifications?|key\s+pairs?|(?:kms|encryption|ssh|access|api)\s+keys?"
)
# settings a noun right before names ('a lambda timeout of 30 seconds', 'with bucket versioning'); no describing
# words may come between, which keeps a bare name ('a queue jobs') from reading as one
_SETTING_HEADS = (
    r"time-?outs?|memory|runtimes?|versioning|encryption|retention|storage|backups?|billing(?:\s+mode)?|capacity|"
    r"visibility(?:\s+timeout)?|sizes?|types?|class(?:es)?|engines?|versions?|ttl|index(?:es)?|attributes?|"
    r"(?:flow|access|query|slow\s+query|error|audit)\s+logs?|logging|concurrency|handlers?|lifecycle(?:\s+rules?)?|"
    r"tags?|throughput|iops|delay|cidrs?|dlq|redrive|schedule|settings?|configuration|config|permissions?|"
    r"display\s+name"
)
_NOT_DESCRIBING = (
    r"a|an|the|and|or|with|for|to|of|in|on|at|by|from|into|that|which|who|where|when|whose|named|called|is|are|"
    r"be|has|have|its|their|it|them|plus|then|also|each|every|both|all|one|two|three|four|five|new|as|so|but|"
    r"behind|via|using|per|this|these|those|our|my|can|will|should|must|may|no|not|without|gb|gib|tb|mb|if"
)
_DESCRIBING = rf"(?:\s+(?!(?:{_NOT_DESCRIBING})\b|[a-z]+(?:ing|ed)\b)[a-z]+){{0,2}}?\s+"
_BEFORE_RESOURCE_HEAD = re.compile(rf"{_DESCRIBING}(?:{_RESOURCE_HEADS})(?![\w-])", re.I)
_BEFORE_PART_HEAD = re.compile(rf"{_DESCRIBING}(?:{_PART_HEADS})(?![\w-])", re.I)
_BEFORE_SETTING = re.compile(rf"\s+(?:{_SETTING_HEADS})(?![\w-])", re.I)
# a word after a noun that is not where its phrase ends: 'topic alerts' names the topic, 'topic alerts pager' does not
_NOUN_GOES_ON = re.compile(
    r"[\"'`\u201d\u2019]?\s+(?!(?:and|or|with|that|which|for|in|on|tagged|to|where|so|plus|then|behind|using|"
    r"whose|as|at|from|by)\b)[a-z]",
    re.I,
)


def compounds(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop the mentions that modify the noun after them ('instance' in 'an instance role'), and a one-word noun
    right after a resource noun of another kind, which names it ('the SNS topic alerts' is not an alarm).  A noun
    before a setting ('with a lambda timeout of 30 seconds') is the resource only when no other of its kind is
    named ('Launch an EC2 instance type t3.large')."""
    kept: list[Mention] = []
    for index, m in enumerate(mentions):
        nxt = mentions[index + 1] if index + 1 < len(mentions) else None
        prev = kept[-1] if kept else None
        if (
            prev is not None
            and prev.kind != m.kind
            and not prev.kind.startswith("_")
            and re.fullmatch(r"\s+[\"'`\u201c\u2018]?", text[prev.end : m.start])
            and re.fullmatch(r"[\w-]+", m.text)
            and not _NOUN_GOES_ON.match(text, m.end)
        ):
            continue  # 'an SNS topic alerts and ...': a name
        if nxt is not None and nxt.kind == m.kind and re.fullmatch(r"\s*", text[m.end : nxt.start]):
            kept.append(m)  # 'S3 bucket', 'postgres database instance': one noun, merged later
            continue
        if _BEFORE_RESOURCE_HEAD.match(text, m.end):
            continue  # 'the load balancer security group' is a security group
        if not m.kind.startswith("_") and not_resource.metric_after_noun().match(text, m.end):
            kept.append(Mention("_part", m.start, m.end, m.text, m.reference))  # 'Lambda Errors': a metric of it
        elif m.kind == "_unsupported":
            kept.append(m)  # 'a Kinesis stream' is Kinesis
        elif part := _BEFORE_PART_HEAD.match(text, m.end):
            if not (nxt is not None and nxt.start < part.end()):
                kept.append(Mention("_part", m.start, part.end(), text[m.start : part.end()], m.reference))
        elif setting := _BEFORE_SETTING.match(text, m.end):
            kept.append(Mention(m.kind, m.start, setting.end(), m.text, m.reference, setting=True))
        else:
            kept.append(m)
    new = {m.kind for m in kept if not m.setting and not m.reference}
    return [
        Mention("_part", m.start, m.end, text[m.start : m.end], m.reference)
        if m.setting and m.kind in new
        else Mention(m.kind, m.start, m.start + len(m.text), m.text, m.reference)
        if m.setting
        else m
        for m in kept
    ]


def _merge_same_kind(text: str, mentions: list[Mention]) -> list[Mention]:
    """'S3 bucket', 'lambda function', 'EC2 instance': adjacent mentions of one kind are one mention."""
    merged: list[Mention] = []
    for m in mentions:
        if merged and merged[-1].kind == m.kind and re.fullmatch(r"\s*", text[merged[-1].end : m.start]):
            prev = merged.pop()
            merged.append(Mention(m.kind, prev.start, m.end, text[prev.start : m.end], prev.reference))
        else:
            merged.append(m)
    return merged


def _root_disk(text: str, prev: Mention | None, mention: Mention) -> bool:
    """'an instance with a 100 GB disk': the disk is the instance's root volume, not a volume of its own."""
    if prev is None or prev.kind != "ec2_instance" or mention.kind != "ebs_volume":
        return False
    return bool(re.search(r"\bdisks?$", mention.text, re.I)) and bool(
        re.search(r"\bwith\b", text[prev.end : mention.start], re.I)
    )


def segments(text: str, mentions: list[Mention]) -> list[Segment]:
    """One segment per new resource (mentions of supported kinds that are not references)."""
    new: list[Mention] = []
    for m in mentions:
        if not m.reference and not m.kind.startswith("_") and not _root_disk(text, new[-1] if new else None, m):
            new.append(m)
    out: list[Segment] = []
    start = 0
    for index, mention in enumerate(new):
        if index + 1 < len(new):
            nxt = new[index + 1]
            gap_start = mention.end
            seps = [
                sep
                for sep in _SEPARATOR.finditer(text, gap_start, nxt.start)
                if not (
                    _NAME_LIST.search(text[max(0, sep.start() - 80) : sep.start()])
                    and not _STARTS_NEW.match(text, sep.end())
                )
            ]
            end = seps[-1].start() if seps else nxt.start
        else:
            end = len(text)
        refs = [m for m in mentions if m.reference and start <= m.start < end and not m.kind.startswith("_")]
        parts = [m for m in mentions if m.kind in ("_setting", "_part") and mention.end <= m.start < end]
        raw = text[start:end]
        lead = len(raw) - len(raw.lstrip(" ,;."))  # the text is stripped: its start moves with it
        out.append(Segment(mention.kind, mention, raw.strip(" ,;."), start + lead, end, refs, parts=parts))
        start = end
    return out


def part_of(mention: Mention) -> str | None:
    """The resource kind a setting or part belongs to when its words name it ('SQS queue policy' -> sqs_queue)."""
    if not mention.kind.startswith("_") or mention.kind == "_unsupported":
        return None
    return next((k for k, p in _kind_re() if not k.startswith("_") and p.match(mention.text)), None)


def unsupported(mentions: list[Mention]) -> list[str]:
    """Services the request asks to create that the gate does not build (by their usual name)."""
    out: list[str] = []
    for m in mentions:
        if m.kind == "_unsupported" and not m.reference:
            key = next((k for k in UNSUPPORTED_LABELS if m.text.lower().startswith(k)), m.text.lower())
            label = UNSUPPORTED_LABELS.get(key, m.text)
            if label not in out:
                out.append(label)
    return out


def nouns(text: str) -> list[tuple[str, int, int]]:
    """Every resource noun of the text as (kind, start, end), modifiers included ('bucket' in 'bucket versioning')."""
    return [(kind, match.start(), match.end()) for kind, match in _noun_matches(text)]
