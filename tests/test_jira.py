"""Change tickets: the real ``jira`` library against tests/fakes/jira_server.py (a local Jira REST API v2)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from gate.audit import FileAuditLog
from gate.config import GateConfig, JiraSettings
from gate.models import GatePlan
from gate.publish.facts import facts_from_plan, ticket_label
from gate.publish.jira import PROPERTY_KEY, JiraTracker
from gate.publish.outbox import Outbox
from gate.publish.tickets import check_approval, is_approved, publish_ticket
from tests.fakes.jira_server import PAT, TOKEN, USER, FakeJira, jira_server

PR_URL = "https://github.com/acme/infra/pull/42"
CREDS = {"JIRA_USER": USER, "JIRA_API_TOKEN": TOKEN}
TRANSITIONS = {
    "blocked": "Block",
    "needs-approval": "Request approval",
    "approved": "Approve",
    "deployed": "Mark deployed",
    "rolled-back": "Roll back",
}


def sample_plan(decision: str = "blocked", content: str = "v1", pr_url: str | None = PR_URL) -> GatePlan:
    """A gate-plan.json as `devops-gate plan` writes it for a PR (built directly: no checks run here)."""
    sha = hashlib.sha256(content.encode()).hexdigest()
    findings = [
        {
            "check_id": "CKV_AWS_20",
            "tool": "checkov",
            "severity": 3 if decision == "blocked" else 2,  # HIGH blocks, MEDIUM asks for approval
            "title": "S3 bucket allows public READ [~admin] *now*",
            "resource": "Invoices",
        },
        {"check_id": "GATE_S3_003", "tool": "policies", "severity": 1, "title": "no lifecycle rule"},
    ]
    data: dict[str, Any] = {
        "gate_version": "0.1.0",
        "created_at": "2026-11-25T07:00:00+00:00",
        "context": {
            "source": "github",
            "repository": "acme/infra",
            "pr_number": 42,
            "pr_url": pr_url,
            "head_sha": "0123456789abcdef0123",
            "actor": "octocat",
        },
        "request": {
            "text": "Create an S3 bucket named acme-invoices\n{noformat}\nh1. hi [~admin] <!channel>",
            "origin": "pr-body",
        },
        "iac": {
            "origin": "synthesised",
            "files": [{"path": "template.yaml", "format": "cloudformation", "sha256": sha, "content": content}],
        },
        "bundle_sha256": sha,
        "template_sha256": sha,
        "stack_name": "payments-infra",
        "region": "eu-west-1",
        "resources": [{"logical_id": "Invoices", "type": "AWS::S3::Bucket", "file": "template.yaml"}],
        "checks": [{"check": "checkov", "status": "ran", "findings": findings}],
        "verdict": {"decision": decision, "reasons": [f"verdict {decision}: 1 finding at or above the threshold"]},
    }
    if "cost" in GatePlan.model_fields:
        data["cost"] = {
            "source": "estimator",
            "region": "eu-west-1",
            "base": "empty",
            "monthly_before": 10.0,
            "monthly_after": 22.5,
            "monthly_delta": 12.5,
        }
    return GatePlan.model_validate(data)


def settings(server: str, **extra: Any) -> JiraSettings:
    return JiraSettings.model_validate(
        {"server": server, "project": "OPS", "issue_type": "Change", "transitions": TRANSITIONS} | extra
    )


def sync(jira: FakeJira, log: FileAuditLog, plan: GatePlan, state: str, env: str = "prod", **kw: Any):  # type: ignore[no-untyped-def]
    tracker = JiraTracker(settings(jira.base_url, **kw), CREDS)
    return publish_ticket(facts_from_plan(plan, env, state), tracker, log)  # type: ignore[arg-type]


@pytest.fixture
def log(tmp_path: Path) -> FileAuditLog:
    return FileAuditLog(tmp_path / "audit.jsonl")


def test_create_then_rerun_updates_the_same_ticket(log: FileAuditLog) -> None:
    with jira_server() as jira:
        first = sync(jira, log, sample_plan("blocked"), "blocked")
        assert first.ref is not None and first.ref.created and first.ref.key == "OPS-1"
        assert first.ref.url == f"{jira.base_url}/browse/OPS-1"
        issue = jira.issue("OPS-1")
        assert jira.status_of("OPS-1") == "Blocked"
        assert set(issue["fields"]["labels"]) == {"devops-gate", ticket_label(PR_URL, "prod")}
        assert issue["fields"]["summary"] == "devops-gate: acme/infra#42 (prod)"
        assert issue["fields"]["issuetype"] == {"name": "Change"}
        prop = issue["properties"][PROPERTY_KEY]
        assert prop["identity"] == PR_URL and prop["env"] == "prod" and prop["state"] == "blocked"
        assert len(jira.comments("OPS-1")) == 1
        assert jira.requests[0] == ("GET", "/rest/api/2/serverInfo")  # connect: the only call before work

        puts_before = jira.calls("PUT", "/issue/10001")
        again = sync(jira, log, sample_plan("blocked"), "blocked")
        assert again.ref is not None and not again.ref.created and again.ref.key == "OPS-1"
        assert list(jira.issues) == ["OPS-1"]  # no duplicate
        assert jira.calls("POST", "/transitions") == 1  # nothing to move
        assert len(jira.comments("OPS-1")) == 1  # nothing new to say
        assert jira.calls("PUT", "/issue/10001") == puts_before  # same content: no edit, no watcher e-mails

        other_env = sync(jira, log, sample_plan("blocked"), "blocked", env="staging")
        assert other_env.ref is not None and other_env.ref.created and other_env.ref.key == "OPS-2"


def test_transitions_follow_the_verdict_and_the_outcome(log: FileAuditLog) -> None:
    config_extra = {"approved_statuses": ["Approved"], "require_approval_before_apply": True}
    with jira_server() as jira:
        sync(jira, log, sample_plan("blocked", "v1"), "blocked", **config_extra)
        assert jira.status_of("OPS-1") == "Blocked"

        fixed = sample_plan("needs-approval", "v2")
        ref = sync(jira, log, fixed, "needs-approval", **config_extra).ref
        assert ref is not None and ref.transitioned and jira.status_of("OPS-1") == "Needs approval"
        assert "Needs approval" in jira.comments("OPS-1")[-1]
        assert "v2" not in jira.issue("OPS-1")["fields"]["description"]
        assert hashlib.sha256(b"v2").hexdigest()[:16] in jira.issue("OPS-1")["fields"]["description"]

        config = GateConfig(jira=settings(jira.base_url, **config_extra))
        tracker = JiraTracker(config.jira, CREDS)  # type: ignore[arg-type]
        check = check_approval(fixed, config, "prod", tracker)
        assert not check.approved and "Needs approval" in check.reason

        jira.set_status("OPS-1", "Approved")  # a person approves in Jira
        assert is_approved(fixed, config, "prod", tracker)
        rerun = sync(jira, log, fixed, "needs-approval", **config_extra).ref
        assert rerun is not None and rerun.state == "approved" and jira.status_of("OPS-1") == "Approved"

        changed = sample_plan("needs-approval", "v3")  # a new commit: the approval was for v2
        assert not is_approved(changed, config, "prod", tracker)
        assert "not this plan" in check_approval(changed, config, "prod", tracker).reason

        sync(jira, log, fixed, "deployed", **config_extra)
        assert jira.status_of("OPS-1") == "Deployed"
        sync(jira, log, fixed, "rolled-back", **config_extra)
        assert jira.status_of("OPS-1") == "Rolled back"
        assert list(jira.issues) == ["OPS-1"]


def test_passing_plan_is_approved_by_the_gate_and_stays_after_deploy(log: FileAuditLog) -> None:
    with jira_server() as jira:
        plan = sample_plan("pass")
        sync(jira, log, plan, "approved")
        assert jira.status_of("OPS-1") == "Approved"
        sync(jira, log, plan, "deployed")
        again = sync(jira, log, plan, "approved").ref  # the PR side re-ran after the deploy
        assert again is not None and again.state == "deployed" and jira.status_of("OPS-1") == "Deployed"


def test_5xx_goes_to_the_outbox_and_the_next_run_drains_it(log: FileAuditLog) -> None:
    with jira_server() as jira:
        jira.fail_next(1, 503)
        failed = sync(jira, log, sample_plan("blocked"), "blocked")
        assert failed.ref is None and failed.queued is not None
        assert any("Jira answered HTTP 503" in w and "outbox" in w for w in failed.warnings)
        assert jira.issues == {}
        pending = Outbox(log).pending("ticket")
        assert [(i.target, i.facts["state"]) for i in pending] == [("jira", "blocked")]

        # the next run (another PR in the same repository) replays the queued update first
        other = sample_plan("pass", "other", pr_url="https://github.com/acme/infra/pull/43")
        later = sync(jira, log, other, "approved")
        assert later.replayed == (PR_URL,)
        assert later.ref is not None and later.ref.key == "OPS-2"
        assert jira.status_of("OPS-1") == "Blocked" and jira.status_of("OPS-2") == "Approved"
        assert Outbox(log).pending() == []
        statuses = [r["status"] for r in log.records() if r["kind"] == "outbox"]
        assert statuses == ["pending", "done"]


def test_failure_after_create_never_duplicates_the_ticket(log: FileAuditLog) -> None:
    with jira_server() as jira:
        jira.fail_when("POST", "/transitions", 500)
        failed = sync(jira, log, sample_plan("blocked"), "blocked")
        assert failed.queued is not None and "HTTP 500 while moving OPS-1" in failed.warnings[0]
        assert jira.status_of("OPS-1") == "Open"
        retried = sync(jira, log, sample_plan("blocked"), "blocked")
        assert retried.ref is not None and not retried.ref.created and retried.ref.transitioned
        assert list(jira.issues) == ["OPS-1"] and jira.status_of("OPS-1") == "Blocked"
        assert Outbox(log).pending() == []


def test_queued_updates_of_the_same_ticket_are_superseded_by_this_run(log: FileAuditLog) -> None:
    with jira_server() as jira:
        jira.fail_next(1, 502)
        assert sync(jira, log, sample_plan("blocked", "v1"), "blocked").queued is not None
        now = sync(jira, log, sample_plan("needs-approval", "v2"), "needs-approval")
        assert now.ref is not None and now.ref.created and jira.status_of("OPS-1") == "Needs approval"
        assert list(jira.issues) == ["OPS-1"]
        notes = [r.get("note") for r in log.records() if r["kind"] == "outbox" and r["status"] == "done"]
        assert notes == ["superseded by a newer update of the same ticket"]


def test_401_is_a_clear_warning_the_op_is_queued_and_credentials_never_show(log: FileAuditLog) -> None:
    with jira_server() as jira:
        tracker = JiraTracker(settings(jira.base_url), {"JIRA_USER": USER, "JIRA_API_TOKEN": "wrong-secret"})
        outcome = publish_ticket(facts_from_plan(sample_plan(), "prod", "blocked"), tracker, log)
        assert outcome.ref is None and outcome.queued is not None
        text = " ".join(outcome.warnings)
        assert "Jira refused the credentials (HTTP 401)" in text and "JIRA_API_TOKEN" in text
        assert "wrong-secret" not in text and "wrong-secret" not in Path(log.path).read_text()

        with_pat = JiraTracker(settings(jira.base_url), {"JIRA_PAT": PAT})
        fixed = publish_ticket(facts_from_plan(sample_plan(), "prod", "blocked"), with_pat, log)
        assert fixed.ref is not None and fixed.ref.key == "OPS-1" and list(jira.issues) == ["OPS-1"]


def test_missing_credentials_and_unreachable_jira_are_queued(log: FileAuditLog) -> None:
    no_creds = JiraTracker(settings("http://127.0.0.1:9"), {})
    outcome = publish_ticket(facts_from_plan(sample_plan(), "prod", "blocked"), no_creds, log)
    assert outcome.queued is not None and "JIRA_USER and JIRA_API_TOKEN" in outcome.warnings[0]
    closed = JiraTracker(settings("http://127.0.0.1:9", timeout_seconds=2), CREDS)
    second = publish_ticket(facts_from_plan(sample_plan(), "prod", "blocked"), closed, log)
    assert second.queued is not None and "cannot reach Jira at http://127.0.0.1:9" in " ".join(second.warnings)
    assert len(Outbox(log).pending()) == 1  # the older item was superseded by this run's


def test_unavailable_transition_is_a_note_and_the_ticket_is_still_updated(log: FileAuditLog) -> None:
    workflow: dict[str, tuple[str, ...]] = {"Open": ("Request approval",), "Needs approval": ("Approve", "Block")}
    with jira_server(FakeJira(workflow=workflow)) as jira:
        outcome = sync(jira, log, sample_plan("blocked"), "blocked")
        assert outcome.ref is not None and outcome.ref.state is None
        assert jira.status_of("OPS-1") == "Open"
        assert any("transition 'Block'" in w and "available: Request approval" in w for w in outcome.warnings)
        assert "Blocked" in jira.issue("OPS-1")["fields"]["description"]


def test_cloud_uses_the_new_search_endpoint_and_field_mapping(log: FileAuditLog) -> None:
    fields = {"cost_delta": "Cost delta", "verdict": "customfield_10051", "environment": "environment"}
    with jira_server(FakeJira(deployment="Cloud")) as jira:
        sync(jira, log, sample_plan("blocked"), "blocked", fields=fields)
        sync(jira, log, sample_plan("blocked"), "blocked", fields=fields)
        assert list(jira.issues) == ["OPS-1"]
        assert jira.calls("GET", "/search/jql") == 2 and jira.calls("GET", "/rest/api/2/search") == 2
        issue = jira.issue("OPS-1")["fields"]
        assert issue["customfield_10051"] == "blocked" and issue["environment"] == "prod"
        if "cost" in GatePlan.model_fields:
            assert issue["customfield_10050"] == 12.5

        bad = sync(jira, log, sample_plan("blocked"), "blocked", fields={"verdict": "No such field"})
        assert bad.queued is None and "Jira has no field 'No such field'" in bad.warnings[0]


def test_plan_without_a_pr_is_tracked_by_its_hash(log: FileAuditLog) -> None:
    plan = sample_plan("needs-approval", pr_url=None)
    with jira_server() as jira:
        sync(jira, log, plan, "needs-approval")
        sync(jira, log, plan, "needs-approval")
        assert list(jira.issues) == ["OPS-1"]
        assert jira.issue("OPS-1")["properties"][PROPERTY_KEY]["identity"] == f"plan:{plan.bundle_sha256}"


def test_outbox_abandons_an_item_after_max_attempts(log: FileAuditLog) -> None:
    box = Outbox(log, max_attempts=3)
    box.put("notify", "slack:HOOK", {"state": "blocked"}, "HTTP 503")
    from gate.publish.outbox import PublishError

    def fail(item: object) -> None:
        raise PublishError("still 503")

    assert box.drain("notify", fail).failed
    result = box.drain("notify", fail)
    assert result.abandoned and box.pending() == []
    assert [r["status"] for r in log.records()] == ["pending", "pending", "abandoned"]
    assert json.loads(Path(log.path).read_text().splitlines()[-1])["attempts"] == 3


# A workflow where Approved is final: nothing leads out of it (Open/Blocked/Needs approval allow everything).
_ALL = ("Block", "Request approval", "Approve", "Mark deployed", "Roll back")
APPROVED_IS_FINAL: dict[str, tuple[str, ...]] = {"Open": _ALL, "Blocked": _ALL, "Needs approval": _ALL, "Approved": ()}
UNMAPPED_NEEDS_APPROVAL = {k: v for k, v in TRANSITIONS.items() if k != "needs-approval"}


@pytest.mark.parametrize(
    ("workflow", "transitions", "new_state"),
    [
        (APPROVED_IS_FINAL, TRANSITIONS, "needs-approval"),  # the workflow has no way out of Approved
        (APPROVED_IS_FINAL, TRANSITIONS, "blocked"),
        (None, UNMAPPED_NEEDS_APPROVAL, "needs-approval"),  # no needs-approval transition mapped
    ],
    ids=["workflow-has-no-exit", "workflow-has-no-exit-blocked", "no-needs-approval-mapped"],
)
def test_an_approval_never_carries_over_to_a_new_plan(
    log: FileAuditLog, workflow: dict[str, tuple[str, ...]] | None, transitions: dict[str, str], new_state: str
) -> None:
    extra = {"approved_statuses": ["Approved"], "require_approval_before_apply": True, "transitions": transitions}
    reviewed, unreviewed = sample_plan("needs-approval", "v2"), sample_plan(new_state, "v3")
    with jira_server(FakeJira(workflow=workflow)) as jira:
        sync(jira, log, reviewed, "needs-approval", **extra)
        if "needs-approval" not in transitions:
            jira.set_status("OPS-1", "Needs approval")  # a person asked for approval by hand
        assert jira.status_of("OPS-1") == "Needs approval"
        jira.set_status("OPS-1", "Approved")  # a person approves v2 in Jira
        config = GateConfig(jira=settings(jira.base_url, **extra))
        tracker = JiraTracker(config.jira, CREDS)  # type: ignore[arg-type]
        assert is_approved(reviewed, config, "prod", tracker)

        outcome = sync(jira, log, unreviewed, new_state, **extra)  # a new commit; the ticket cannot leave Approved
        assert outcome.ref is not None and jira.status_of("OPS-1") == "Approved"
        held = [w for w in outcome.warnings if "approved for plan" in w]
        assert held and reviewed.bundle_sha256[:12] in held[0] and unreviewed.bundle_sha256[:12] in held[0]
        prop = jira.issue("OPS-1")["properties"][PROPERTY_KEY]
        assert prop["bundle_sha256"] == reviewed.bundle_sha256
        assert prop["pending_sha256"] == unreviewed.bundle_sha256
        assert "is NOT approved" in jira.comments("OPS-1")[-1]

        check = check_approval(unreviewed, config, "prod", tracker)
        assert not check.approved and f"approved for plan {reviewed.bundle_sha256[:12]}" in check.reason
        assert is_approved(reviewed, config, "prod", tracker)  # the approval still holds for what was approved

        comments = len(jira.comments("OPS-1"))
        again = sync(jira, log, unreviewed, new_state, **extra)  # re-runs keep warning, never approve v3
        assert any("approved for plan" in w for w in again.warnings)
        assert len(jira.comments("OPS-1")) == comments  # said once
        assert not is_approved(unreviewed, config, "prod", tracker)

        # the way out: a person takes the ticket out of Approved, the gate re-runs, then v3 is approved
        jira.set_status("OPS-1", "Needs approval")
        after = sync(jira, log, unreviewed, "needs-approval", **extra)
        assert not any("approved for plan" in w for w in after.warnings)
        prop = jira.issue("OPS-1")["properties"][PROPERTY_KEY]
        assert prop["bundle_sha256"] == unreviewed.bundle_sha256 and prop["pending_sha256"] is None
        assert not is_approved(unreviewed, config, "prod", tracker)
        jira.set_status("OPS-1", "Approved")
        assert is_approved(unreviewed, config, "prod", tracker)
        assert not is_approved(reviewed, config, "prod", tracker)


def test_a_movable_approved_ticket_goes_back_to_needs_approval_for_a_new_plan(log: FileAuditLog) -> None:
    extra = {"approved_statuses": ["Approved"]}
    with jira_server() as jira:
        sync(jira, log, sample_plan("needs-approval", "v2"), "needs-approval", **extra)
        jira.set_status("OPS-1", "Approved")
        outcome = sync(jira, log, sample_plan("needs-approval", "v3"), "needs-approval", **extra)
        assert outcome.ref is not None and outcome.ref.transitioned and jira.status_of("OPS-1") == "Needs approval"
        assert not any("approved for plan" in w for w in outcome.warnings)
        prop = jira.issue("OPS-1")["properties"][PROPERTY_KEY]
        assert prop["bundle_sha256"] == hashlib.sha256(b"v3").hexdigest() and prop["pending_sha256"] is None
