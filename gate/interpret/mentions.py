"""Find the resources a request mentions and cut the request into one segment per resource to create.

A *mention* is a noun phrase that names a resource kind ("two t3.medium EC2 instances", "a Postgres 16
database", "an SQS queue").  A mention right after a preposition and a definite word ("to the DynamoDB
table orders", "for Lambda", "in the private subnets") is a *reference* to something that exists or is
created elsewhere, not a new resource.  Each new resource owns the text from the separator before it to
the separator before the next one, so "a VPC with two subnets, two web servers and a postgres database in
the private subnets" becomes three segments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# kind -> head-noun pattern. Longest match wins where patterns overlap ("db instance" beats "instance").
# Kinds starting with "_" are phrases that must not be read as a resource ("root volume", "route table").
NOUNS: dict[str, str] = {
    "s3_bucket": r"s3\s+buckets?|buckets?|s3(?=\s+(?:for|to|named|called|where|that))",
    "ec2_instance": r"ec2\s+instances?|(?:ec2\s+)?(?:instances?|(?:web\s+|app\s+|application\s+|api\s+|bastion\s+)?"
    r"servers?|vms?|virtual\s+machines?|hosts?|boxes|machines?)|ec2",
    "vpc": r"vpcs?|virtual\s+private\s+clouds?|(?:private\s+)?networks?(?=\s+(?:with|named|called|\d))",
    "rds_instance": r"(?:(?:rds|aurora|postgres(?:ql)?|mysql|mariadb|oracle|sql\s+server)\s+(?:\d+(?:\.\d+)*\s+)?)?"
    r"(?:relational\s+)?(?:databases?|dbs?)(?:\s+(?:instances?|servers?|clusters?))?|rds(?:\s+instances?)?|"
    r"(?:postgres(?:ql)?|mysql|mariadb)(?:\s+\d+(?:\.\d+)*(?:\s+(?:instances?|servers?|clusters?))?|\s+(?:instances?|"
    r"servers?|clusters?))|(?:(?<=\ba\s)|(?<=\ban\s)|(?<=\bnew\s))(?:postgres(?:ql)?|mysql|mariadb)",
    "lambda_function": r"(?:aws\s+)?lambda(?:\s+functions?|s)?|(?:serverless\s+)?functions?",
    "iam_role": r"(?:iam\s+)?roles?",
    "iam_user": r"iam\s+users?|users?(?=\s+(?:named|called|for\s+(?:the\s+)?(?:ci|deploy|github|jenkins)|[\"'`]))",
    "iam_group": r"iam\s+groups?|groups?(?=\s+(?:named|called|[\"'`]))",
    "iam_policy": r"(?:iam\s+|managed\s+|inline\s+)polic(?:y|ies)|polic(?:y|ies)(?=\s+(?:named|called|that\s+"
    r"(?:allows|grants|lets)))",
    "cloudwatch_alarm": r"(?:cloudwatch\s+)?alarms?|alerts?|alarm(?=\s+(?:when|if|on))|(?:alert|page|notify)(?=\s+"
    r"(?:me|us|the\s+team|on-?call|ops)\s+(?:when|if))",
    "log_group": r"(?:cloudwatch\s+)?log\s+groups?|(?:cloudwatch\s+)logs",
    "sqs_queue": r"(?:sqs\s+)?(?:fifo\s+)?queues?|sqs",
    "sns_topic": r"(?:sns\s+)?topics?|sns",
    "dynamodb_table": r"(?:dynamo(?:db)?\s+)tables?|dynamo(?:db)?|(?:nosql\s+)?tables?",
    "security_group": r"security\s+groups?|firewall(?:\s+rules?)?|sgs?(?=\s)",
    "ebs_volume": r"(?:ebs\s+)?volumes?|(?:ebs\s+)?disks?|ebs",
    # not resources: settings of another resource, or services the gate does not build
    "_setting": r"root\s+(?:volume|disk)s?|route\s+tables?|subnet\s+groups?|parameter\s+groups?|option\s+groups?|"
    r"(?:bucket|lifecycle|retention|key|password|scaling|redrive|access|deletion|backup|trust|resource)\s+polic(?:y|ies)|"
    r"dead[-\s]letter\s+queues?|dlqs?|read\s+replicas?|replicas?|log\s+retention|access\s+logs?|flow\s+logs?|"
    r"(?:user|instance|cpu|memory|storage)\s+(?:data|profile|types?|class|size|utili[sz]ation)|"
    r"server[-\s]side|(?:database|db)\s+(?:engine|version|class|password|subnets?)|target\s+groups?|"
    r"(?:error|request|message|connection)\s+(?:count|rate)|(?:service|web)\s+users?|end\s+users?",
    "_unsupported": r"load\s+balancers?|albs?|elbs?|nlbs?|cloudfront(?:\s+distributions?)?|cdn|eks(?:\s+clusters?)?|"
    r"kubernetes(?:\s+clusters?)?|ecs(?:\s+(?:clusters?|services?))?|fargate|redis|memcached|elasticache|"
    r"route\s*53|dns\s+records?|hosted\s+zones?|api\s+gateway|step\s+functions?|kinesis|opensearch|"
    r"elasticsearch|redshift|glue|athena|cognito|efs|elastic\s+file\s+system|auto\s*scaling\s+groups?|asgs?|"
    r"nat\s+instances?|transit\s+gateways?|waf|secrets?\s+manager|kms\s+keys?|certificates?|acm",
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
    "redis": "ElastiCache",
    "memcached": "ElastiCache",
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
}

_MENTION_RE = re.compile(
    "|".join(f"(?P<{k.lstrip('_') or k}>(?<![\\w/:-])(?:{p})(?![\\w/-]))" for k, p in NOUNS.items()), re.I
)
_GROUP_KIND = {k.lstrip("_"): k for k in NOUNS}
# a preposition (and optional definite words) right before a noun makes it a reference, not a new resource
_REF_BEFORE = re.compile(
    r"(?:\b(?:to|from|into|onto|on|of|for|by|in|inside|within|behind|against|via|reads?|writes?|access(?:es)?|"
    r"quer(?:y|ies)|scans?|polls?|consumes?|invokes?|calls?|"
    r"monitors?|watch(?:es)?|using|uses?|attached\s+to|subscribed\s+to|publish(?:es)?\s+to|when|whenever|if)\s+"
    r"(?:(?:the|that|this|these|those|our|my|its|their|each|every|all|existing|both|same|current)\s+)*"
    r"(?:[\w.-]+\s+){0,2}?)$",
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


def find_mentions(text: str) -> list[Mention]:
    out: list[Mention] = []
    for match in _MENTION_RE.finditer(text):
        group = match.lastgroup
        if group is None:
            continue
        kind = _GROUP_KIND[group]
        before = text[max(0, match.start() - 80) : match.start()]
        if re.search(r"\b(?:named|called)\s+[\"'`]?$", before, re.I) or re.match(r"\.\w", text[match.end() :]):
            continue  # a name ("named db") or part of a class ("db.t4g.micro"), not a resource
        ref = _REF_BEFORE.search(before)
        if ref is not None and re.search(
            r"\b(?:pair|couple|set|fleet|group|number|bunch|handful|few|dozen|cluster)\s+of\s", before[-60:], re.I
        ):
            ref = None  # 'a pair of hosts' counts, it does not refer
        reference = ref is not None and not _NEW_BEFORE.search(ref.group(0))
        if re.match(r"\s+(?:arn\s+)?(?:arn:|alias/)", text[match.end() :], re.I):
            reference = True  # 'with the KMS key arn:aws:kms:...': an existing resource, named by its ARN
        if _EXISTING_BEFORE.search(before):
            reference = True
        definite = _DEFINITE_BEFORE.search(before)
        if not reference and definite:
            upto = match.start() - len(before) + definite.start()
            sentence = re.split(r"[.;!?]\s", text[:upto])[-1]
            creates = [v.start() for v in _CREATE_VERB.finditer(sentence)]
            changes = [v.start() for v in _CHANGE_VERB.finditer(sentence)]
            # 'give the build server a role', 'create a bucket and give the lambda x access': that one exists
            reference = not creates or bool(changes and changes[-1] > creates[-1])
        out.append(Mention(kind, match.start(), match.end(), match.group(0), reference))
    return _merge_same_kind(text, out)


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
        out.append(Segment(mention.kind, mention, text[start:end].strip(" ,;."), start, end, refs))
        start = end
    return out


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


_PLURAL_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|;\s*|(?<![\w-])and\s+|(?<![\w-])plus\s+)", re.I)
_ONE = re.compile(r"^(?:one|the\s+(?:first|second|third|other)|another)\s+", re.I)
_STOP_NAMES = {"with", "for", "in", "that", "which", "to", "of", "on", "named", "called", "each", "both", "the", "a"}


def expand_plurals(segs: list[Segment], count_of: Callable[[str], int | None]) -> list[Segment]:
    """'two buckets: one named raw and one named curated' -> two segments, one per resource.

    Only for kinds without a count of their own (EC2 instances have ``count``).  A list of names after the noun
    ('queues named orders and refunds, each with a DLQ', 'two tables: orders and customers, both keyed by id')
    names one resource each, and what follows the list applies to all of them.  Otherwise, when the text after the
    noun splits into as many parts as the count, each part is one resource; else the resources are alike.
    """
    out: list[Segment] = []
    for seg in segs:
        head = seg.text[: seg.mention.end - seg.start]
        n = count_of(head) if seg.kind != "ec2_instance" else None
        tail = seg.text[seg.mention.end - seg.start :].lstrip(" :")
        listed = name_list(tail) if seg.kind != "ec2_instance" else None
        if n is None and listed and re.search(r"s$", seg.mention.text, re.I):
            n = len(listed[0])
        if not n or n < 2 or n > 10:
            out.append(seg)
            continue
        if listed and len(listed[0]) == n:
            given, rest = listed
            parts = [f"named {name} {rest}".strip() for name in given]
            labels: list[str | None] = list(given)
        else:
            parts = [_ONE.sub("", p) for p in _PLURAL_SPLIT.split(tail) if p.strip()]
            labels = [_part_name(p) for p in parts]
        adjectives = all(len(p.split()) == 1 and not _is_name(p.strip(" ,.")) for p in parts)
        if len(parts) != n or adjectives:
            parts, labels = [tail] * n, [None] * n  # alike ('encrypted and versioned'): said of every one
        for part, name in zip(parts, labels, strict=True):
            text = f"{head} {part}".strip()  # unnamed ones are named like any resource (and numbered if alike)
            out.append(Segment(seg.kind, seg.mention, text, seg.start, seg.end, seg.references, name))
    return out


# words that end a list of names: 'named orders and refunds, each with ...', '... both keyed by id'
_NOT_A_NAME = {
    "each", "both", "all", "with", "for", "in", "that", "which", "to", "of", "on", "named", "called", "the", "a", "an",
    "and", "or", "using", "where", "so", "is", "are", "it", "them", "their", "its", "as", "at", "by", "from",
    "private", "public", "fifo", "standard", "new", "also", "plus", "then", "every", "one", "two", "three", "four",
}  # fmt: skip
_LIST_ITEM = re.compile(r"[\"'`\u201c\u2018]?([A-Za-z0-9][\w.-]*[A-Za-z0-9]|[A-Za-z0-9])[\"'`\u201d\u2019]?")
_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|(?<![\w-])and\s+|\s+and\s+)", re.I)


def _is_name(word: str) -> bool:
    lowered = word.lower()
    if lowered in _NOT_A_NAME:
        return False
    return bool(re.search(r"[\d_.-]", word)) or not re.search(r"(?:ed|ing|ly)$", lowered)


def name_list(tail: str) -> tuple[list[str], str] | None:
    """('orders', 'refunds'), 'each with a DLQ' for 'named orders and refunds, each with a DLQ'; None when the
    text after the noun does not start with two or more names."""
    at = 0
    named = re.match(r"\s*(?:named|called)\s+", tail, re.I)
    if named:
        at = named.end()
    names: list[str] = []
    while True:
        item = _LIST_ITEM.match(tail, at)
        if item is None or not _is_name(item.group(1)):
            break
        names.append(item.group(1))
        at = item.end()
        sep = _LIST_SEP.match(tail, at)
        if sep is None:
            break
        nxt = _LIST_ITEM.match(tail, sep.end())
        if nxt is None or not _is_name(nxt.group(1)):
            break
        at = sep.end()
    if len(names) < 2:
        return None
    return names, tail[at:].lstrip(" ,;:")


def _part_name(part: str) -> str | None:
    named = re.search(r"\b(?:named|called)\s+[\"'`]?([\w.-]+)", part, re.I)
    if named:
        return named.group(1)
    first = re.match(r"[\"'`]?([A-Za-z0-9][\w.-]*)", part)
    if first and first.group(1).lower() not in _STOP_NAMES and _is_name(first.group(1)):
        return first.group(1)
    return None
