"""A local server that answers like GitHub's REST API (and the one GraphQL mutation the gate uses), and checks
every request against GitHub's official OpenAPI description (the operations in
``tests/fixtures/github/openapi-subset.json``): method and path must be a real operation, path and query
parameters must have the declared types, and JSON bodies must validate against the operation's schema.

Anything else is recorded in ``violations`` and answered like GitHub would (404 / 422); tests assert that
``violations`` stays empty. Failures can be injected (``fail_next``) to test retries. Lists of comments and of a
PR's files are paginated as GitHub paginates them (``per_page``, ``page``, a ``Link`` header).

A pull request's changed files and their text at its head and base commits: ``github_files.py``.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema

from tests.fakes.github_files import content, files_page, page_of

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "github"
OPENAPI = json.loads((FIXTURES / "openapi-subset.json").read_text(encoding="utf-8"))
BOT = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot", "node_id": "MDM6Qm90NDE4OTgyODI="}
COMMENT_LIMIT = 65_536
MINIMIZE_REASONS = ("ABUSE", "DUPLICATE", "OFF_TOPIC", "OUTDATED", "RESOLVED", "SPAM")


def _schema(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: 'nullable: true' becomes a null alternative."""
    if isinstance(node, dict):
        out = {k: _schema(v) for k, v in node.items() if k != "nullable"}
        if node.get("nullable"):
            return {"anyOf": [out, {"type": "null"}]}
        return out
    if isinstance(node, list):
        return [_schema(v) for v in node]
    return node


@dataclass
class _Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    spec: dict[str, Any]


def _operations() -> list[_Operation]:
    ops = []
    for template, methods in OPENAPI["paths"].items():
        regex = template
        for param in re.findall(r"\{(\w+)\}", template):
            multi = any(
                p.get("name") == param and p.get("x-multi-segment")
                for spec in methods.values()
                for p in spec["parameters"]
            )
            regex = regex.replace("{" + param + "}", f"(?P<{param}>{'.+' if multi else '[^/]+'})")
        for method, spec in methods.items():
            ops.append(_Operation(method.upper(), template, re.compile(f"^{regex}$"), spec))
    # literal paths first, so '/issues/comments/{id}' wins over '/issues/{issue_number}/...'
    ops.sort(key=lambda o: o.template.count("{"))
    return ops


@dataclass
class Injected:
    method: str
    path: re.Pattern[str]
    status: int
    headers: dict[str, str]
    body: dict[str, Any]
    times: int


@dataclass
class FakeGitHub:
    """State of one repository, seeded from real webhook payloads."""

    repository: dict[str, Any]
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    comment_pr: dict[int, int] = field(default_factory=dict)
    permissions: dict[str, str] = field(default_factory=dict)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    check_runs: list[dict[str, Any]] = field(default_factory=list)
    reactions: list[tuple[int, str]] = field(default_factory=list)
    minimized: set[int] = field(default_factory=set)
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    blobs: dict[int, bytes] = field(default_factory=dict)
    commit_pulls: dict[str, list[int]] = field(default_factory=dict)
    issue_events: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    pull_files: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    trees: dict[str, dict[str, str]] = field(default_factory=dict)  # commit sha -> {path: text}
    reads: list[tuple[str, str | None]] = field(default_factory=list)  # (path, ref) of every contents read
    requests: list[tuple[str, str, Any]] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    injected: list[Injected] = field(default_factory=list)
    url: str = ""
    _next_id: int = 1000
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def full_name(self) -> str:
        return str(self.repository["full_name"])

    # seeding -------------------------------------------------------------------------------------------
    def add_pull(self, pr: dict[str, Any]) -> None:
        self.pulls[int(pr["number"])] = copy.deepcopy(pr)

    def add_comment(self, pr: int, body: str, user: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            return self._new_comment(pr, body, user)

    def add_label(self, pr: int, name: str, actor: dict[str, Any]) -> None:
        """``actor`` adds label ``name`` to the PR: the label shows on the PR and a ``labeled`` event is recorded."""
        with self._lock:
            labels = self.pulls[pr].setdefault("labels", [])
            if all(label.get("name") != name for label in labels):
                labels.append({"id": self._id(), "name": name, "color": "ededed", "default": False})
            self._event(pr, "labeled", actor, {"label": {"name": name, "color": "ededed"}})

    def remove_label(self, pr: int, name: str, actor: dict[str, Any]) -> None:
        with self._lock:
            self.pulls[pr]["labels"] = [lbl for lbl in self.pulls[pr].get("labels", []) if lbl.get("name") != name]
            self._event(pr, "unlabeled", actor, {"label": {"name": name, "color": "ededed"}})

    def _event(self, pr: int, event: str, actor: dict[str, Any], extra: dict[str, Any]) -> None:
        event_id = self._id()
        self.issue_events.setdefault(pr, []).append(
            {
                "id": event_id,
                "node_id": f"LE_kwDO{event_id}",
                "url": f"{self.url}/repos/{self.full_name}/issues/events/{event_id}",
                "actor": actor,
                "event": event,
                "commit_id": None,
                "commit_url": None,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
                "performed_via_github_app": None,
                **extra,
            }
        )

    def add_artifact(self, name: str, files: dict[str, str], head_sha: str, from_fork: bool = False) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for path, text in files.items():
                zf.writestr(path, text)
        artifact_id = self._id()
        repo_id = int(self.repository["id"])
        self.blobs[artifact_id] = buffer.getvalue()
        self.artifacts.append(
            {
                "id": artifact_id,
                "node_id": f"MDg6QXJ0aWZhY3Q{artifact_id}",
                "name": name,
                "size_in_bytes": len(self.blobs[artifact_id]),
                "url": f"{self.url}/repos/{self.full_name}/actions/artifacts/{artifact_id}",
                "archive_download_url": f"{self.url}/repos/{self.full_name}/actions/artifacts/{artifact_id}/zip",
                "expired": False,
                "created_at": f"2026-01-01T00:00:{len(self.artifacts):02d}Z",
                "expires_at": "2026-04-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z",
                "workflow_run": {
                    "id": artifact_id + 1,
                    "repository_id": repo_id,
                    "head_repository_id": repo_id + 1 if from_fork else repo_id,
                    "head_branch": "change",
                    "head_sha": head_sha,
                },
            }
        )

    def fail_next(
        self, method: str, path: str, status: int, headers: dict[str, str] | None = None, times: int = 1
    ) -> None:
        message = "API rate limit exceeded for installation." if status in (403, 429) else "Server Error"
        self.injected.append(Injected(method, re.compile(path), status, headers or {}, {"message": message}, times))

    # views ---------------------------------------------------------------------------------------------
    def pr_comments(self, pr: int) -> list[dict[str, Any]]:
        return [c for cid, c in self.comments.items() if self.comment_pr[cid] == pr]

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def _new_comment(self, pr: int, body: str, user: dict[str, Any]) -> dict[str, Any]:
        cid = self._id()
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        comment = {
            "id": cid,
            "node_id": f"IC_kwDO{cid}",
            "url": f"{self.url}/repos/{self.full_name}/issues/comments/{cid}",
            "html_url": f"https://github.com/{self.full_name}/pull/{pr}#issuecomment-{cid}",
            "issue_url": f"{self.url}/repos/{self.full_name}/issues/{pr}",
            "body": body,
            "user": user,
            "created_at": now,
            "updated_at": now,
            "author_association": "NONE",
        }
        self.comments[cid] = comment
        self.comment_pr[cid] = pr
        return comment


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        fake = self.server.fake
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            fake.violations.append(f"{method} {parts.path}: body is not JSON")
            self._send(400, {"message": "Problems parsing JSON"})
            return
        with fake._lock:
            fake.requests.append((method, parts.path, body))
            for inj in fake.injected:
                if inj.times > 0 and inj.method == method and inj.path.search(parts.path):
                    inj.times -= 1
                    self._send(inj.status, inj.body, inj.headers)
                    return
        if not (self.headers.get("Authorization") or "").startswith(("token ", "Bearer ")):
            fake.violations.append(f"{method} {parts.path}: no token")
            self._send(401, {"message": "Requires authentication"})
            return
        if parts.path.startswith("/_blobs/"):
            self._blob(int(parts.path.rsplit("/", 1)[1]))
            return
        if parts.path == "/graphql" and method == "POST":
            self._graphql(body)
            return
        op, params = self._match(method, parts.path)
        if op is None:
            fake.violations.append(f"{method} {parts.path}: not an operation of GitHub's REST API")
            self._send(404, {"message": "Not Found"})
            return
        problem = self._validate(op, params, parse_qs(parts.query), body)
        if problem:
            fake.violations.append(f"{method} {op.template}: {problem}")
            self._send(422, {"message": "Validation Failed", "errors": [problem]})
            return
        with fake._lock:
            status, answer, headers = _answer(fake, op.spec["operationId"], params, body, parse_qs(parts.query))
            # API links in the seeded webhook payloads point at api.github.com: answer with this server's links
            answer = json.loads(json.dumps(answer).replace("https://api.github.com", fake.url))
        if status < 400 and str(status) not in op.spec["responses"]:
            fake.violations.append(f"fake answered {status} to {op.spec['operationId']} (not a documented status)")
        self._send(status, answer, headers)

    def _match(self, method: str, path: str) -> tuple[_Operation | None, dict[str, str]]:
        for op in self.server.operations:
            match = op.pattern.match(path)
            if op.method == method and match:
                return op, match.groupdict()
        return None, {}

    @staticmethod
    def _validate(op: _Operation, params: dict[str, str], query: dict[str, list[str]], body: Any) -> str | None:
        declared = {(p["in"], p["name"]): p for p in op.spec["parameters"]}
        for name, value in params.items():
            spec = declared.get(("path", name))
            if spec is None:
                return f"path parameter {name} is not declared"
            if spec["schema"].get("type") == "integer" and not value.isdigit():
                return f"path parameter {name}={value!r} is not an integer"
        for name, values in query.items():
            spec = declared.get(("query", name))
            if spec is None:
                return f"query parameter {name} is not declared"
            if spec["schema"].get("type") == "integer" and not values[0].isdigit():
                return f"query parameter {name}={values[0]!r} is not an integer"
        request_body = op.spec.get("requestBody")
        if request_body is None:
            return "a body was sent to an operation that takes none" if body not in (None, {}) else None
        if body is None:
            return "the operation requires a JSON body" if request_body.get("required") else None
        schema = _schema(request_body["content"]["application/json"]["schema"])
        try:
            jsonschema.validate(body, schema)
        except jsonschema.ValidationError as exc:
            return f"body does not match GitHub's schema: {exc.message}"
        return None

    def _graphql(self, body: Any) -> None:
        fake = self.server.fake
        query = (body or {}).get("query", "")
        data = ((body or {}).get("variables") or {}).get("input") or {}
        if "minimizeComment" not in query or set(data) - {"subjectId", "classifier", "clientMutationId"}:
            fake.violations.append(f"graphql: unsupported operation {query[:80]!r}")
            self._send(200, {"errors": [{"message": "unsupported by the fake"}]})
            return
        if data.get("classifier") not in MINIMIZE_REASONS:
            fake.violations.append(f"graphql: bad classifier {data.get('classifier')!r}")
            self._send(200, {"errors": [{"message": "bad classifier"}]})
            return
        with fake._lock:
            found = [cid for cid, c in fake.comments.items() if c["node_id"] == data.get("subjectId")]
            if not found:
                self._send(200, {"errors": [{"type": "NOT_FOUND", "message": "Could not resolve to a node"}]})
                return
            fake.minimized.add(found[0])
        self._send(200, {"data": {"minimizeComment": {"minimizedComment": {"isMinimized": True}}}})

    def _blob(self, artifact_id: int) -> None:
        data = self.server.fake.blobs.get(artifact_id)
        if data is None:
            self._send(404, {"message": "Not Found"})
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/zip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _answer(
    fake: FakeGitHub, operation: str, p: dict[str, str], body: Any, query: dict[str, list[str]]
) -> tuple[int, Any, dict[str, str]]:
    if f"{p.get('owner')}/{p.get('repo')}".lower() != fake.full_name.lower():
        return 404, {"message": "Not Found"}, {}
    if operation == "pulls/list-files":
        return files_page(fake, int(p["pull_number"]), query)
    if operation == "repos/get-content":
        return content(fake, unquote(p["path"]), (query.get("ref") or [None])[0])
    if operation == "repos/get":
        return 200, fake.repository, {}
    if operation in ("pulls/get", "issues/get"):
        pr = fake.pulls.get(int(p.get("pull_number") or p.get("issue_number") or 0))
        return (200, pr, {}) if pr else (404, {"message": "Not Found"}, {})
    if operation == "issues/list-comments":
        url = f"{fake.url}/repos/{fake.full_name}/issues/{p['issue_number']}/comments"
        return page_of(fake.pr_comments(int(p["issue_number"])), url, query)
    if operation == "issues/list-events":
        if int(p["issue_number"]) not in fake.pulls:
            return 404, {"message": "Not Found"}, {}
        return 200, fake.issue_events.get(int(p["issue_number"]), []), {}
    if operation in ("issues/create-comment", "issues/update-comment") and len(body["body"]) > COMMENT_LIMIT:
        return 422, {"message": "Validation Failed", "errors": ["body is too long (maximum is 65536 characters)"]}, {}
    if operation == "issues/create-comment":
        if int(p["issue_number"]) not in fake.pulls:
            return 404, {"message": "Not Found"}, {}
        return 201, fake._new_comment(int(p["issue_number"]), body["body"], BOT), {}
    comment = fake.comments.get(int(p.get("comment_id") or 0))
    if operation == "issues/update-comment":
        if comment is None:
            return 404, {"message": "Not Found"}, {}
        if comment["user"]["login"] != BOT["login"]:
            return 403, {"message": "Must have admin rights to Repository."}, {}
        comment["body"] = body["body"]
        return 200, comment, {}
    if operation == "issues/delete-comment":
        if comment is None:
            return 404, {"message": "Not Found"}, {}
        del fake.comments[comment["id"]]
        return 204, None, {}
    if operation == "reactions/create-for-issue-comment":
        if comment is None:
            return 404, {"message": "Not Found"}, {}
        fake.reactions.append((comment["id"], body["content"]))
        return 201, {"id": fake._id(), "node_id": "R", "content": body["content"], "user": BOT,
                     "created_at": comment["created_at"]}, {}  # fmt: skip
    if operation == "repos/create-commit-status":
        status = {"id": fake._id(), "sha": p["sha"], **body, "creator": BOT}
        fake.statuses.append(status)
        return 201, status, {}
    if operation == "checks/create":
        run = {"id": fake._id(), "node_id": "CR", "head_sha": body["head_sha"], "name": body["name"],
               "status": body.get("status", "queued"), "conclusion": body.get("conclusion"),
               "details_url": body.get("details_url"), "output": dict(body.get("output") or {}), "annotations": [],
               "url": f"{fake.url}/repos/{fake.full_name}/check-runs/0", "requests": 1}  # fmt: skip
        run["url"] = run["url"].removesuffix("/0") + f"/{run['id']}"
        run["annotations"] = list(run["output"].pop("annotations", []))
        fake.check_runs.append(run)
        return 201, _public_run(run), {}
    if operation == "checks/update":
        found = [r for r in fake.check_runs if r["id"] == int(p["check_run_id"])]
        if not found:
            return 404, {"message": "Not Found"}, {}
        run = found[0]
        output = dict(body.get("output") or {})
        run["annotations"].extend(output.pop("annotations", []))  # GitHub appends annotations across updates
        run["output"].update(output)
        run.update({k: v for k, v in body.items() if k in ("status", "conclusion", "name", "details_url")})
        run["requests"] += 1
        return 200, _public_run(run), {}
    if operation == "repos/get-collaborator-permission-level":
        permission = fake.permissions.get(p["username"])
        if permission is None:
            return 404, {"message": "Not Found"}, {}
        user = {"login": p["username"], "id": 1, "type": "User"}
        return 200, {"permission": permission, "role_name": permission, "user": user}, {}
    if operation == "repos/list-pull-requests-associated-with-commit":
        return 200, [fake.pulls[n] for n in fake.commit_pulls.get(p["commit_sha"], [])], {}
    if operation == "actions/list-artifacts-for-repo":
        return 200, {"total_count": len(fake.artifacts), "artifacts": fake.artifacts}, {}
    if operation == "actions/download-artifact":
        if p["archive_format"] != "zip" or int(p["artifact_id"]) not in fake.blobs:
            return 404, {"message": "Not Found"}, {}
        return 302, None, {"Location": f"{fake.url}/_blobs/{p['artifact_id']}"}
    return 404, {"message": f"the fake does not answer {operation}"}, {}


def _public_run(run: dict[str, Any]) -> dict[str, Any]:
    """A check run as GitHub answers it: the annotations are counted, not repeated."""
    output = {**run["output"], "annotations_count": len(run["annotations"])}
    return {**{k: v for k, v in run.items() if k not in ("annotations", "requests")}, "output": output}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeGitHub) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake
        self.operations = _operations()


def serve(fake: FakeGitHub) -> Iterator[FakeGitHub]:
    """Run the fake on 127.0.0.1:<free port> for the duration of a ``with``/fixture."""
    server = _Server(fake)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
