"""A local Jira that answers like the REST API v2 for what the gate uses, for the real ``jira`` library.

Endpoints: serverInfo, field, create issue, search (Server ``/search`` and Cloud ``/search/jql``, JQL
``project = "K" AND labels = "L"``), get/update issue, transitions GET/POST, comments, issue properties.
It keeps state in memory, checks credentials (basic or bearer), and can be told to answer an error status
for the next N requests (``fail_next``).  Runs in a thread on 127.0.0.1:0.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

API = "/rest/api/2"
USER, TOKEN, PAT = "gate-bot@example.com", "api-token-123", "pat-456"

# Global transitions (available from every other status), as a typical change workflow has them.
TRANSITIONS = [
    ("11", "Block", "Blocked"),
    ("21", "Request approval", "Needs approval"),
    ("31", "Approve", "Approved"),
    ("41", "Mark deployed", "Deployed"),
    ("51", "Roll back", "Rolled back"),
]
FIELDS = [
    {"id": "summary", "name": "Summary", "custom": False, "clauseNames": ["summary"]},
    {"id": "description", "name": "Description", "custom": False, "clauseNames": ["description"]},
    {"id": "labels", "name": "Labels", "custom": False, "clauseNames": ["labels"]},
    {"id": "status", "name": "Status", "custom": False, "clauseNames": ["status"]},
    {"id": "environment", "name": "Environment", "custom": False, "clauseNames": ["environment"]},
    {"id": "customfield_10050", "name": "Cost delta", "custom": True, "clauseNames": ["cf[10050]", "Cost delta"]},
    {"id": "customfield_10051", "name": "Gate verdict", "custom": True, "clauseNames": ["cf[10051]"]},
]
_JQL = re.compile(r'^project\s*=\s*"?(?P<project>[A-Z0-9_]+)"?\s+AND\s+labels\s*=\s*"(?P<label>[^"]+)"', re.I)


@dataclass
class FakeJira:
    project: str = "OPS"
    deployment: str = "Server"
    issue_types: tuple[str, ...] = ("Task", "Change")
    workflow: dict[str, tuple[str, ...]] | None = None  # status -> transition names allowed; None: all global
    issues: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    bodies: list[tuple[str, str, Any]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    failing: list[tuple[str, str, int]] = field(default_factory=list)  # (method, path part, status), used once
    base_url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, count: int, status: int = 503) -> None:
        with self.lock:
            self.failures.extend([status] * count)

    def fail_when(self, method: str, contains: str, status: int = 500) -> None:
        """Answer ``status`` to the next ``method`` request whose path contains ``contains``."""
        with self.lock:
            self.failing.append((method, contains, status))

    def issue(self, key: str) -> dict[str, Any]:
        return self.issues[key]

    def status_of(self, key: str) -> str:
        return str(self.issues[key]["fields"]["status"]["name"])

    def set_status(self, key: str, name: str) -> None:
        """What a person does in Jira's UI (e.g. approve the change)."""
        self.issues[key]["fields"]["status"] = {"name": name}

    def comments(self, key: str) -> list[str]:
        return [c["body"] for c in self.issues[key]["comments"]]

    def calls(self, method: str, contains: str = "") -> int:
        return sum(1 for m, p in self.requests if m == method and contains in p)

    # -- behaviour ---------------------------------------------------------------------------------------

    def available(self, key: str) -> list[dict[str, Any]]:
        status = self.status_of(key)
        allowed = self.workflow.get(status, ()) if self.workflow is not None else None
        return [
            {"id": tid, "name": name, "to": {"name": to, "id": tid + "0"}}
            for tid, name, to in TRANSITIONS
            if to != status and (allowed is None or name in allowed)
        ]

    def view(self, issue: dict[str, Any], fields: list[str] | None, props: list[str]) -> dict[str, Any]:
        data = issue["fields"]
        if fields and "*all" not in fields and "*navigable" not in fields:
            data = {k: v for k, v in data.items() if k in fields}
        out = {"id": issue["id"], "key": issue["key"], "self": f"{self.base_url}{API}/issue/{issue['id']}"}
        out["fields"] = dict(data)
        if props:
            out["properties"] = {p: issue["properties"][p] for p in props if p in issue["properties"]}
        return out

    def find(self, ref: str) -> dict[str, Any] | None:
        for issue in self.issues.values():
            if ref in (issue["key"], issue["id"]):
                return issue
        return None


def _split(values: list[str]) -> list[str]:
    return [part for v in values for part in v.split(",") if part]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        del format, args

    def _send(self, status: int, body: Any = None, text: str | None = None) -> None:
        payload = text.encode() if text is not None else (b"" if body is None else json.dumps(body).encode())
        self.send_response(status)
        self.send_header("Content-Type", "text/plain" if text is not None else "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _error(self, status: int, message: str) -> None:
        self._send(status, {"errorMessages": [message], "errors": {}})

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        basic = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()
        return header in (basic, f"Bearer {PAT}")

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        return json.loads(raw) if raw else None

    def _handle(self, method: str) -> None:
        jira = self.server.jira
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        body = self._body() if method in ("POST", "PUT") else None
        with jira.lock:
            jira.requests.append((method, url.path))
            jira.bodies.append((method, url.path, body))
            failure = jira.failures.pop(0) if jira.failures else None
            for rule in jira.failing:
                if failure is None and rule[0] == method and rule[1] in url.path:
                    jira.failing.remove(rule)
                    failure = rule[2]
                    break
        if failure is not None:
            self._error(failure, f"injected failure {failure}")
            return
        if not self._authorised():
            self._send(401, text="Client must be authenticated to access this resource.")
            return
        if not url.path.startswith(API + "/"):
            self._error(404, "not found")
            return
        path = url.path[len(API) + 1 :]
        with jira.lock:
            self._route(jira, method, path, query, body)

    def _route(self, jira: FakeJira, method: str, path: str, query: dict[str, list[str]], body: Any) -> None:
        parts = path.split("/")
        if method == "GET" and path == "serverInfo":
            self._send(
                200,
                {
                    "baseUrl": jira.base_url,
                    "version": "9.12.2",
                    "versionNumbers": [9, 12, 2],
                    "deploymentType": jira.deployment,
                    "buildNumber": 9120002,
                    "serverTitle": "Fake Jira",
                },
            )
        elif method == "GET" and path == "field":
            self._send(200, FIELDS)
        elif method == "POST" and path == "issue":
            self._create(jira, body)
        elif method == "GET" and path in ("search", "search/jql"):
            self._search(jira, path, query)
        elif parts[0] == "issue" and len(parts) >= 2:
            issue = jira.find(parts[1])
            if issue is None:
                self._error(404, "Issue does not exist or you do not have permission to see it.")
            else:
                self._issue(jira, method, issue, parts[2:], query, body)
        else:
            self._error(404, f"no fake for {method} {path}")

    def _create(self, jira: FakeJira, body: Any) -> None:
        fields = dict((body or {}).get("fields") or {})
        project = (fields.pop("project", None) or {}).get("key")
        issue_type = (fields.pop("issuetype", None) or {}).get("name")
        errors = {}
        if project != jira.project:
            errors["project"] = "valid project is required"
        if issue_type not in jira.issue_types:
            errors["issuetype"] = "valid issue type is required"
        if not fields.get("summary") or "\n" in str(fields.get("summary")):
            errors["summary"] = "You must specify a summary of the issue."
        unknown = [k for k in fields if k not in {f["id"] for f in FIELDS}]
        if unknown:
            errors[unknown[0]] = f"Field '{unknown[0]}' cannot be set. It is not on the appropriate screen, or unknown."
        if errors:
            self._send(400, {"errorMessages": [], "errors": errors})
            return
        number = len(jira.issues) + 1
        issue_id, key = str(10000 + number), f"{jira.project}-{number}"
        fields["status"] = {"name": "Open"}
        fields["issuetype"] = {"name": issue_type}
        fields["project"] = {"key": project}
        jira.issues[key] = {"id": issue_id, "key": key, "fields": fields, "properties": {}, "comments": []}
        self._send(201, {"id": issue_id, "key": key, "self": f"{jira.base_url}{API}/issue/{issue_id}"})

    def _search(self, jira: FakeJira, path: str, query: dict[str, list[str]]) -> None:
        if (path == "search/jql") != (jira.deployment == "Cloud"):
            self._error(410 if path == "search" else 404, "use the search endpoint of this deployment")
            return
        match = _JQL.match((query.get("jql") or [""])[0])
        if not match:
            self._error(400, "Error in the JQL Query: the fake understands project = X AND labels = Y only")
            return
        found = [
            i
            for i in jira.issues.values()
            if i["fields"].get("project", {}).get("key") == match["project"]
            and match["label"] in (i["fields"].get("labels") or [])
        ]
        limit = int((query.get("maxResults") or ["50"])[0])
        views = [jira.view(i, _split(query.get("fields", [])), _split(query.get("properties", []))) for i in found]
        if path == "search":
            self._send(200, {"startAt": 0, "maxResults": limit, "total": len(views), "issues": views[:limit]})
        else:
            self._send(200, {"issues": views[:limit], "isLast": True})

    def _issue(
        self,
        jira: FakeJira,
        method: str,
        issue: dict[str, Any],
        rest: list[str],
        query: dict[str, list[str]],
        body: Any,
    ) -> None:
        key = issue["key"]
        if not rest and method == "GET":
            self._send(200, jira.view(issue, _split(query.get("fields", [])), _split(query.get("properties", []))))
        elif not rest and method == "PUT":
            fields = (body or {}).get("fields") or {}
            unknown = [k for k in fields if k not in {f["id"] for f in FIELDS}]
            if unknown:
                self._send(400, {"errorMessages": [], "errors": {unknown[0]: "cannot be set"}})
                return
            issue["fields"].update(fields)
            self._send(204)
        elif rest == ["transitions"] and method == "GET":
            self._send(200, {"expand": "transitions", "transitions": jira.available(key)})
        elif rest == ["transitions"] and method == "POST":
            wanted = str(((body or {}).get("transition") or {}).get("id"))
            match = next((t for t in jira.available(key) if t["id"] == wanted), None)
            if match is None:
                self._error(400, f"Transition id '{wanted}' is not valid for this issue.")
                return
            issue["fields"]["status"] = {"name": match["to"]["name"]}
            self._send(204)
        elif rest == ["comment"] and method == "POST":
            comment = {"id": str(len(issue["comments"]) + 1), "body": (body or {}).get("body", "")}
            comment["self"] = f"{jira.base_url}{API}/issue/{issue['id']}/comment/{comment['id']}"
            issue["comments"].append(comment)
            self._send(201, comment)
        elif rest == ["comment"] and method == "GET":
            comments = issue["comments"]
            self._send(200, {"startAt": 0, "maxResults": len(comments), "total": len(comments), "comments": comments})
        elif len(rest) == 2 and rest[0] == "properties" and method == "PUT":
            existed = rest[1] in issue["properties"]
            issue["properties"][rest[1]] = body
            self._send(200 if existed else 201)
        elif len(rest) == 2 and rest[0] == "properties" and method == "GET":
            if rest[1] not in issue["properties"]:
                self._error(404, "property not found")
            else:
                self._send(200, {"key": rest[1], "value": issue["properties"][rest[1]]})
        else:
            self._error(404, f"no fake for {method} issue/{key}/{'/'.join(rest)}")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    jira: FakeJira


@contextmanager
def jira_server(jira: FakeJira | None = None) -> Iterator[FakeJira]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.jira = jira or FakeJira()
    server.jira.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.jira
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
