"""Promises at the edges: a plan artifact is extracted streaming within limits (a zip bomb is refused before it
fills disk or memory; issue 20, item 7); GitHub calls keep to a time budget, a far rate-limit reset fails with
the reset time, and a failed run never leaves a status pending (item 9)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest

from gate.config import LimitSettings
from gate.errors import GateError
from gate.publish.artifact import extract_zip
from gate.publish.flow import run_job
from gate.publish.github import GitHubClient
from tests.fakes.github_env import fake_github, job, pr_event


def _bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("gate-plan.json", b"\0" * size)
    return path


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    archive = _bomb(tmp_path / "a.zip", 64 * 1024 * 1024)
    assert archive.stat().st_size < 1024 * 1024
    with pytest.raises(GateError, match="artifact_ratio"):
        extract_zip(archive, tmp_path / "out")
    with pytest.raises(GateError, match="artifact_bytes"):
        extract_zip(archive, tmp_path / "out2", LimitSettings(artifact_bytes=1024 * 1024, artifact_ratio=10**6))
    written = sum(p.stat().st_size for p in tmp_path.rglob("out*/**/*") if p.is_file())
    assert written <= 2 * 1024 * 1024, "nothing close to the inflated size reached the disk"


def test_a_small_artifact_is_extracted(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "ok.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("gate-plan.json", '{"x": 1}')
    extract_zip(tmp_path / "ok.zip", tmp_path / "out")
    assert (tmp_path / "out" / "gate-plan.json").read_text() == '{"x": 1}'


def _client(fake: object, **kwargs: float) -> GitHubClient:
    return GitHubClient(fake.full_name, "test-token", fake.url, backoff=0.0, seconds_between_writes=0, **kwargs)  # type: ignore[attr-defined]


def test_github_calls_keep_to_the_run_time_budget(tmp_path: Path) -> None:
    with fake_github() as fake:
        fake.fail_next("GET", r"/pulls/2$", 503, {"Retry-After": "1"}, times=100)
        given, _ = job(fake, "pull_request", pr_event(), tmp_path)
        given.client = _client(fake, retries=50, max_wait=5, budget=2.5)
        started = time.monotonic()
        with pytest.raises(GateError, match="time budget"):
            run_job(given)
    assert time.monotonic() - started < 10


def test_a_far_rate_limit_reset_fails_with_the_reset_time(tmp_path: Path) -> None:
    reset = int(time.time()) + 2 * 3600
    with fake_github() as fake:
        headers = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
        fake.fail_next("GET", r"/pulls/2$", 403, headers, times=5)
        given, _ = job(fake, "pull_request", pr_event(), tmp_path)
        given.client = _client(fake, retries=3, max_wait=1, budget=30, rate_limit_wait=5)
        with pytest.raises(GateError) as raised:
            run_job(given)
    text = raised.value.render()
    assert "rate limit is used up until" in text and time.strftime("%H:%M", time.gmtime(reset)) in text
    assert "token" not in text, "a rate limit is not blamed on the token"


def test_a_failed_run_never_leaves_the_status_pending(tmp_path: Path) -> None:
    with fake_github() as fake:
        fake.fail_next("POST", r"/issues/2/comments$", 503, times=100)
        fake.fail_next("PATCH", r"/issues/comments/", 503, times=100)
        given, _ = job(fake, "pull_request", pr_event(), tmp_path)
        with pytest.raises(GateError):
            run_job(given)
    assert fake.statuses[0]["state"] == "pending"
    assert fake.statuses[-1]["state"] == "failure", fake.statuses
    assert fake.statuses[-1]["description"]
