"""A CloudFormation endpoint that replays AWS-shaped answers (Query API XML), for what moto never does:
stacks that end in UPDATE_ROLLBACK_COMPLETE, ValidationError answers, change sets that carry AWS's own
``Replacement``.  A real HTTP server on 127.0.0.1:0; boto3 talks to it like to AWS.

The XML lives in ``tests/fakes/recorded/<Action>.xml`` (the shapes of the AWS API reference), with
``$placeholders``.  A scenario is a list of phases; in each phase an action answers its list of responses in
order (the last one repeats); calling the phase's trigger action moves to the next phase.  Requests for other
services (signed for dynamodb, cloudwatch, sts, s3 ...) are passed through to ``passthrough`` (a moto server),
so a whole apply can run with only CloudFormation's answers replayed.

CloudWatch answers can be replayed too: botocore speaks its JSON protocol to CloudWatch (``X-Amz-Target:
GraniteServiceVersion20100801.<Action>``), so they live in ``recorded/<Action>.json`` (the shapes AWS answers
that protocol with; timestamps are epoch seconds).  A CloudWatch request is answered from the scenario when
its current phase has an answer for the action, and passed through otherwise.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

RECORDED = Path(__file__).resolve().parent / "recorded"
_SERVICE = re.compile(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/aws4_request")


@dataclass(frozen=True)
class Reply:
    body: str
    status: int = 200
    content_type: str = "text/xml"


def xml(action: str, **values: str) -> Reply:
    """A recorded answer with its placeholders filled (values are XML-escaped)."""
    text = (RECORDED / f"{action}.xml").read_text(encoding="utf-8")
    return Reply(Template(text).safe_substitute({k: escape(v) for k, v in values.items()}))


def recorded_json(action: str, **values: str) -> Reply:
    """A recorded CloudWatch (JSON protocol) answer with its placeholders filled (values are JSON-escaped)."""
    text = (RECORDED / f"{action}.json").read_text(encoding="utf-8")
    filled = Template(text).safe_substitute({k: json.dumps(v)[1:-1] for k, v in values.items()})
    return Reply(filled, content_type="application/x-amz-json-1.0")


def events(*rows: dict[str, str]) -> Reply:
    template = Template((RECORDED / "StackEvent.xml").read_text(encoding="utf-8"))
    members = "".join(template.safe_substitute({k: escape(v) for k, v in row.items()}) for row in rows)
    text = Template((RECORDED / "DescribeStackEvents.xml").read_text(encoding="utf-8"))
    return Reply(text.safe_substitute(events=members))


def validation_error(message: str) -> Reply:
    return Reply(xml("ValidationError", message=message).body, status=400)


@dataclass
class Phase:
    replies: dict[str, list[Reply]]
    trigger: str | None = None  # the action that ends this phase


@dataclass
class Scenario:
    phases: list[Phase]
    passthrough: str | None = None
    calls: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    _phase: int = 0
    _served: dict[tuple[int, str], int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, action: str, params: dict[str, str]) -> Reply:
        with self._lock:
            self.calls.append((action, params))
            phase = self.phases[self._phase]
            replies = phase.replies.get(action)
            if not replies:
                return validation_error(f"the recorded scenario has no answer for {action}")
            index = self._served.get((self._phase, action), 0)
            self._served[(self._phase, action)] = index + 1
            reply = replies[min(index, len(replies) - 1)]
            if phase.trigger == action and self._phase + 1 < len(self.phases):
                self._phase += 1
            return reply

    def has(self, action: str) -> bool:
        """Whether the current phase answers ``action`` (else a CloudWatch request goes to ``passthrough``)."""
        with self._lock:
            return action in self.phases[self._phase].replies

    def actions(self) -> list[str]:
        return [a for a, _ in self.calls]


def _handler(scenario: Scenario) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def _passthrough(self, body: bytes) -> None:
            assert scenario.passthrough, "no passthrough endpoint for a non-CloudFormation request"
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
            request = urllib.request.Request(
                scenario.passthrough + self.path, data=body or None, headers=headers, method=self.command
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as resp:
                    status, data, reply_headers = resp.status, resp.read(), resp.headers
            except urllib.error.HTTPError as exc:
                status, data, reply_headers = exc.code, exc.read(), exc.headers
            self.send_response(status)
            for key, value in reply_headers.items():
                if key.lower() not in ("content-length", "transfer-encoding", "connection", "server", "date"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            match = _SERVICE.search(self.headers.get("Authorization", ""))
            service = match.group(1) if match else None
            operation = self.headers.get("X-Amz-Target", "").rpartition(".")[2]
            if service == "monitoring" and operation and scenario.has(operation):
                sent = json.loads(body or b"{}")
                params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in sent.items()}
                self._reply(scenario.answer(operation, params))
                return
            if service != "cloudformation":
                self._passthrough(body)
                return
            params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            self._reply(scenario.answer(params.get("Action", "?"), params))

        def _reply(self, reply: Reply) -> None:
            data = reply.body.encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("x-amzn-RequestId", "9b3c5d0e-2f4a-4c1b-8e7d-0a1b2c3d4e5f")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = _handle
        do_GET = _handle
        do_PUT = _handle
        do_DELETE = _handle
        do_HEAD = _handle

    return Handler


@contextmanager
def serve(scenario: Scenario) -> Iterator[str]:
    """Run the fake on a free loopback port; yield its URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(scenario))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
