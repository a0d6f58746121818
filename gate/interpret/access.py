"""'can read from the bucket X', 'writes to the DynamoDB table orders' -> least-privilege grants.

Each grant names actions and either a resource in this spec (by name) or an ARN.  A resource outside the
spec whose ARN needs the account id cannot be named safely, so the grant is left out and recorded as an
assumption instead of being guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.interpret.base import Ctx

# service -> verb class -> actions (named one by one: no wildcards)
ACTIONS: dict[str, dict[str, list[str]]] = {
    "s3": {
        "read": ["s3:GetObject", "s3:ListBucket"],
        "write": ["s3:PutObject"],
        "delete": ["s3:DeleteObject"],
    },
    "dynamodb": {
        "read": ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan", "dynamodb:BatchGetItem"],
        "write": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
        "delete": ["dynamodb:DeleteItem"],
    },
    "sqs": {
        "read": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        "write": ["sqs:SendMessage"],
        "delete": ["sqs:DeleteMessage"],
    },
    "sns": {"write": ["sns:Publish"], "read": ["sns:GetTopicAttributes"], "delete": ["sns:Publish"]},
    "logs": {
        "write": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "read": ["logs:GetLogEvents", "logs:FilterLogEvents"],
        "delete": ["logs:DeleteLogStream"],
    },
}
_KINDS = {"s3": "s3_bucket", "dynamodb": "dynamodb_table", "sqs": "sqs_queue", "sns": "sns_topic", "logs": "log_group"}
_NOUNS = {
    "s3": r"s3\s+buckets?|buckets?|s3",
    "dynamodb": r"dynamo(?:db)?\s+tables?|dynamo(?:db)?|tables?",
    "sqs": r"sqs\s+queues?|queues?|sqs",
    "sns": r"sns\s+topics?|topics?|sns",
    "logs": r"log\s+groups?|cloudwatch\s+logs|logs",
}
_VERBS = {
    "read": r"read\w*|get\w*|fetch\w*|download\w*|consum\w*|receiv\w*|poll\w*|query\w*|scan\w*|list\w*|"
    r"process\w*|access\w*",
    "write": r"writ\w*|wrote|put\w*|upload\w*|stor\w*|sav\w*|send\w*|publish\w*|push\w*|post\w*|insert\w*|"
    r"updat\w*|add\w*|access\w*|emit\w*|ship\w*",
    "delete": r"delet\w*|remov\w*",
}
_WRITE_ONLY = r"writ|put|upload|stor|sav|send|publish|push|post|insert|updat|add|emit|ship"
_GRANT = re.compile(
    r"\b(?P<verbs>(?:(?:" + "|".join(_VERBS.values()) + r")(?:\s*(?:,|and|/|&|or)\s*)?){1,4})\s+"
    r"(?:(?:data|objects?|files?|items?|rows?|messages?|events?|records?|notifications?|logs?|access|rights)\s+)?"
    r"(?:(?:to|from|in|into|on|of)\s+)?(?:(?:the|a|an|our|that|this|its|existing)\s+)?"
    r"(?:(?P<pre>[a-z0-9][\w.-]*)\s+(?=(?:" + "|".join(_NOUNS.values()) + r")\b))?"
    r"(?P<noun>" + "|".join(f"(?:{n})" for n in _NOUNS.values()) + r")"
    r"(?:\s+(?:named\s+|called\s+)?[\"'`]?(?P<name>[a-z0-9][a-z0-9._-]*[a-z0-9])[\"'`]?)?",
    re.I,
)
_NOT_NAMES = {
    "and",
    "with",
    "for",
    "in",
    "that",
    "to",
    "the",
    "when",
    "on",
    "of",
    "which",
    "named",
    "called",
    "so",
    "using",
    "every",
    "each",
    "then",
    "tagged",
    "it",
}


@dataclass(frozen=True)
class Grant:
    actions: list[str]
    resource_refs: list[str]
    resources: list[str]


def _service(noun: str) -> str:
    for service, pattern in _NOUNS.items():
        if re.fullmatch(pattern, noun, re.I):
            return service
    return "s3"


def grants(ctx: Ctx, text: str, who: str) -> list[Grant]:
    """The grants ``text`` asks for; ungrantable ones are recorded as assumptions on ``who``."""
    out: list[Grant] = []
    for match in _GRANT.finditer(text):
        service = _service(match.group("noun"))
        verbs = match.group("verbs").lower()
        classes = [c for c, pattern in _VERBS.items() if re.search(rf"\b(?:{pattern})", verbs)]
        if "read" in classes and "write" in classes and not re.search(_WRITE_ONLY, verbs):
            classes = ["read"]  # 'access' alone is both; 'read' alone is read
        if re.fullmatch(r"access\w*", verbs.strip()):
            classes = ["read", "write"]
        actions = list(dict.fromkeys(a for c in classes for a in ACTIONS[service].get(c, [])))
        if not actions:
            continue
        name = match.group("name")
        if name and name.lower() in _NOT_NAMES:
            name = None
        pre = match.group("pre")
        if name is None and pre and pre.lower() not in _NOT_NAMES | {"s3", "sqs", "sns", "dynamodb", "dynamo", "iam"}:
            name = pre  # 'the artifacts bucket'
        kind = _KINDS[service]
        names = ctx.names.get(kind, [])
        ref = next((n for n in names if name and n == name.lower()), None)
        if ref is None and name is None and len(names) == 1:
            ref = names[0]
        if ref is None and name is None and names:
            ref = names[0]
        if ref is not None:
            out.append(Grant(actions, [ref], []))
        elif name and service == "s3":
            out.append(Grant(actions, [], [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]))
        else:
            target = f"{match.group('noun')} {name}" if name else match.group("noun")
            ctx.assume(
                who,
                "permissions",
                f"NOT granted: {', '.join(actions)} on {target}",
                "that resource is not in this change and its ARN needs the account id; put its ARN in the request "
                "(e.g. arn:aws:dynamodb:REGION:ACCOUNT:table/NAME) or create it in the same request",
            )
    return out
