"""What every service recogniser shares: the context it reads, the notes it writes, and the Protocol it meets.

A recogniser reads the text of one segment (one resource to create), plus the whole request for things
that apply to everything (region, tags), and returns plain dicts that :class:`gate.spec.ChangeSpec`
validates.  Every default it fills in that the request did not say is recorded with :meth:`Ctx.assume`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from gate.interpret import extract
from gate.interpret.mentions import Mention, Segment
from gate.spec import Assumption

Resource = dict[str, Any]


@dataclass
class Notes:
    """What the recognisers assumed (for the reviewer) and the options a business request weighed."""

    assumptions: list[Assumption] = field(default_factory=list)

    def assume(self, resource: str | None, field_name: str, value: object, reason: str) -> None:
        self.assumptions.append(Assumption(resource=resource, field=field_name, value=str(value), reason=reason))


@dataclass
class Ctx:
    """One segment being built, and what the rest of the spec holds."""

    request: str
    segment: Segment
    notes: Notes
    names: dict[str, list[str]]  # kind -> names of the resources of that kind in this spec
    taken: set[str]
    segment_name: str | None = None  # the name the request gives this resource, if any
    extra: list[Resource] = field(default_factory=list)  # resources a recogniser adds (a trigger's bucket)
    attached: list[str] = field(default_factory=list)  # access phrases after the segment that are about it

    @property
    def access_text(self) -> str:
        """The segment's text and the access phrases attached to it ('a lambda ... that writes to a table X')."""
        return ". ".join([self.text, *self.attached])

    @property
    def text(self) -> str:
        """The segment's text, with the name the request gives masked (so 'nightly-report' is not a schedule)."""
        if not self.segment_name:
            return self.segment.text
        return re.sub(rf"(?<![\w-]){re.escape(self.segment_name)}(?![\w-])", "NAMEREF", self.segment.text)

    def assume(self, resource: str, field_name: str, value: object, reason: str) -> None:
        self.notes.assume(resource, field_name, value, reason)

    def first(self, kind: str) -> str | None:
        found = self.names.get(kind, [])
        return found[0] if found else None

    def claim(self, wanted: str) -> str:
        """A unique resource name based on ``wanted``."""
        base = extract.kebab(wanted)[:58]
        name, n = base, 2
        while name in self.taken:
            name, n = f"{base}-{n}", n + 1
        self.taken.add(name)
        return name

    def ref_to(self, kind: str, text: str | None = None) -> str | None:
        """The name of a resource of ``kind`` the segment refers to: by the name it gives, or the only one."""
        names = self.names.get(kind, [])
        where = text if text is not None else self.text
        for name in names:
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", where, re.I):
                return name
        return names[0] if len(names) == 1 else None

    def refers_to(self, kind: str) -> list[Mention]:
        return [m for m in self.segment.references if m.kind == kind]


class Recogniser(Protocol):
    """One resource kind: how to name it and how to read its settings from a segment."""

    kind: str
    default_name: str

    def build(self, ctx: Ctx, name: str) -> Resource:
        """The resource as a dict for the spec (``kind`` and ``name`` included)."""
        ...


_STOP = {
    "with",
    "for",
    "in",
    "and",
    "that",
    "to",
    "of",
    "on",
    "the",
    "a",
    "an",
    "which",
    "using",
    "from",
    "at",
    "by",
    "named",
    "called",
    "as",
    "enabled",
    "disabled",
    "where",
    "so",
    "is",
    "it",
    "this",
    "its",
    "every",
    "each",
}
# words that follow a resource noun without being its name ('a bucket encrypted with KMS')
_NOT_NAMES = {
    "encrypted",
    "versioned",
    "private",
    "public",
    "enabled",
    "disabled",
    "instead",
    "too",
    "also",
    "here",
    "there",
    "now",
    "please",
    "only",
    "first",
    "today",
    "again",
    "as",
    "per",
    "each",
    "both",
    "across",
    "spanning",
    "setup",
    "running",
    "behind",
    "everywhere",
    "anywhere",
    "instances",
    "servers",
    "queue",
    "topic",
    "table",
    "bucket",
    "function",
    "database",
    "role",
    "policy",
    "group",
    "user",
    "alarm",
    "volume",
    "vpc",
    "subnets",
}
_PURPOSE_RE = re.compile(
    r"\bfor\s+(?:the\s+|our\s+|a\s+|an\s+|my\s+)?((?:[a-z][a-z0-9-]*\s+){0,2}?[a-z][a-z0-9-]*)\s+"
    r"(?:service|app|application|team|api|project|system|workload|website|site|backend|frontend|tool|platform|"
    r"pipeline|job|jobs|micro-?service|squad|department|product)s?\b",
    re.I,
)
_PURPOSE_STOP = {"new", "existing", "small", "cheap", "main", "production", "prod", "staging", "dev", "test"}


# 'name: X', 'identifier X', 'name is X' (the name with a hyphen, digit or dot: a word is no name here)
_NAME_IS = re.compile(  # 'instance id identity-db' names it; 'instance id i-0abc...' is an existing one's id
    rf"\b(?:name|identifier|(?:instance|db|cluster)\s+id)(?:\s+is|\s*[:=])?\s+"
    rf"(?![\"'`]?(?:i|subnet|sg|vpc|ami|vol|snap)-[0-9a-f]{{8}}){extract._NAME}",
    re.I,
)
# a kebab-case name right before the noun, at the start of the resource's text ('edge-pinger lambda')
_NAME_BEFORE = re.compile(
    r"^(?:(?:a|an|the|new|our)\s+)?(?!(?:read|write|read-only|read-write|multi-az|single-az|on-demand|pay-per-request|"
    r"point-in-time|dead-letter|cross-account|cross-region|long-running|short-lived|well-known)\b)"
    r"([a-z0-9]+(?:-[a-z0-9]+)+)\s+$",
    re.I,
)
# 'asked for a contracts-vault bucket', 'we need a new audit-trail bucket': a kebab name after a verb of asking
_NAME_AFTER_ASK = re.compile(
    r"\b(?:for|needs?|wants?|create|add|make|provision|requested|asked\s+for)\s+(?:a|an|one|new)\s+(?:new\s+)?"
    r"(?!(?:read-only|read-write|multi-az|single-az|on-demand|pay-per-request|point-in-time|dead-letter|cross-account|"
    r"cross-region|long-running|short-lived|well-known)\b)([a-z0-9]+(?:-[a-z0-9]+)+)\s+$",
    re.I,
)


def given_name(seg: Segment) -> str | None:
    """The name the request gives this resource: 'named X', 'called X', quoted, or 'bucket acme-logs'."""
    text = seg.text
    cut = min((m.start - seg.start for m in seg.references), default=len(text))
    after = text[seg.mention.end - seg.start :]
    after = re.sub(r"^\s+(?:primary|main|source|writer)(?=\s)", "", after, flags=re.I)  # 'Postgres primary payments-db'
    if re.match(r"\s*arn:", after, re.I):
        return None  # 'page arn:aws:sns:...': an existing resource the mention points to, not this one's name
    said = _NAME_IS.search(text)  # 'Bucket name: acme-invoices', 'identifier ledger-prod', 'name is x-1'
    if said and re.search(r"[-_.\d]", said.group(1)) and said.group(1).lower() not in _STOP:
        return said.group(1).rstrip(".,")
    if before := _NAME_BEFORE.search(text[: seg.mention.start - seg.start]):
        return before.group(1)  # 'edge-pinger lambda on ...', 'data-lake-raw-us bucket, tagged ...'
    direct = re.match(rf"\s*(?:(?:named|called)\s+)?{extract._NAME}(?!/\d)", after)
    if (
        direct
        and direct.group(1).lower() not in _STOP
        and re.search(r"[-_.\d]|^[\"'`]", direct.group(0).strip())
        and re.search(r"[a-z]", direct.group(1), re.I)
        and not re.fullmatch(r"[a-z]+\d*[a-z]*\.[a-z0-9]+|\d+(?:\.\d+)*[a-z]*|db\..*", direct.group(1), re.I)
    ):
        return direct.group(1).rstrip(".,")
    plain = re.match(  # 'm5' of 'instance m5.large' is the class, not a name
        r"\s*([a-z][a-z0-9]{1,40})\s*(?:$|[,;:(]|\.(?![\w-])|(?:and|with|that|which|tagged)\b)", after, re.I
    )
    if plain and plain.group(1).lower() not in _STOP | _NOT_NAMES:
        return plain.group(1)
    colon = re.match(rf"[^:.;]{{0,60}}:\s+{extract._NAME}(?=\s*(?:[.;,]|$))", after)
    if (  # 'bucket for ALB access logs: nimbus-alb-logs-prod.': the name standing alone after the colon
        colon
        and re.fullmatch(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+", colon.group(1).rstrip(".,"), re.I)  # not 'db.t3.small'
        and not re.match(r"(?:subnet|sg|vpc|i|ami|vol|snap|rtb|igw|nat|eni)-[0-9a-f]{8}", colon.group(1), re.I)
        and colon.group(1).lower() not in _STOP
    ):
        return colon.group(1).rstrip(".,")
    limit = max(cut, seg.mention.end - seg.start + 40)
    part = min((m.start - seg.start for m in seg.parts), default=limit)  # 'a database user named app': the user's
    found = extract.named(text[: min(limit, part)])
    if found is None and (asked := _NAME_AFTER_ASK.search(text[: seg.mention.start - seg.start])):
        return asked.group(1)  # 'Legal asked for a contracts-vault bucket': nothing after the noun names it
    return found


def purpose_name(text: str) -> str | None:
    """'for the search service' -> 'search'; 'for the billing team' -> 'billing'."""
    match = _PURPOSE_RE.search(text)
    if not match:
        return None
    words = [w for w in match.group(1).lower().split() if w not in _PURPOSE_STOP and w not in _STOP]
    return "-".join(words) if words else None


_SERVICES = {
    "lambda",
    "lambdas",
    "ec2",
    "ecs",
    "s3",
    "rds",
    "sqs",
    "sns",
    "dynamodb",
    "iam",
    "cloudwatch",
    "functions",
    "containers",
    "tasks",
    "codebuild",
    "glue",
    "eventbridge",
    "fargate",
    "everything",
    "it",
    "them",
    "me",
    "us",
}
_FOR_NOUN = re.compile(
    r"\bfor\s+(?:the\s+|our\s+|all\s+)?([a-z][a-z0-9-]{2,30})(?=\s*(?:$|[,.;]|\b(?:that|which|with|and|in|tagged)\b))",
    re.I,
)


def for_name(text: str) -> str | None:
    """'a bucket for logs that ...' -> 'logs' (a weaker hint than 'for the search service')."""
    match = _FOR_NOUN.search(text)
    if match and match.group(1).lower() not in _STOP | _NOT_NAMES | _PURPOSE_STOP | _SERVICES:
        return match.group(1).lower()
    return None


_GENERIC = {
    "instance",
    "instances",
    "server",
    "servers",
    "database",
    "databases",
    "db",
    "rds",
    "table",
    "queue",
    "topic",
    "function",
    "lambda",
    "bucket",
    "when",
    "if",
    "is",
    "has",
    "goes",
    "exceeds",
    "reaches",
    "above",
    "below",
    "over",
    "under",
}


def reference_name(text: str, noun: str) -> str | None:
    """The name after a referenced noun: 'to the DynamoDB table orders' -> 'orders'; 'bucket "raw"' -> 'raw';
    'the RDS database billing-db' -> 'billing-db' (a second noun is not the name)."""
    pattern = (  # not inside a name: the 'db' of 'orders-db' is no noun
        rf"(?<![\w-])(?:(?:{noun})\s+)+(?:named\s+|called\s+)?[\"'`\u201c\u2018]?([A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])"
    )
    for match in re.finditer(pattern, text, re.I):
        name = match.group(1)
        if name.lower() in _STOP or name.lower() in _GENERIC or re.fullmatch(rf"(?:{noun})", name, re.I):
            continue
        return name
    return None
