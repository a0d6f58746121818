"""GitHub over HTTP, for the adapter in github.py: bounded retries and GateErrors that say what GitHub refused.

A 5xx answer, or a 403/429 rate limit (``Retry-After`` or a rate-limit message), is retried up to ``retries``
times, waiting what GitHub asks for but never more than ``max_wait`` seconds at a time (and never past the
run's time budget); a rate limit that resets later fails with the reset time.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from github import GithubException, GithubRetry, RateLimitExceededException
from urllib3.response import HTTPResponse

from gate.errors import GateError


class _BoundedRetry(GithubRetry):
    """GithubRetry, plus PATCH, with every single wait capped at ``max_wait`` seconds, a rate limit waited for up
    to ``rate_limit_wait`` seconds, and no retry (nor wait) past ``deadline`` (the run's time budget)."""

    def __init__(
        self,
        max_wait: float = 30.0,
        budget: float | None = None,
        deadline: float | None = None,
        rate_limit_wait: float | None = None,
        **kw: Any,
    ) -> None:
        self.max_wait = max_wait
        self.budget = budget
        self.deadline = deadline if deadline is not None or budget is None else time.monotonic() + budget
        kw.setdefault("max_rate_limit_wait", max_wait if rate_limit_wait is None else rate_limit_wait)
        kw.setdefault("secondary_rate_wait", min(max_wait, 60.0))
        super().__init__(**kw)

    # GithubRetry reads this when a rate limit answer comes: never wait past the budget
    @property
    def max_rate_limit_wait(self) -> float | None:
        return None if self._rate_cap is None else min(self._rate_cap, self._remaining())

    @max_rate_limit_wait.setter
    def max_rate_limit_wait(self, value: float | None) -> None:
        self._rate_cap = value

    def _remaining(self) -> float:
        return float("inf") if self.deadline is None else max(self.deadline - time.monotonic(), 0.0)

    def new(self, **kw: Any) -> _BoundedRetry:
        kw.update(max_wait=self.max_wait, budget=self.budget, deadline=self.deadline)
        return super().new(**kw)

    def increment(self, *args: Any, **kwargs: Any) -> Any:
        if self._remaining() <= 0:
            raise GateError(
                f"GitHub did not answer in time: the run's GitHub time budget ({self.budget or 0:.0f} s) is spent",
                fix="check GitHub's status page and run the job again; raise --github-budget if GitHub is slow here",
            )
        return super().increment(*args, **kwargs)

    def get_retry_after(self, response: HTTPResponse) -> float | None:
        value = super().get_retry_after(response)
        return None if value is None else min(value, self.max_wait, self._remaining())

    def get_backoff_time(self) -> float:
        # urllib3 1.26 (which checkov pins) has no ``backoff_max`` argument: cap the backoff here instead.
        return float(min(super().get_backoff_time(), self.max_wait, self._remaining()))


def make_retry(
    retries: int = 4,
    backoff: float = 0.5,
    max_wait: float = 30.0,
    budget: float | None = None,
    rate_limit_wait: float | None = None,
) -> _BoundedRetry:
    methods = frozenset({"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"})
    return _BoundedRetry(
        budget=budget,
        rate_limit_wait=rate_limit_wait,
        max_wait=max_wait,
        total=retries,
        backoff_factor=backoff,
        allowed_methods=methods,
        status_forcelist=[*range(500, 600), 429],
        raise_on_status=False,
    )


def error(exc: Exception, doing: str) -> GateError:
    if isinstance(exc, RateLimitExceededException):
        return _rate_limited(exc, doing)
    if isinstance(exc, GithubException):
        message = exc.data.get("message") if isinstance(exc.data, dict) else None
        fix = "check the github-token input and the workflow's 'permissions:'"
        if exc.status == 404:
            fix = "check the repository name and that the token can see it"
        return GateError(f"GitHub refused {doing}: HTTP {exc.status} {message or ''}".rstrip(), fix=fix)
    return GateError(f"cannot reach GitHub while {doing}: {exc}", fix="check the network and GITHUB_API_URL")


def _rate_limited(exc: GithubException, doing: str) -> GateError:
    """A rate limit whose reset is further away than the job may wait: say when it resets, not 'check the token'."""
    headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
    reset = headers.get("x-ratelimit-reset")
    when = ""
    if reset and reset.isdigit():
        at = dt.datetime.fromtimestamp(int(reset), dt.UTC)
        minutes = max(int((at - dt.datetime.now(dt.UTC)).total_seconds() // 60), 0)
        when = f" until {at:%Y-%m-%d %H:%M} UTC (in {minutes} min)"
    elif headers.get("retry-after", "").isdigit():
        when = f" for another {headers['retry-after']} s"
    return GateError(
        f"GitHub's API rate limit is used up{when}, longer than this job may wait, while {doing}",
        fix="run the job again after the reset, or let it wait longer with --github-rate-limit-wait SECONDS "
        "(within --github-budget)",
    )
