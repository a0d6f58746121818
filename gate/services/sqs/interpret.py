"""SQS queues: FIFO, visibility timeout, retention, delay, dead-letter queue, KMS."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import extract
from gate.interpret.base import Ctx, Resource
from gate.services.sns.interpret import subscribed

_POLICY = re.compile(r"\b(?:(?:sqs\s+)?queue|access|resource)\s+polic(?:y|ies)\b[^.;]*", re.I)
_DLQ = r"dead[-\s]letter(?:\s+queues?)?|dlqs?|redrive"
_EXISTING_DLQ = re.compile(r"(?<![\w/-])arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+(?<!\.)")
# 'retry each message 5 times', 'retried up to three times': how often a message is received before it is parked
_RETRIED = re.compile(
    rf"\bretr(?:y|ies|ied)\s+(?:each\s+message\s+|messages?\s+|it\s+|them\s+)?(?:up\s+to\s+)?"
    rf"(\d+|{'|'.join(extract.NUMBER_WORDS)})\s+times\b",
    re.I,
)


_SSE_SQS = r"sse[- ]sqs|sqs[- ]managed\s+(?:sse|keys?|encryption)|sqs[- ]owned\s+keys?"
_LONG_POLL = r"long[- ]poll(?:ing)?|receive\s+(?:message\s+)?wait(?:\s+time)?|wait\s+time|poll(?:s|ing)?\s+wait"
_MAX_SIZE = re.compile(
    r"\bmax(?:imum)?\s+(?:message\s+)?size\s+(?:of\s+|is\s+|=\s*|:\s*)?(\d+(?:\.\d+)?)\s*(bytes?|b|kib|kb|k|mib|mb)?\b|"
    r"\bmessages?\s+(?:of\s+)?up\s+to\s+(\d+(?:\.\d+)?)\s*(bytes?|b|kib|kb|k|mib|mb)\b",
    re.I,
)
_DATA_KEY = r"data[- ]key\s+reuse(?:\s+period)?|key\s+reuse(?:\s+period)?|reuse\s+(?:the\s+)?data\s+keys?(?:\s+for)?"
_BYTES = {"k": 1024, "kb": 1024, "kib": 1024, "m": 1048576, "mb": 1048576, "mib": 1048576}


def _max_size(text: str) -> int | None:
    """'max message size 262144 bytes', '256 KB messages' -> bytes (KB read as KiB, as SQS counts)."""
    found = _MAX_SIZE.search(text)
    if not found:
        return None
    amount, unit = (found.group(1), found.group(2)) if found.group(1) else (found.group(3), found.group(4))
    return round(float(amount) * _BYTES.get((unit or "b").lower(), 1))


_VISIBILITY = re.compile(r"\b(?:queue\s+)?visibility(?:\s+time-?out)?\b(?P<rest>(?:[^.;]|\.(?=\d)){0,60})", re.I)


def _visibility_anywhere(ctx: Ctx, name: str) -> int | None:
    """'Function timeout 30s; the queue visibility timeout is 6x that, so 180 seconds': a visibility timeout is a
    queue's, wherever it is written; with one queue in the request, it is that queue's."""
    found = _VISIBILITY.search(ctx.request)
    if found is None or ctx.segment.start <= found.start() < ctx.segment.end:
        return None
    head = ctx.request[max(0, found.start() - 30) : found.start()]
    before = re.search(rf"\b{extract.DUR}\s+$", head, re.I)  # '10 second visibility timeout'
    after = re.match(
        rf"\s*(?:is|of|=|:|to|at)?(?:[^.;,]{{0,20}}?,?\s*(?:so\s+)?)?\b{extract.DUR}", found.group("rest"), re.I
    )
    duration = before or after
    seconds = extract.durations_seconds(duration.group(0)) if duration else []
    if not seconds:
        return None
    start = found.start() - (len(head) - before.start() if before else 0)
    end = (
        found.start("rest") + after.end() if after and not before else found.end("rest") if not before else found.end()
    )
    phrase = ctx.request[start:end].strip()[:80]
    ctx.assume(
        name, "visibility_timeout_s", seconds[0][0], f"read from {phrase!r}: a visibility timeout is the queue's"
    )
    return seconds[0][0]


_TOPIC_ARN = re.compile(r"(?<![\w/-])(arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]*[A-Za-z0-9_-])")
_RECEIVES = re.compile(
    r"\b(?:receiv\w*|subscrib\w*|fed|feeds?|gets?|listen\w*|fan[- ]?out|deliver\w*|messages?)\b[^.;]{0,60}$|"
    r"\b(?:from|to|on)\s+(?:the\s+)?(?:existing\s+)?(?:sns\s+)?topic\s*$",
    re.I,
)


def _from_topics(text: str) -> list[str]:
    """'a queue that receives from the existing topic arn:aws:sns:...': the queue subscribes to it."""
    out = []
    for found in _TOPIC_ARN.finditer(text):
        if _RECEIVES.search(text[max(0, found.start() - 80) : found.start()]):
            out.append(found.group(1))
    return list(dict.fromkeys(out))[:10]


def tuning(ctx: Ctx, name: str, text: str) -> dict[str, Any]:
    """Long polling, the largest message and the SSE settings, wherever they stand in the queue's text."""
    out: dict[str, Any] = {}
    wait = extract.duration_near(text, _LONG_POLL)
    if wait is not None:
        out["receive_wait_s"] = min(20, wait)
    elif extract.flag(text, r"long[- ]poll(?:ing|ed)?"):
        out["receive_wait_s"] = 20
        ctx.assume(name, "receive_wait_s", 20, "long polling asked without a wait time: the SQS maximum, 20 s")
    size = _max_size(text)
    if size is not None:
        out["max_message_size"] = size
    reuse = extract.duration_near(text, _DATA_KEY)
    if reuse is not None:
        out["kms_data_key_reuse_s"] = reuse
    if extract.flag(text, _SSE_SQS) and extract.kms_key(text) is None:  # 'alias/x (not SQS-managed SSE)': KMS
        out["encryption"] = "sqs"
    return out


class SqsRecogniser:
    kind = "sqs_queue"
    default_name = "queue"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        if extract.flag(text, r"fifo|in[- ]order|exactly[- ]once"):  # '(not FIFO)', 'a standard queue, no FIFO': no
            out["fifo"] = True
            if re.search(r"\bcontent[- ]based\s+dedup", text, re.I):
                out["content_based_deduplication"] = True
        visibility = extract.duration_near(text, r"visibility(?:\s+timeout)?|timeout")
        if visibility is None and len(ctx.names.get(self.kind, [])) == 1:
            visibility = _visibility_anywhere(ctx, name)
        if visibility is not None:
            out["visibility_timeout_s"] = min(43200, visibility)
        retention = extract.duration_near(
            text,
            r"retention|retain(?:ed)?|keep(?:s)?\s+(?:messages|msgs)|kept|messages?\s+for|live|lives|"
            r"no\s+longer\s+than",
        )
        if retention is not None:
            out["retention_s"] = max(60, min(1209600, retention))
        delay = extract.duration_near(text, r"delay(?:ed)?|delivery\s+delay")
        if delay is not None:
            out["delay_s"] = min(900, delay)
        dlq = extract.flag(text, _DLQ)
        existing = _EXISTING_DLQ.search(text)
        if dlq is False:
            out["dead_letter"] = None
        else:
            receives = re.search(
                rf"\b(\d+|{'|'.join(extract.NUMBER_WORDS)})\s+(?:failed\s+)?(?:receives?|retries|attempts|tries|failures)\b|"
                r"\bmax(?:imum)?\s*receive\s*count\s*(?:of\s+|=\s*|:\s*)?(\d+)",
                text,
                re.I,
            )
            retried = _RETRIED.search(text)
            if receives:
                count = extract.number(receives.group(1) or receives.group(2)) or 5
                out["dead_letter"] = {"max_receive_count": max(1, min(1000, count))}
            elif retried:
                count = extract.number(retried.group(1)) or 5
                out["dead_letter"] = {"max_receive_count": max(1, min(1000, count))}
                ctx.assume(name, "dead_letter", f"after {count} receives", f"{retried.group(0)!r} read as {count} "
                           "receives before a message moves to the dead-letter queue")  # fmt: skip
            elif dlq is None and existing is None:
                ctx.assume(name, "dead_letter", "a DLQ after 5 receives", "secure default: failed messages are kept")
            if existing:  # 'messages go to the existing DLQ arn:aws:sqs:...': that queue is the DLQ, none is created
                out["dead_letter"] = {**(out.get("dead_letter") or {}), "target_arn": existing.group(0)}
        out.update(tuning(ctx, name, text))
        topics = _from_topics(text)
        if topics:
            out["topic_arns"] = topics
        policy = _POLICY.search(text)
        if policy and not topics and not (ctx.names.get("sns_topic") and subscribed(ctx, self.kind, name)):
            ctx.assume(name, "not-applied", f"a queue policy ({text[policy.start() : policy.start() + 80].strip()!r})",
                       "the gate writes a queue policy only to let an SNS topic created in this request send to the "
                       "queue (e.g. 'and an SNS topic named alerts that sends to the queue jobs'); add other grants by "
                       "hand in a reviewed change")  # fmt: skip
        if re.search(r"\b(?:kms|customer[- ]managed\s+key|cmk)\b", text, re.I):
            arn = re.search(r"\b(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+)", text)
            if arn:
                out["kms_key_arn"] = arn.group(1)
        return out
