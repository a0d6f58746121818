"""SNS topics: FIFO, display name, subscriptions (email, HTTPS, SMS, queues and functions in this spec)."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import extract
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
    verbs = r"subscri\w+|fan[- ]?out|deliver\w*|send\w*|push\w*|forward\w*|feed(?:s|ing)?"
    gap = r"(?:[^.;]|\.(?=\S))*"  # within a sentence ('python3.12' does not end it)
    fans = re.search(rf"\b(?:{verbs})\b{gap}\b(?:{noun})s?\b|\b(?:{noun})s?\b{gap}\bsubscri\w+", ctx.request, re.I)
    return bool(fans and (said or len(ctx.names.get(kind, [])) == 1))


_RAW = re.compile(r"\braw\s+(?:message\s+)?deliver\w*|\braw\s+messages?\b|\bwithout\s+(?:the\s+)?sns\s+envelope", re.I)
_VALUES = r"[\"'`]?[\w.:-]+[\"'`]?(?:\s*(?:,|or|/)\s*[\"'`]?[\w.:-]+[\"'`]?)*"
_FILTER = re.compile(
    rf"\b(?:messages?|events?|ones?)\s+(?:whose|where|with)\s+(?:the\s+|an?\s+)?[\"'`]?(?P<a>[\w.:-]+)[\"'`]?\s+"
    rf"(?:message\s+)?attribute\s+(?:is|=|==|equals|of)\s+(?:one\s+of\s+)?(?P<v>{_VALUES})|"
    rf"\bfilter(?:\s+polic(?:y|ies))?\s*(?:on|:|of|with|where)?\s+(?:the\s+)?(?:(?:message\s+)?attribute\s+)?"
    rf"[\"'`]?(?P<a2>[\w.:-]+)[\"'`]?\s*(?:=|==|is|equals|in)\s*(?P<v2>{_VALUES})",
    re.I,
)
_ANYONE = re.compile(
    r"\b(?:anyone|anybody|everyone|everybody|the\s+public|any\s+principal|all\s+principals|public(?:ly)?)\b|"
    r"principal\s*[\"'`]?\*",
    re.I,
)
_PUBLISH = re.compile(r"\bpublish\w*\b|\btopic\s+polic(?:y|ies)\b|\bsns:publish\b", re.I)
_SERVICES = {"eventbridge": "events.amazonaws.com", "s3": "s3.amazonaws.com", "cloudwatch": "cloudwatch.amazonaws.com",
             "ses": "ses.amazonaws.com", "budgets": "budgets.amazonaws.com"}  # fmt: skip


def filter_policy(text: str) -> dict[str, list[str]]:
    """'only messages whose region attribute is eu', 'filter policy eventType = created or updated'."""
    found = _FILTER.search(text)
    if not found:
        return {}
    attribute = found.group("a") or found.group("a2")
    raw = found.group("v") or found.group("v2")
    values = [v.strip("\"'`.") for v in re.split(r"\s*(?:,|\bor\b|/)\s*", raw) if v.strip("\"'`.")]
    return {attribute: values} if values else {}


def delivery(text: str) -> dict[str, Any]:
    """What a subscription's text says about delivery: raw messages, a filter policy."""
    out: dict[str, Any] = {}
    if _RAW.search(text) and extract.flag(text, r"raw\s+(?:message\s+)?deliver\w*|raw\s+messages?") is not False:
        out["raw_message_delivery"] = True
    policy = filter_policy(text)
    if policy:
        out["filter_policy"] = policy
    return out


def publishers(text: str) -> list[str]:
    """Who may publish to the topic, when the request says ('lets anyone publish', 'account 210987654321 publishes')."""
    if not _PUBLISH.search(text):
        return []
    out: list[str] = []
    if _ANYONE.search(text):
        out.append("*")
    out += list(dict.fromkeys(re.findall(r"(?<![\w:/-])(\d{12})(?![\w:/-])", text)))
    out += list(dict.fromkeys(re.findall(r"(?<![\w/-])(arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+\w)", text)))
    for word, principal in _SERVICES.items():
        if re.search(rf"\b(?:let|lets|allow|allows|so)\s+(?:the\s+)?{word}\b[^.;]{{0,30}}\bpublish", text, re.I):
            out.append(principal)
    return out[:20]


class SnsRecogniser:
    kind = "sns_topic"
    default_name = "topic"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        if re.search(r"\bfifo\b", text, re.I):
            out["fifo"] = True
            if extract.flag(text, r"content[- ]based\s+dedup\w*"):
                out["content_based_deduplication"] = True
        who = publishers(text)
        if who:
            out["publishers"] = who
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
        # raw delivery and filters are the subscriptions': in the topic's text, or anywhere when it is the only topic
        how = delivery(text) or (delivery(ctx.request) if len(ctx.names.get(self.kind, [])) == 1 else {})
        for sub in subs:
            if sub["protocol"] in ("sqs", "https") and how.get("raw_message_delivery"):
                sub["raw_message_delivery"] = True
            if how.get("filter_policy"):
                sub["filter_policy"] = how["filter_policy"]
        if subs:
            out["subscriptions"] = subs[:50]
        return out

    def _outside(self, ctx: Ctx, name: str, text: str) -> None:
        """'sends to the queue audit-log' where that queue is not in this change: subscribing it would also
        mean rewriting its queue policy (or the function's permissions), which the gate does not own; say so."""
        verbs = r"subscri\w+|fan[- ]?out|deliver\w*|send\w*|push\w*|forward\w*|feed(?:s|ing)?"
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
