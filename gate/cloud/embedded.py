"""The embedded default AWS: a moto server on 127.0.0.1, started and stopped by the gate itself."""

from __future__ import annotations

import contextlib
import logging
import socket
import time
import urllib.request
from collections.abc import Iterator

from gate.cloud.aws import AwsTarget
from gate.errors import GateError

# moto accepts any credentials; these fixed ones never leave this process.
_MOTO_KEY = "testing"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def moto_server(region: str = "us-east-1") -> Iterator[AwsTarget]:
    """Start a moto server on a free loopback port; yield an :class:`AwsTarget` pointing at it."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # pragma: no cover - moto[server] is a dependency
        raise GateError("moto[server] is not installed", fix="pip install 'moto[server]'") from exc
    # no per-request lines and no server-side tracebacks on the console: a 500 (an API moto lacks) reaches the
    # client, which reports it in its own words
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url)
        yield AwsTarget(region=region, endpoint_url=url, access_key_id=_MOTO_KEY, secret_access_key=_MOTO_KEY)
    finally:
        server.stop()


def _wait_ready(url: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            if time.monotonic() > deadline:
                raise GateError(f"the embedded moto server at {url} did not start in {timeout:.0f} s") from None
            time.sleep(0.05)
