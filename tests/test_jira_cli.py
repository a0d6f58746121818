"""`devops-gate ticket` / `devops-gate notify` end to end, and golden files for the rendered ticket and messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.cli import main
from gate.config import NotificationTarget
from gate.publish.facts import Link, facts_from_plan
from gate.publish.notify import NOTIFIERS
from gate.publish.text import ticket_comment, ticket_description
from tests.conftest import GOLDEN
from tests.fakes.jira_server import TOKEN, USER, jira_server
from tests.fakes.webhook_server import webhook_server
from tests.helpers import assert_golden
from tests.test_jira import TRANSITIONS, sample_plan


def _write(workdir: Path, decision: str, jira_url: str | None = None, hook_url_env: str | None = None) -> str:
    (workdir / "gate-plan.json").write_text(sample_plan(decision).model_dump_json(indent=2))
    config: dict[str, object] = {}
    if jira_url:
        config["jira"] = {"server": jira_url, "project": "OPS", "transitions": TRANSITIONS}
    if hook_url_env:
        config["notifications"] = {"prod": {"targets": [{"kind": "webhook", "url_env": hook_url_env}]}}
    (workdir / ".gate.yml").write_text(json.dumps(config))
    return str(workdir / "gate-plan.json")


def test_ticket_401_warns_keeps_the_verdict_and_the_next_run_catches_up(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with jira_server() as jira:
        plan = _write(workdir, "blocked", jira.base_url)
        monkeypatch.setenv("JIRA_USER", USER)
        monkeypatch.setenv("JIRA_API_TOKEN", "not-the-token")
        monkeypatch.delenv("JIRA_PAT", raising=False)
        assert main(["ticket", "--plan", plan, "--env", "prod"]) == 1  # the gate's verdict, not a ticket error
        out, err = capsys.readouterr()
        assert "warning: ticket not updated: Jira refused the credentials (HTTP 401)" in err
        assert "queued in the outbox" in err and "not-the-token" not in out + err
        assert jira.issues == {}
        assert '"kind": "outbox"' in (workdir / ".gate-state" / "audit.jsonl").read_text()

        monkeypatch.setenv("JIRA_API_TOKEN", TOKEN)
        assert main(["ticket", "--plan", plan, "--env", "prod"]) == 1
        out, err = capsys.readouterr()
        assert f"ticket: OPS-1 created, moved to Blocked ({jira.base_url}/browse/OPS-1)" in out
        assert err == ""
        assert main(["ticket", "--plan", plan, "--env", "prod", "--state", "deployed"]) == 0
        assert jira.status_of("OPS-1") == "Deployed" and list(jira.issues) == ["OPS-1"]


def test_notify_command_sends_outcomes_and_exits_with_their_code(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with webhook_server() as hooks:
        plan = _write(workdir, "pass", hook_url_env="GATE_HOOK_URL")
        monkeypatch.setenv("GATE_HOOK_URL", hooks.url("/hook/abc"))
        assert main(["notify", "--plan", plan, "--env", "prod"]) == 0
        args = ["notify", "--plan", plan, "--env", "prod", "--state", "rolled-back", "--detail", "alarm p99 fired"]
        assert main([*args, "--link", "CI run=https://ci.example/run/9"]) == 1
        events = [(b["event"], b["facts"]["detail"]) for b in hooks.bodies("/hook/abc")]
        assert events == [("approved", None), ("rolled-back", "alarm p99 fired")]
        assert hooks.bodies("/hook/abc")[1]["facts"]["links"][-1]["url"] == "https://ci.example/run/9"
        out = capsys.readouterr().out
        assert "notify: Approved sent to webhook:GATE_HOOK_URL" in out and "/hook/abc" not in out


def test_ticket_without_jira_config_and_bad_input(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = _write(workdir, "needs-approval")
    assert main(["ticket", "--plan", plan]) == 1
    assert "tickets are off" in capsys.readouterr().out
    assert main(["ticket", "--plan", "missing.json"]) == 2
    assert main(["notify", "--plan", plan, "--link", "no-equals-sign"]) == 2
    assert "is not TITLE=URL" in capsys.readouterr().err


def _golden_facts():  # type: ignore[no-untyped-def]
    links = (Link(title="CI run", url="https://ci.example/run/7"),)
    return facts_from_plan(sample_plan("blocked"), "prod", "blocked", links=links)


def test_ticket_text_golden(update_golden: bool) -> None:
    facts = _golden_facts()
    description = ticket_description(facts)
    assert "{noformat}\nCreate an S3 bucket named acme-invoices\n{ noformat }\nh1. hi [~admin]" in description
    assert "\\[\\~admin\\]" in description  # escaped in the findings table: no mention
    assert_golden(description, GOLDEN / "ticket-blocked.jira.txt", update_golden)
    assert_golden(ticket_comment(facts), GOLDEN / "ticket-comment-blocked.jira.txt", update_golden)


@pytest.mark.parametrize(("kind", "card"), [("slack", "adaptive"), ("teams", "adaptive"), ("teams", "messagecard")])
def test_notification_payload_golden(kind: str, card: str, update_golden: bool) -> None:
    target = NotificationTarget.model_validate({"kind": kind, "url_env": "HOOK", "card": card})
    payload = NOTIFIERS[kind].payload(_golden_facts(), target)
    name = f"notify-{kind}-{card}-blocked.json" if kind == "teams" else f"notify-{kind}-blocked.json"
    assert_golden(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", GOLDEN / name, update_golden)


def test_ticket_with_notify_sends_the_same_facts_to_jira_and_chat(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with jira_server() as jira, webhook_server() as hooks:
        plan = _write(workdir, "blocked", jira.base_url, hook_url_env="GATE_HOOK_URL")
        monkeypatch.setenv("GATE_HOOK_URL", hooks.url("/hook/x"))
        monkeypatch.setenv("JIRA_PAT", "pat-456")
        assert main(["ticket", "--plan", plan, "--env", "prod", "--notify"]) == 1
        out = capsys.readouterr().out
        assert "ticket: OPS-1 created" in out and "notify: Blocked sent to webhook:GATE_HOOK_URL" in out
        (body,) = hooks.bodies("/hook/x")
        assert body["facts"]["findings"] == {"HIGH": 1, "LOW": 1} and "1 high, 1 low" in jira.comments("OPS-1")[0]
