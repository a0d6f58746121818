"""Tickets and notifications against the local fakes: HTTP requests and time per sync, and outbox scan cost.

Target: a re-run that changes nothing costs at most 3 Jira requests (serverInfo, field, search);
scanning an audit log of 10,000 records for pending outbox items takes under 0.2 s.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from gate.audit import FileAuditLog
from gate.config import GateConfig
from gate.publish.facts import facts_from_plan
from gate.publish.jira import JiraTracker
from gate.publish.notify import send_notifications
from gate.publish.outbox import Outbox
from gate.publish.tickets import publish_ticket
from tests.fakes.jira_server import jira_server
from tests.fakes.webhook_server import webhook_server
from tests.test_jira import CREDS, TRANSITIONS, sample_plan, settings


def run() -> list[str]:
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        log = FileAuditLog(Path(tmp) / "audit.jsonl")
        with jira_server() as jira:
            for label, decision, state in (
                ("create + transition", "blocked", "blocked"),
                ("re-run, nothing changed", "blocked", "blocked"),
                ("new plan + transition", "needs-approval", "needs-approval"),
            ):
                before = len(jira.requests)
                started = time.perf_counter()
                tracker = JiraTracker(settings(jira.base_url, transitions=TRANSITIONS), CREDS)
                publish_ticket(facts_from_plan(sample_plan(decision, decision), "prod", state), tracker, log)
                ms = (time.perf_counter() - started) * 1000
                lines.append(f"jira {label:<26} {len(jira.requests) - before:>2} requests  {ms:6.1f} ms")
        with webhook_server() as hooks:
            targets = [{"kind": k, "url_env": f"HOOK_{k.upper()}"} for k in ("slack", "teams", "webhook")]
            config = GateConfig.model_validate({"notifications": {"prod": {"targets": targets}}})
            environ = {f"HOOK_{k.upper()}": hooks.url(f"/{k}") for k in ("slack", "teams", "webhook")}
            facts = facts_from_plan(sample_plan("blocked"), "prod", "blocked")
            started = time.perf_counter()
            send_notifications(facts, config, log, environ, backoff=0)
            lines.append(f"notify 3 targets                  {(time.perf_counter() - started) * 1000:6.1f} ms")
        big = FileAuditLog(Path(tmp) / "big.jsonl")
        box = Outbox(big)
        for n in range(5000):
            item = box.put("notify", "slack:HOOK", {"n": n}, "HTTP 503")
            box.done(item)
        started = time.perf_counter()
        pending = box.pending()
        seconds = time.perf_counter() - started
        lines.append(
            f"outbox scan of 10,000 records     {seconds * 1000:6.1f} ms ({len(pending)} pending; target < 200 ms)"
        )
    return lines
