"""Jira adapter for the tracker port: one change ticket per PR and environment, through the ``jira`` library.

The ticket is found again by a label derived from the PR URL and environment (``devops-gate-<hash>``, Jira
labels take no spaces) and carries an issue property (``devops-gate``) with the identity, the state the gate
last set and the hash of the plan its status is about (``bundle_sha256``), so an approval is tied to exactly
the plan that was in the ticket when a person approved it.  A newer plan that cannot move an approved ticket
back to needs approval is recorded as ``pending_sha256`` and never inherits the approval.  Workflow transitions
are found by the names configured in ``jira.transitions`` (matching the transition's name or target status).

Credentials come from the environment: ``JIRA_PAT`` (Server/Data Center bearer token) or ``JIRA_USER`` +
``JIRA_API_TOKEN`` (Cloud basic auth).  They are never printed: errors are rebuilt from the status code and
Jira's own error text, never from ``str(JIRAError)`` (which includes the request headers).  The client makes
no retries of its own (``max_retries=0``; its back-off sleeps up to a minute): the outbox retries next run.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests
from jira import JIRA, JIRAError

from gate.audit import now
from gate.config import JiraSettings, TrackerState
from gate.publish import text
from gate.publish.facts import ChangeFacts, ticket_label
from gate.publish.outbox import PublishError
from gate.publish.tracker import TicketRef, TicketStatus

PROPERTY_KEY = "devops-gate"
BASE_LABEL = "devops-gate"
_RANK: dict[str, int] = {"blocked": 0, "needs-approval": 1, "approved": 2, "deployed": 3, "rolled-back": 3}
_CREDENTIALS_FIX = "set JIRA_USER and JIRA_API_TOKEN (Jira Cloud) or JIRA_PAT (Server/Data Center)"


def _safe_text(exc: JIRAError) -> str:
    value = " ".join(str(exc.text or "").split())
    return value[:300]


@contextmanager
def _errors(server: str, doing: str) -> Iterator[None]:
    """Turn the library's errors into PublishError with a message that is safe to print."""
    try:
        yield
    except JIRAError as exc:
        code = exc.status_code
        detail = _safe_text(exc)
        if code == 401:
            msg = f"Jira refused the credentials (HTTP 401) while {doing}; {_CREDENTIALS_FIX}"
        elif code == 403:
            msg = f"Jira denied {doing} (HTTP 403): the Jira user needs permission in the project. {detail}".strip()
        elif code is not None and code >= 500:
            msg = f"Jira answered HTTP {code} while {doing}"
        elif code is None:
            msg = f"Jira failed while {doing}: {detail or 'no answer'}"
        else:
            msg = f"Jira rejected {doing} (HTTP {code}): {detail or 'no detail'}"
        raise PublishError(msg) from None
    except requests.RequestException as exc:
        raise PublishError(f"cannot reach Jira at {server} while {doing} ({type(exc).__name__})") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PublishError(f"Jira's answer was not understood while {doing} ({type(exc).__name__})") from None


def _fingerprint(fields: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()[:16]


class JiraTracker:
    name = "jira"

    def __init__(self, settings: JiraSettings, environ: Mapping[str, str] | None = None) -> None:
        self.settings = settings
        self.environ = os.environ if environ is None else environ
        self._jira: JIRA | None = None
        self._field_ids: dict[str, str] | None = None

    # -- connection -------------------------------------------------------------------------------------

    def _client(self) -> JIRA:
        if self._jira is not None:
            return self._jira
        env = self.environ
        auth: dict[str, Any]
        if env.get("JIRA_PAT"):
            auth = {"token_auth": env["JIRA_PAT"]}
        elif env.get("JIRA_USER") and env.get("JIRA_API_TOKEN"):
            auth = {"basic_auth": (env["JIRA_USER"], env["JIRA_API_TOKEN"])}
        else:
            raise PublishError(f"no Jira credentials in the environment; {_CREDENTIALS_FIX}")
        with _errors(self.settings.server, "connecting (serverInfo)"):
            # serverInfo tells Cloud from Server: Cloud only has the new search endpoint (search/jql).
            self._jira = JIRA(
                server=self.settings.server,
                options={"check_update": False},
                get_server_info=True,
                max_retries=0,
                timeout=self.settings.timeout_seconds,
                logging=False,
                **auth,
            )
        return self._jira

    def close(self) -> None:
        if self._jira is not None:
            self._jira.close()  # type: ignore[no-untyped-call]
            self._jira = None

    def url(self, key: str) -> str:
        return f"{self.settings.server.rstrip('/')}/browse/{key}"

    # -- lookups -----------------------------------------------------------------------------------------

    def _search(self, identity: str, env: str) -> Any | None:
        label = ticket_label(identity, env)
        jql = f'project = "{self.settings.project}" AND labels = "{label}" ORDER BY created ASC'
        jira = self._client()
        with _errors(self.settings.server, "searching for the ticket"):
            found = jira.search_issues(jql, maxResults=5, fields="summary,status,labels", properties=PROPERTY_KEY)
        for issue in found:
            prop = _property(issue)
            if not prop or (prop.get("identity") == identity and prop.get("env") == env):
                return issue
        return None

    def find(self, identity: str, env: str) -> TicketStatus | None:
        issue = self._search(identity, env)
        if issue is None:
            return None
        status = _status(issue) or ""
        prop = _property(issue)
        return TicketStatus(
            key=issue.key,
            url=self.url(issue.key),
            status=status,
            approved=self._approved(status),
            # the plan the status is about (the approved one while a newer plan waits as pending_sha256)
            bundle_sha256=prop.get("bundle_sha256"),
            state=prop.get("state"),
        )

    def _resolve_fields(self) -> dict[str, str]:
        """Field name or id -> id (only read when ``jira.fields`` maps something)."""
        if self._field_ids is None:
            with _errors(self.settings.server, "reading the field list"):
                listed = self._client().fields()
            ids: dict[str, str] = {}
            for field in listed:
                ids[str(field["id"]).casefold()] = str(field["id"])
                ids.setdefault(str(field.get("name", "")).casefold(), str(field["id"]))
            self._field_ids = ids
        return self._field_ids

    def _fields(self, facts: ChangeFacts) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "summary": text.plain(facts.title, 250),
            "description": text.ticket_description(facts),
        }
        if not self.settings.fields:
            return fields
        values: dict[str, Any] = {
            "environment": facts.env,
            "state": facts.label,
            "verdict": facts.decision,
            "cost_delta": facts.cost.monthly_delta if facts.cost else None,
            "findings": facts.findings_summary,
            "findings_count": sum(facts.findings.values()),
            "pr_url": facts.pr_url,
            "plan_sha256": facts.bundle_sha256,
            "repository": facts.repository,
        }
        ids = self._resolve_fields()
        for fact, field in self.settings.fields.items():
            field_id = ids.get(field.casefold())
            if field_id is None:
                raise PublishError(
                    f"Jira has no field {field!r} (jira.fields.{fact} in .gate.yml); use a field id or exact name",
                    retry=False,
                )
            fields[field_id] = values[fact]
        return fields

    # -- sync --------------------------------------------------------------------------------------------

    def sync(self, facts: ChangeFacts) -> TicketRef:
        jira = self._client()
        server = self.settings.server
        issue = self._search(facts.identity, facts.env)
        fields = self._fields(facts)
        fingerprint = _fingerprint(fields)
        created = issue is None
        if issue is None:
            labels = [BASE_LABEL, ticket_label(facts.identity, facts.env), *self.settings.labels]
            create = {
                "project": {"key": self.settings.project},
                "issuetype": {"name": self.settings.issue_type},
                "labels": labels,
                **fields,
            }
            with _errors(server, "creating the ticket"):
                key = str(jira.create_issue(fields=create, prefetch=False).key)
            status, prop = None, {}
        else:
            key, status, prop = str(issue.key), _status(issue), _property(issue)
            if prop.get("fingerprint") != fingerprint:
                with _errors(server, f"updating {key}"):
                    issue.update(fields=fields)
        move = self._move(key, status, prop, facts)
        held = None if created else self._held_approval(prop, move, facts)
        new_plan = facts.bundle_sha256 not in (prop.get("bundle_sha256"), prop.get("pending_sha256"))
        if created or move.moved or new_plan:
            with _errors(server, f"commenting on {key}"):
                jira.add_comment(key, text.ticket_comment(facts))
                if held is not None:
                    jira.add_comment(key, _held_comment(held, facts.bundle_sha256))
        notes, state = move.notes, move.state
        if held is not None:
            notes, state = (*notes, _held_note(key, move.status, held, facts.bundle_sha256)), "approved"
        record = {
            "identity": facts.identity,
            "env": facts.env,
            "state": state,
            "status": move.status,
            # the plan the ticket's status is about: while an approval is held, the approved plan, never a newer one
            "bundle_sha256": prop.get("bundle_sha256") if held is not None else facts.bundle_sha256,
            "pending_sha256": facts.bundle_sha256 if held is not None else None,
            "fingerprint": fingerprint,
        }
        if any(prop.get(k) != v for k, v in record.items()):  # a re-run that changes nothing writes nothing
            with _errors(server, f"saving the {PROPERTY_KEY} property on {key}"):
                jira.add_issue_property(key, PROPERTY_KEY, {**record, "updated_at": now()})
        return TicketRef(key=key, url=self.url(key), created=created, state=state, transitioned=move.moved, notes=notes)

    def _approved(self, status: str | None) -> bool:
        return status is not None and status.casefold() in {s.casefold() for s in self.settings.approved_statuses}

    def _held_approval(self, prop: dict[str, Any], move: _Move, facts: ChangeFacts) -> str | None:
        """The approved plan's hash when the ticket stays approved for it although a different plan arrived.

        An approval belongs to the plan that was in the ticket when a person approved it.  If a new plan
        cannot take the ticket out of its approved status (no transition mapped, or the workflow has none),
        the approved hash is kept and the new plan is only recorded as pending, so apply refuses it.  A plan
        the gate approves itself (``approved``: the verdict passed) is bound to the approval as before.
        """
        if facts.state == "approved" or not self._approved(move.status):
            return None
        if prop.get("bundle_sha256") == facts.bundle_sha256:
            return None
        return str(prop.get("bundle_sha256") or "none")

    def _move(self, key: str, status: str | None, prop: dict[str, Any], facts: ChangeFacts) -> _Move:
        """Transition toward ``facts.state`` by the configured transition name."""
        target = facts.state
        previous = _as_state(str(prop.get("state")))
        same_plan = prop.get("bundle_sha256") == facts.bundle_sha256
        if same_plan and previous == target and status is not None and prop.get("status") == status:
            return _Move(target, status)  # where the gate left it: nothing to ask Jira
        approved = self._approved(status)
        if same_plan and target == "needs-approval" and approved:
            return _Move("approved", status)  # a person approved exactly this plan: a re-run must not undo that
        if same_plan and previous is not None and _RANK[previous] > _RANK[target] and target != "blocked":
            return _Move(previous, status)  # re-running the PR side after deploy/rollback moves nothing
        name = self.settings.transitions.get(target)
        if not name:
            return _Move(target, status)
        with _errors(self.settings.server, f"reading the transitions of {key}"):
            options = self._client().transitions(key)
        wanted = name.casefold()
        match = next((t for t in options if str(t.get("name", "")).casefold() == wanted), None)
        if match is None:
            match = next((t for t in options if str(t.get("to", {}).get("name", "")).casefold() == wanted), None)
        if match is None:
            if status is not None and status.casefold() == wanted:
                return _Move(target, status)
            available = ", ".join(sorted(str(t.get("name")) for t in options)) or "none"
            note = (
                f"{key}: transition {name!r} (jira.transitions.{target}) is not available from status "
                f"{status or 'new'!r}; available: {available}"
            )
            return _Move(previous, status, notes=(note,))
        to_status = str(match.get("to", {}).get("name", "")) or None
        if status is not None and to_status is not None and to_status.casefold() == status.casefold():
            return _Move(target, status)
        with _errors(self.settings.server, f"moving {key} to {facts.label!r} (transition {name!r})"):
            self._client().transition_issue(key, str(match["id"]))
        return _Move(target, to_status, moved=True)


@dataclass(frozen=True)
class _Move:
    state: TrackerState | None
    status: str | None
    moved: bool = False
    notes: tuple[str, ...] = ()


def _held_note(key: str, status: str | None, approved: str, pending: str) -> str:
    return (
        f"{key} stays in status {status!r}, approved for plan {approved[:12]} only: the new plan {pending[:12]} "
        "could not move it back to needs approval (see jira.transitions.needs-approval and the workflow), so "
        "apply refuses the new plan; move the ticket out of its approved status, re-run the gate, then approve it"
    )


def _held_comment(approved: str, pending: str) -> str:
    return (
        f"*devops-gate: plan {{{{{pending[:16]}}}}} is NOT approved.* This ticket's approval is for plan "
        f"{{{{{approved[:16]}}}}} only, and the gate could not move the ticket back to needs approval. "
        "To approve the new plan: move the ticket out of its approved status, re-run the gate, then approve it."
    )


def _as_state(value: str) -> TrackerState | None:
    states: dict[str, TrackerState] = {
        "blocked": "blocked",
        "needs-approval": "needs-approval",
        "approved": "approved",
        "deployed": "deployed",
        "rolled-back": "rolled-back",
    }
    return states.get(value)


def _status(issue: Any) -> str | None:
    status = issue.raw.get("fields", {}).get("status") or {}
    name = status.get("name") if isinstance(status, dict) else None
    return str(name) if name else None


def _property(issue: Any) -> dict[str, Any]:
    props = issue.raw.get("properties") or {}
    value = props.get(PROPERTY_KEY) if isinstance(props, dict) else None
    return value if isinstance(value, dict) else {}
