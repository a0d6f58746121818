"""Notifications: Slack, Teams and generic webhooks against tests/fakes/webhook_server.py (posted JSON captured)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gate.audit import FileAuditLog
from gate.config import GateConfig
from gate.publish.facts import Link, facts_from_plan
from gate.publish.notify import WEBHOOK_SCHEMA, send_notifications
from gate.publish.outbox import Outbox
from tests.fakes.webhook_server import FakeWebhooks, webhook_server
from tests.test_jira import PR_URL, sample_plan

TARGETS = [
    {"kind": "slack", "url_env": "SLACK_PROD_URL"},
    {"kind": "teams", "url_env": "TEAMS_PROD_URL"},
    {"kind": "teams", "url_env": "TEAMS_LEGACY_URL", "card": "messagecard"},
    {"kind": "webhook", "url_env": "GATE_HOOK_URL"},
]


def config(**prod: Any) -> GateConfig:
    return GateConfig.model_validate({"notifications": {"prod": {"targets": TARGETS} | prod}})


def environ(hooks: FakeWebhooks) -> dict[str, str]:
    return {
        "SLACK_PROD_URL": hooks.url("/slack/T000/B000/secret-slack"),
        "TEAMS_PROD_URL": hooks.url("/teams/workflow/secret-teams"),
        "TEAMS_LEGACY_URL": hooks.url("/teams-legacy/secret-legacy"),
        "GATE_HOOK_URL": hooks.url("/hook/secret-hook"),
    }


@pytest.fixture
def log(tmp_path: Path) -> FileAuditLog:
    return FileAuditLog(tmp_path / "audit.jsonl")


class Sleeps(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_every_kind_gets_the_same_facts_in_its_own_format(log: FileAuditLog) -> None:
    facts = facts_from_plan(
        sample_plan("blocked"), "prod", "blocked", links=(Link(title="CI run", url="https://ci.example/run/7"),)
    )
    with webhook_server() as hooks:
        outcome = send_notifications(facts, config(), log, environ(hooks), backoff=0)
        assert outcome.sent == (
            "slack:SLACK_PROD_URL",
            "teams:TEAMS_PROD_URL",
            "teams:TEAMS_LEGACY_URL",
            "webhook:GATE_HOOK_URL",
        )
        assert outcome.warnings == () and outcome.queued == ()

        (slack,) = hooks.bodies("/slack/T000/B000/secret-slack")
        assert slack["text"].startswith("Blocked: devops-gate: acme/infra#42 (prod)")
        assert [b["type"] for b in slack["blocks"]] == ["header", "section", "section", "context"]
        fields = {f["text"].split("\n")[0]: f["text"].split("\n")[1] for f in slack["blocks"][1]["fields"]}
        assert fields["*Environment*"] == "prod" and fields["*Findings*"] == "1 high, 1 low"
        assert fields["*Stack*"] == "payments-infra (eu-west-1)"
        context = slack["blocks"][3]["elements"][0]["text"]
        assert f"<{PR_URL}|Pull request>" in context and "<https://ci.example/run/7|CI run>" in context

        (teams,) = hooks.bodies("/teams/workflow/secret-teams")
        attachment = teams["attachments"][0]
        assert teams["type"] == "message"
        assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
        card = attachment["content"]
        assert card["type"] == "AdaptiveCard" and card["body"][0]["color"] == "Attention"
        facts_set = {f["title"]: f["value"] for f in card["body"][1]["facts"]}
        assert facts_set["Findings"] == "1 high, 1 low"
        assert [a["url"] for a in card["actions"]] == [PR_URL, "https://ci.example/run/7"]

        (legacy,) = hooks.bodies("/teams-legacy/secret-legacy")
        assert legacy["@type"] == "MessageCard" and legacy["themeColor"] == "D13438"
        assert {f["name"] for f in legacy["sections"][0]["facts"]} == set(facts_set)
        assert legacy["potentialAction"][0]["targets"][0]["uri"] == PR_URL

        (hook,) = hooks.bodies("/hook/secret-hook")
        assert hook["schema"] == WEBHOOK_SCHEMA and hook["event"] == "blocked"
        assert hook["facts"]["identity"] == PR_URL and hook["facts"]["findings"] == {"HIGH": 1, "LOW": 1}


def test_untrusted_text_cannot_mention_or_link(log: FileAuditLog) -> None:
    facts = facts_from_plan(
        sample_plan("blocked"), "prod", "rolled-back", detail="alarm <!channel> fired @here [x](http://evil)"
    )
    with webhook_server() as hooks:
        send_notifications(facts, config(), log, environ(hooks), backoff=0)
        slack = json.dumps(hooks.bodies("/slack/T000/B000/secret-slack")[0])
        assert "<!channel>" not in slack and "&lt;!channel&gt;" in slack
        teams = json.dumps(hooks.bodies("/teams/workflow/secret-teams")[0])
        assert "[x](http://evil)" not in teams and "\\\\[x\\\\]" in teams


def test_events_not_configured_for_the_environment_are_not_sent(log: FileAuditLog) -> None:
    facts = facts_from_plan(sample_plan("needs-approval"), "prod", "needs-approval")
    with webhook_server() as hooks:
        outcome = send_notifications(facts, config(), log, environ(hooks), backoff=0)
        assert outcome.sent == () and "needs-approval is not in notifications.prod.events" in (outcome.note or "")
        staging = send_notifications(
            facts_from_plan(sample_plan(), "staging", "blocked"), config(), log, environ(hooks)
        )
        assert staging.sent == () and hooks.posts == []


def test_5xx_is_retried_in_the_run(log: FileAuditLog) -> None:
    facts = facts_from_plan(sample_plan("pass"), "prod", "approved")
    sleeps = Sleeps()
    with webhook_server() as hooks:
        hooks.fail_next(2, 502)
        outcome = send_notifications(
            facts, config(targets=TARGETS[:1]), log, environ(hooks), backoff=0.01, sleep=sleeps
        )
        assert outcome.sent == ("slack:SLACK_PROD_URL",)
        assert len(hooks.attempts) == 3 and len(hooks.bodies("/slack/T000/B000/secret-slack")) == 1
        assert sleeps == [0.01, 0.02]

        hooks.fail_next(1, 429, retry_after="30")
        send_notifications(facts, config(targets=TARGETS[:1]), log, environ(hooks), backoff=0.01, sleep=sleeps)
        assert sleeps[-1] == 5.0  # Retry-After honoured, capped so a CI job never hangs


def test_persistent_5xx_goes_to_the_outbox_and_the_next_run_drains_it(
    log: FileAuditLog, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = facts_from_plan(sample_plan("blocked"), "prod", "deployed", detail="stack UPDATE_COMPLETE")
    with webhook_server() as hooks:
        hooks.fail_next(4, 503)  # two targets x two attempts
        cfg = config(targets=TARGETS[:2], attempts=2)
        first = send_notifications(facts, cfg, log, environ(hooks), backoff=0)
        assert first.queued == ("slack:SLACK_PROD_URL", "teams:TEAMS_PROD_URL")
        assert "the slack webhook (SLACK_PROD_URL) answered HTTP 503 after 2 attempt(s)" in first.warnings[0]
        assert hooks.posts == []
        audit = Path(log.path).read_text()
        assert "secret-slack" not in audit and "secret-teams" not in audit  # the outbox names the variable only

        rolled = facts_from_plan(sample_plan("blocked"), "prod", "rolled-back")
        second = send_notifications(rolled, cfg, log, environ(hooks), backoff=0)
        assert second.replayed == ("deployed -> slack:SLACK_PROD_URL", "deployed -> teams:TEAMS_PROD_URL")
        assert second.sent == ("slack:SLACK_PROD_URL", "teams:TEAMS_PROD_URL")
        slack = hooks.bodies("/slack/T000/B000/secret-slack")
        assert [m["text"].split(":")[0] for m in slack] == ["Deployed", "Rolled back"]  # order kept
        assert Outbox(log).pending() == []
    assert capsys.readouterr() == ("", "")  # the library code prints nothing; commands decide


def test_missing_url_variable_is_a_warning_not_a_failure(log: FileAuditLog) -> None:
    facts = facts_from_plan(sample_plan("blocked"), "prod", "blocked")
    outcome = send_notifications(facts, config(targets=TARGETS[:1]), log, {}, backoff=0)
    assert outcome.skipped == ("slack:SLACK_PROD_URL",) and outcome.queued == ()
    assert outcome.warnings == (
        "blocked message to slack:SLACK_PROD_URL not sent: SLACK_PROD_URL is not set in this job",
    )
    assert Outbox(log).pending() == []


@pytest.mark.parametrize(
    ("findings", "waived", "summary"),
    [
        ({}, 0, "no findings"),
        ({"HIGH": 1, "LOW": 2}, 0, "1 high, 2 low"),
        ({"LOW": 2}, 1, "2 low (1 waived)"),
        ({}, 1, "no open findings (1 waived)"),  # not "no findings": a waived finding is still a finding
    ],
)
def test_findings_summary_counts_open_findings_and_waived_apart(
    findings: dict[str, int], waived: int, summary: str
) -> None:
    facts = facts_from_plan(sample_plan("pass"), "prod", "approved")
    assert facts.model_copy(update={"findings": findings, "waived": waived}).findings_summary == summary
