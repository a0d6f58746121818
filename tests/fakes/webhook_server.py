"""A local incoming-webhook endpoint (Slack, Teams, generic): records every JSON body posted to it.

Answers like the real services: Slack ``200 ok``, Teams Workflows ``202``, anything else ``200``.  Can be
told to answer an error status (with an optional ``Retry-After``) for the next N requests.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeWebhooks:
    posts: list[tuple[str, Any]] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)
    failures: list[tuple[int, str | None]] = field(default_factory=list)
    base_url: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def fail_next(self, count: int, status: int = 503, retry_after: str | None = None) -> None:
        with self.lock:
            self.failures.extend([(status, retry_after)] * count)

    def bodies(self, path: str) -> list[Any]:
        return [body for p, body in self.posts if p == path]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        del format, args

    def _reply(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        payload = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def do_POST(self) -> None:
        hooks = self.server.hooks
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with hooks.lock:
            hooks.attempts.append(self.path)
            failure = hooks.failures.pop(0) if hooks.failures else None
        if failure is not None:
            status, retry_after = failure
            self._reply(status, "service_unavailable", {"Retry-After": retry_after} if retry_after else None)
            return
        if "application/json" not in self.headers.get("Content-Type", ""):
            self._reply(400, "invalid_payload")
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._reply(400, "invalid_payload")
            return
        with hooks.lock:
            hooks.posts.append((self.path, body))
        if self.path.startswith("/teams"):
            self._reply(202, "")
        else:
            self._reply(200, "ok")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    hooks: FakeWebhooks


@contextmanager
def webhook_server() -> Iterator[FakeWebhooks]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.hooks = FakeWebhooks(base_url=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server.hooks
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
