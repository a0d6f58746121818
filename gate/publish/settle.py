"""A failed run never leaves a status ``pending``: the statuses a job set to pending are tracked, and when the job
fails (a GateError, GitHub going away, a crash) each is set to ``failure`` with the reason, one try each."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from gate.errors import GateError
from gate.redact import redact
from gate.vcs import StatusState, VcsClient


class _Tracking:
    """The VCS client, with ``set_status`` recorded; every other call goes straight through."""

    def __init__(self, inner: VcsClient, pending: dict[tuple[str, str], str | None]) -> None:
        self.inner = inner
        self._pending = pending

    def set_status(
        self, sha: str, context: str, state: StatusState, description: str, target_url: str | None = None
    ) -> None:
        self.inner.set_status(sha, context, state, description, target_url)
        if state == "pending":
            self._pending[(sha, context)] = target_url
        else:
            self._pending.pop((sha, context), None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class TrackedStatuses:
    def __init__(self, client: VcsClient) -> None:
        self.inner: VcsClient = client.inner if isinstance(client, _Tracking) else client
        self.pending: dict[tuple[str, str], str | None] = {}
        self.client = cast(VcsClient, _Tracking(self.inner, self.pending))

    def settle(self, exc: BaseException, log: Callable[[str], None]) -> None:
        reason = exc.message if isinstance(exc, GateError) else f"devops-gate failed: {type(exc).__name__}: {exc}"
        for (sha, context), url in list(self.pending.items()):
            try:
                self.inner.set_status(sha, context, "failure", redact(reason), url)
            except Exception as problem:  # GitHub may be what failed: say so, and keep the first error
                log(f"devops-gate: could not set {context} on {sha[:12]} to failure: {problem}")
            else:
                del self.pending[(sha, context)]
