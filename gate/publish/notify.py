"""Chat and webhook notifications: Slack and Microsoft Teams incoming webhooks, and a generic JSON webhook.

One adapter per kind behind :class:`Notifier` (it only builds the JSON body), registered in ``NOTIFIERS``.
Targets are configured per environment in ``.gate.yml`` (``notifications:``) and name the environment
variable that holds the webhook URL: the URL is a secret, so it is read at send time and never printed,
logged or written to the outbox (an outbox item names its target as ``<kind>:<ENV_VAR>``).

Delivery: a few tries in the run for 429/5xx/network errors (short back-off, ``Retry-After`` honoured up to
a cap), then the message goes to the outbox and is retried on the next run.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import ValidationError

from gate.audit import AuditLog
from gate.config import GateConfig, NotificationTarget
from gate.publish import text
from gate.publish.facts import ChangeFacts
from gate.publish.outbox import Outbox, OutboxItem, PublishError

NOTIFY_OP = "notify"
WEBHOOK_SCHEMA = "devops-gate.notification/v1"
MAX_RETRY_AFTER = 5.0
_ICONS = {"blocked": "⛔", "needs-approval": "🟡", "approved": "✅", "deployed": "🚀", "rolled-back": "↩️"}
_HEX = {
    "blocked": "D13438",
    "needs-approval": "FFB900",
    "approved": "0078D4",
    "deployed": "107C10",
    "rolled-back": "D13438",
}
_ADAPTIVE_COLOR = {
    "blocked": "Attention",
    "needs-approval": "Warning",
    "approved": "Accent",
    "deployed": "Good",
    "rolled-back": "Attention",
}


def _facts_table(facts: ChangeFacts) -> list[tuple[str, str]]:
    """(label, plain value) pairs every card shows, in order; values are escaped by each adapter."""
    rows = [
        ("Environment", facts.env),
        ("Verdict", facts.decision),
        ("Findings", facts.findings_summary),
        ("Cost (monthly)", facts.cost_summary),
        ("Resources", f"{facts.resources} ({facts.changes} change(s))"),
        ("Plan", facts.bundle_sha256[:12]),
    ]
    if facts.stack_name:
        rows.insert(1, ("Stack", f"{facts.stack_name} ({facts.region})"))
    return rows


def _links(facts: ChangeFacts) -> list[tuple[str, str]]:
    return [(link.title, url) for link in facts.links if (url := text.safe_url(link.url))]


class Notifier(Protocol):
    kind: str

    def payload(self, facts: ChangeFacts, target: NotificationTarget) -> dict[str, Any]: ...


class SlackNotifier:
    """Slack incoming webhook: Block Kit blocks plus ``text`` (the fallback for notifications)."""

    kind = "slack"

    def payload(self, facts: ChangeFacts, target: NotificationTarget) -> dict[str, Any]:
        del target
        esc = text.slack_escape
        header = text.plain(f"{_ICONS[facts.state]} {facts.label}: {facts.title}", 150)
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": {"type": "plain_text", "text": header, "emoji": True}},
            {
                "type": "section",
                "fields": [{"type": "mrkdwn", "text": f"*{k}*\n{esc(v, 500)}"} for k, v in _facts_table(facts)][:10],
            },
        ]
        lines = [f"• {esc(r, 400)}" for r in facts.reasons[:8]]
        if facts.detail:
            lines.insert(0, esc(facts.detail, 1000))
        if lines:
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)[:2900]}})
        links = " · ".join(f"<{url}|{esc(title, 80)}>" for title, url in _links(facts))
        if links:
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": links}]})
        return {"text": esc(text.headline(facts), 1000), "blocks": blocks}


class TeamsNotifier:
    """Teams: an Adaptive Card in a message (Workflows webhooks), or a legacy connector MessageCard."""

    kind = "teams"

    def payload(self, facts: ChangeFacts, target: NotificationTarget) -> dict[str, Any]:
        esc = text.markdown_escape
        title = f"{facts.label}: {esc(facts.title, 200)}"
        rows = [(k, esc(v, 500)) for k, v in _facts_table(facts)]
        notes = ([esc(facts.detail, 1000)] if facts.detail else []) + [f"- {esc(r, 400)}" for r in facts.reasons[:8]]
        links = _links(facts)
        if target.card == "messagecard":
            section: dict[str, Any] = {"facts": [{"name": k, "value": v} for k, v in rows]}
            if notes:
                section["text"] = "\n\n".join(notes)
            return {
                "@type": "MessageCard",
                "@context": "https://schema.org/extensions",
                "summary": text.plain(text.headline(facts), 200),
                "themeColor": _HEX[facts.state],
                "title": title,
                "sections": [section],
                "potentialAction": [
                    {"@type": "OpenUri", "name": text.plain(t, 80), "targets": [{"os": "default", "uri": u}]}
                    for t, u in links
                ],
            }
        body: list[dict[str, Any]] = [
            {
                "type": "TextBlock",
                "text": title,
                "size": "Large",
                "weight": "Bolder",
                "wrap": True,
                "color": _ADAPTIVE_COLOR[facts.state],
            },
            {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in rows]},
        ]
        if notes:
            body.append({"type": "TextBlock", "text": "\n\n".join(notes), "wrap": True})
        card = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": body,
            "actions": [{"type": "Action.OpenUrl", "title": text.plain(t, 80), "url": u} for t, u in links],
        }
        return {
            "type": "message",
            "attachments": [
                {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
            ],
        }


class WebhookNotifier:
    """Any JSON endpoint: the event, a one-line text and every fact, versioned by ``schema``."""

    kind = "webhook"

    def payload(self, facts: ChangeFacts, target: NotificationTarget) -> dict[str, Any]:
        del target
        return {
            "schema": WEBHOOK_SCHEMA,
            "event": facts.state,
            "text": text.headline(facts),
            "facts": facts.model_dump(mode="json"),
        }


NOTIFIERS: dict[str, Notifier] = {n.kind: n for n in (SlackNotifier(), TeamsNotifier(), WebhookNotifier())}


# -- delivery ------------------------------------------------------------------------------------------------

Sleep = Callable[[float], None]


def post_json(
    url: str, body: dict[str, Any], name: str, *, timeout: float, attempts: int, backoff: float, sleep: Sleep
) -> None:
    """POST ``body``; retries 429/5xx/network errors.  ``name`` (never the URL) is what errors mention."""
    data = json.dumps(body).encode()
    error = "no attempt"
    for attempt in range(attempts):
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked by the caller)
            url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
        )
        delay = backoff * (2**attempt)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                response.read()
            return
        except urllib.error.HTTPError as exc:
            exc.close()
            error = f"{name} answered HTTP {exc.code}"
            if exc.code == 400:
                raise PublishError(f"{error}: the message was rejected", retry=False) from None
            if exc.code != 429 and exc.code < 500:
                raise PublishError(error) from None
            retry_after = exc.headers.get("Retry-After") if exc.headers else None
            if retry_after and retry_after.isdigit():
                delay = min(float(retry_after), MAX_RETRY_AFTER)
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            error = f"cannot reach {name} ({type(exc).__name__})"
        if attempt + 1 < attempts:
            sleep(delay)
    raise PublishError(f"{error} after {attempts} attempt(s)")


@dataclass(frozen=True)
class NotifyOutcome:
    sent: tuple[str, ...] = ()
    queued: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    replayed: tuple[str, ...] = ()
    note: str | None = None


def target_id(target: NotificationTarget) -> str:
    return f"{target.kind}:{target.url_env}"


class _Sender:
    def __init__(self, config: GateConfig, environ: Mapping[str, str], backoff: float, sleep: Sleep) -> None:
        self.config = config
        self.environ = environ
        self.backoff = backoff
        self.sleep = sleep

    def target_for(self, env: str, tid: str) -> NotificationTarget:
        settings = self.config.notifications.get(env)
        for target in settings.targets if settings else ():
            if target_id(target) == tid:
                return target
        kind, _, url_env = tid.partition(":")
        try:
            return NotificationTarget.model_validate({"kind": kind, "url_env": url_env})
        except ValidationError:
            raise PublishError(f"queued notification target {tid!r} is not valid", retry=False) from None

    def send(self, facts: ChangeFacts, target: NotificationTarget, queued: bool = False) -> None:
        url = self.environ.get(target.url_env, "").strip()
        if not url:  # a queued message waits for a run that has the secret (e.g. the merge job, not a fork PR)
            raise PublishError(f"{target.url_env} is not set in this job", retry=queued)
        if not url.startswith(("https://", "http://")):
            raise PublishError(f"{target.url_env} does not hold an http(s) URL", retry=False)
        settings = self.config.notifications.get(facts.env)
        attempts = settings.attempts if settings else 3
        timeout = settings.timeout_seconds if settings else 10.0
        body = NOTIFIERS[target.kind].payload(facts, target)
        name = f"the {target.kind} webhook ({target.url_env})"
        post_json(url, body, name, timeout=timeout, attempts=attempts, backoff=self.backoff, sleep=self.sleep)

    def replay(self, item: OutboxItem) -> None:
        try:
            facts = ChangeFacts.model_validate(item.facts)
        except ValidationError:
            raise PublishError("the queued notification is not readable by this gate version", retry=False) from None
        self.send(facts, self.target_for(facts.env, item.target), queued=True)


def send_notifications(
    facts: ChangeFacts,
    config: GateConfig,
    log: AuditLog,
    environ: Mapping[str, str] | None = None,
    backoff: float = 0.5,
    sleep: Sleep = time.sleep,
) -> NotifyOutcome:
    """Replay queued messages, then send this event to the environment's targets; never raises on delivery."""
    sender = _Sender(config, os.environ if environ is None else environ, backoff, sleep)
    outbox = Outbox(log)
    warnings: list[str] = []
    drained = outbox.drain(NOTIFY_OP, sender.replay)
    for item, error in drained.failed:
        warnings.append(f"queued {item.facts.get('state')} message to {item.target} still failing: {error}")
    for item in drained.abandoned:
        warnings.append(f"gave up on a queued message to {item.target}")
    replayed = tuple(f"{i.facts.get('state')} -> {i.target}" for i in drained.done)
    settings = config.notifications.get(facts.env)
    if settings is None or not settings.targets:
        note = f"no notification targets for environment {facts.env!r}"
        return NotifyOutcome(warnings=tuple(warnings), replayed=replayed, note=note)
    if facts.state not in settings.events:
        note = f"{facts.state} is not in notifications.{facts.env}.events; nothing sent"
        return NotifyOutcome(warnings=tuple(warnings), replayed=replayed, note=note)
    sent: list[str] = []
    queued: list[str] = []
    skipped: list[str] = []
    payload = facts.model_dump(mode="json")
    for target in settings.targets:
        tid = target_id(target)
        if tid in drained.blocked_targets:
            outbox.put(NOTIFY_OP, tid, payload, "an earlier queued message to this target failed")
            queued.append(tid)
            continue
        try:
            sender.send(facts, target)
        except PublishError as exc:
            if exc.retry:
                outbox.put(NOTIFY_OP, tid, payload, exc.message)
                queued.append(tid)
                warnings.append(f"{facts.state} message to {tid} not delivered: {exc.message}; queued in the outbox")
            else:
                skipped.append(tid)
                warnings.append(f"{facts.state} message to {tid} not sent: {exc.message}")
            continue
        sent.append(tid)
    return NotifyOutcome(tuple(sent), tuple(queued), tuple(skipped), tuple(warnings), replayed)
