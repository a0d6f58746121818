"""The parts of a Lambda request beyond runtime and size: an existing execution role, a dead-letter target, a
function URL, a published version behind an alias, and DynamoDB streams that invoke the function.

Each reader takes the function's text and returns the spec fields it says, wherever they stand in the sentence
and whatever the verb ('use the existing role arn:...', 'arn:... is its role'); what it cannot build it says
through ``ctx.assume`` (``not-applied``), never in silence.
"""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import extract
from gate.interpret.base import Ctx

_ROLE_ARN = re.compile(r"(?<![\w/-])(arn:aws[a-z-]*:iam::\d{12}:role/[A-Za-z0-9+=,.@/_-]*[A-Za-z0-9+=@/_-])")
_DLQ_WORDS = re.compile(
    r"dead[- ]letter|\bdlqs?\b|on[- ]failure|failure\s+destination|fail(?:ed|ures?|ing)?\s+(?:async\w*\s+)?"
    r"(?:invocations?|events?)|\b(?:land|go(?:es)?|sent|send|park(?:ed)?)\s+(?:in|to|into)\b",
    re.I,
)
_TARGET_ARN = re.compile(r"(?<![\w/-])(arn:aws[a-z-]*:(?:sqs|sns):[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]*[A-Za-z0-9_-])")
_STREAM_ARN = re.compile(
    r"(?<![\w/-])(arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/[A-Za-z0-9_.-]+/stream/[0-9A-Za-z:._-]*[0-9A-Za-z])"
)
_URL = re.compile(
    r"\bfunction\s+url\b|\blambda\s+url\b|\burl\s+endpoint\b|\bhttps?\s+endpoint\s+of\s+its\s+own\b", re.I
)
_PUBLIC_URL = re.compile(
    r"\bauth(?:entication|ori[sz]ation)?\s*(?:type)?\s*(?:[:=]\s*|is\s+|of\s+)?[\"'`]?none\b|\bno\s+auth\w*\b|"
    r"\bpublic(?:ly)?\s+(?:function\s+)?url\b|\bunauthenticated\b|\bopen\s+to\s+(?:the\s+)?(?:public|internet|world)|"
    r"\banyone\s+(?:can|may|on\s+the\s+internet)\b",
    re.I,
)
_ALIAS = re.compile(r"\balias\s+(?:named\s+|called\s+)?[\"'`]?([A-Za-z][A-Za-z0-9_-]{0,127})[\"'`]?", re.I)
_PROVISIONED = re.compile(
    r"\b(\d+)\s+(?:warm\s+)?provisioned(?:\s+concurren\w+)?(?:\s+executions?)?|"
    r"\bprovisioned\s+concurrency\s+(?:of\s+|to\s+|at\s+|=\s*|:\s*)?(\d+)",
    re.I,
)
_NOT_ALIAS = {"and", "with", "at", "to", "for", "that", "which", "pointing", "points", "named", "called"}


def role_arn(ctx: Ctx, name: str, text: str) -> str | None:
    """'use the existing execution role arn:aws:iam::...:role/x', 'role arn:...': that role; none is created."""
    found = _ROLE_ARN.search(text)
    if found is None:
        return None
    before = text[max(0, found.start() - 60) : found.start()]
    if not re.search(r"\brole\b|\bexecution\b|\bruns?\s+as\b|\bassum\w+\b", before, re.I):
        return None  # a role ARN the function is only given access to ('may assume arn:...')
    if re.search(r"\bassume\s+(?:the\s+)?(?:role\s+)?$", before, re.I):
        return None
    ctx.assume(name, "role_arn", found.group(1), "the request names an existing execution role: the function uses it "
               "as it is and no role is created; that role must trust lambda.amazonaws.com and allow what the "
               "function does (its logs, its triggers' reads)")  # fmt: skip
    return found.group(1)


def dead_letter_arn(text: str) -> str | None:
    """'failed async invocations should land in the existing DLQ arn:aws:sqs:...': the function's DLQ."""
    for found in _TARGET_ARN.finditer(text):
        before = text[max(0, found.start() - 80) : found.start()]
        if _DLQ_WORDS.search(before):
            return found.group(1)
    return None


def url(ctx: Ctx, name: str, text: str) -> dict[str, Any] | None:
    """'with a function URL; auth type AWS_IAM', 'a public function URL (auth NONE)'."""
    if not _URL.search(text) or extract.flag(text, r"function\s+url|lambda\s+url") is False:
        return None
    public = _PUBLIC_URL.search(text)
    if public and not re.search(r"\bnot\s+(?:\w+\s+){0,2}$", text[max(0, public.start() - 20) : public.start()], re.I):
        ctx.assume(name, "url", "AuthType NONE", "the request asks for a function URL anyone on the internet may call "
                   "(no authentication): built as asked, and the policies flag it for review")  # fmt: skip
        return {"auth_type": "NONE"}
    if not re.search(r"\baws_iam\b|\biam\s+auth\w*\b", text, re.I):
        ctx.assume(name, "url", "AuthType AWS_IAM", "secure default: callers sign their requests (SigV4)")
    return {"auth_type": "AWS_IAM"}


def alias(ctx: Ctx, name: str, text: str) -> dict[str, Any] | None:
    """'publish a version and point an alias live at it with 5 provisioned concurrent executions'."""
    found = _ALIAS.search(text)
    provisioned = _PROVISIONED.search(text)
    given = found.group(1) if found and found.group(1).lower() not in _NOT_ALIAS else None
    if given is None and not provisioned and not re.search(r"\bpublish\w*\s+(?:a\s+)?(?:new\s+)?version\b", text, re.I):
        return None
    out: dict[str, Any] = {"name": given or "live"}
    if given is None:
        ctx.assume(name, "alias", "live", "a published version is reached through an alias; the request names none")
    if provisioned:
        out["provisioned_concurrency"] = int(provisioned.group(1) or provisioned.group(2))
    return out


def stream_trigger(ctx: Ctx, text: str) -> dict[str, Any] | None:
    """'reads the stream arn:aws:dynamodb:...:table/Orders/stream/...', 'triggered by the orders table's stream'."""
    found = _STREAM_ARN.search(text)
    out: dict[str, Any] = {"type": "dynamodb"}
    if found:
        out["stream_arn"] = found.group(1)
    else:
        tables = ctx.names.get("dynamodb_table", [])
        said = re.search(
            r"\b(?:reads?|consum\w*|process\w*|triggered\s+by|invoked\s+by|subscrib\w*\s+to|from|on|off)\s+(?:the\s+)?"
            r"(?:[\w`'\"-]+\s+){0,3}?(?:table'?s?\s+)?(?:dynamodb\s+)?streams?\b|\bstreams?\s+of\s+(?:the\s+)?",
            text,
            re.I,
        )
        table = ctx.ref_to("dynamodb_table", text) if said else None
        if table is None or not tables:
            return None
        out["table_ref"] = table
    position = re.search(r"\b(latest|trim[_ ]horizon)\b", text, re.I)
    if position:
        out["starting_position"] = position.group(1).upper().replace(" ", "_")
    batch = re.search(r"\bbatch(?:es)?\s+(?:size\s+)?(?:of\s+)?(\d+)|\b(\d+)\s+records?\s+at\s+a\s+time", text, re.I)
    if batch:
        out["batch_size"] = int(batch.group(1) or batch.group(2))
    if re.search(r"\bbisect\w*\b|\bsplit\s+(?:the\s+)?(?:failing\s+)?batch", text, re.I):
        out["bisect_on_error"] = True
    retries = re.search(r"\b(?:retry|retries|retried)\s+(?:up\s+to\s+)?(\d+)\s*(?:times)?|\bmax(?:imum)?\s+retr\w*\s+"
                        r"(?:attempts\s+)?(?:of\s+)?(\d+)", text, re.I)  # fmt: skip
    if retries:
        out["max_retries"] = int(retries.group(1) or retries.group(2))
    return out
