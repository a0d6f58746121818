"""SNS topics: FIFO, display name, subscriptions (email, HTTPS, SMS, queues and functions in this spec)."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret.base import Ctx, Resource
from gate.interpret.extract import kebab

EMAIL_RE = re.compile(r"\b([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
_URL_RE = re.compile(r"\b(https://[^\s,;)\"']+)")
_PHONE_RE = re.compile(r"(?<![\w.])(\+\d{7,15})\b")


def subscriptions(text: str) -> list[dict[str, Any]]:
    """Email addresses, HTTPS URLs and phone numbers in ``text`` as SNS subscriptions."""
    out: list[dict[str, Any]] = [{"protocol": "email", "endpoint": e} for e in dict.fromkeys(EMAIL_RE.findall(text))]
    out += [{"protocol": "https", "endpoint": u.rstrip(".")} for u in dict.fromkeys(_URL_RE.findall(text))]
    out += [{"protocol": "sms", "endpoint": p} for p in dict.fromkeys(_PHONE_RE.findall(text))]
    return out


def subscribed(ctx: Ctx, kind: str, target: str) -> bool:
    """The request has the topics in it send to ``target`` (a queue or function in this change)."""
    said = re.search(rf"(?<![\w-]){re.escape(target)}(?![\w-])", ctx.request)
    noun = "queue" if kind == "sqs_queue" else "lambda|function"
    verbs = r"subscri\w+|fan[- ]?out|deliver\w*|send\w*|push\w*|forward\w*"
    fans = re.search(rf"\b(?:{verbs})\b[^.]*\b(?:{noun})s?\b|\b(?:{noun})s?\b[^.]*\bsubscri\w+", ctx.request, re.I)
    return bool(fans and (said or len(ctx.names.get(kind, [])) == 1))


class SnsRecogniser:
    kind = "sns_topic"
    default_name = "topic"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        if re.search(r"\bfifo\b", text, re.I):
            out["fifo"] = True
        display = re.search(
            r"\bdisplay\s+name\s*(?:is\s+|:\s*|=\s*|of\s+)?(?:[\"'`]([^\"'`]{1,100})[\"'`]|(?!(?:and|with|for)\b)([A-Za-z0-9][\w.-]{0,99}))",
            text,
            re.I,
        )
        if display:
            out["display_name"] = (display.group(1) or display.group(2)).rstrip(".")
        subs = subscriptions(text)
        for kind, protocol in (("sqs_queue", "sqs"), ("lambda_function", "lambda")):
            for target in ctx.names.get(kind, []):
                if subscribed(ctx, kind, target):
                    subs.append({"protocol": protocol, "endpoint_ref": target})
        self._outside(ctx, name, text)
        if subs:
            out["subscriptions"] = subs[:50]
        return out

    def _outside(self, ctx: Ctx, name: str, text: str) -> None:
        """'sends to the queue audit-log' where that queue is not in this change: subscribing it would also
        mean rewriting its queue policy (or the function's permissions), which the gate does not own; say so."""
        verbs = r"subscri\w+|fan[- ]?out|deliver\w*|send\w*|push\w*|forward\w*"
        for found in re.finditer(
            rf"\b(?:{verbs})\b[^.;]*?\b(?P<noun>queue|function|lambda)\s+(?:named\s+|called\s+)?[\"'`]?"
            r"(?P<target>[a-z0-9][a-z0-9._-]*[a-z0-9])",
            text,
            re.I,
        ):
            kind = "sqs_queue" if found.group("noun").lower() == "queue" else "lambda_function"
            target = found.group("target")
            if target.lower() in {"that", "which", "and", "with", "for", "in", "on"}:
                continue
            if kebab(target) not in ctx.names.get(kind, []):
                ctx.assume(
                    name,
                    "not-applied",
                    f"subscribe the existing {found.group('noun').lower()} {target}",
                    "it is not in this change, and subscribing it needs its policy to allow this topic: subscribe "
                    "it in its own stack, or create it in this request",
                )
