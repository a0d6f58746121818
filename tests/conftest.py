"""Shared test fixtures: paths, the embedded moto server (a real local server), golden-file updates."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gate.cloud.aws import AwsTarget
from gate.cloud.embedded import moto_server
from tests.fakes.codepipeline_jobs import FakeJobs, serve

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def moto() -> Iterator[AwsTarget]:
    """One moto server for the test session (tests use distinct stack/resource names)."""
    with moto_server("us-east-1") as target:
        yield target


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder so no .gate.yml from the repo leaks in."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """The credentials a user exports for their moto endpoint (any value works; boto3 needs some)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


@pytest.fixture
def jobs(moto: AwsTarget, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeJobs]:
    """The CodePipeline job-worker fake (PollForJobs, Put*JobResult ...) in front of moto, as a local server."""
    monkeypatch.chdir(tmp_path)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    yield from serve(FakeJobs(upstream=str(moto.endpoint_url)))
