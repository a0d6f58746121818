"""The infracost wrapper, against a fake ``infracost`` executable that prints infracost's real JSON schema."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path

import pytest

from gate.config import GateConfig
from gate.cost import infracost
from gate.cost.compute import cost_of_bundle
from gate.iac import load_paths, write_bundle
from gate.models import CostReport
from tests.conftest import FIXTURES, ROOT

FAKE = Path(__file__).resolve().parent / "fakes" / "infracost"
MAIN_TF = "tests/fixtures/infracost/main.tf"  # relative: bundle paths are written under a work folder
BREAKDOWN = FIXTURES / "infracost" / "breakdown.json"


@pytest.fixture
def fake_infracost(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put the fake on PATH (alone in its folder) with an API key; returns the file it records arguments in."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "infracost").symlink_to(FAKE)
    monkeypatch.setenv("PATH", f"{bindir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("INFRACOST_API_KEY", "ico-test-key")
    args_file = tmp_path / "infracost-args.json"
    monkeypatch.setenv("FAKE_INFRACOST_ARGS", str(args_file))
    monkeypatch.delenv("FAKE_INFRACOST_MODE", raising=False)
    monkeypatch.chdir(ROOT)
    return args_file


def _cost(tmp_path: Path, config: GateConfig | None = None) -> CostReport:
    bundle = load_paths([MAIN_TF])
    work = tmp_path / "work"
    write_bundle(bundle, work)
    return cost_of_bundle(bundle, config or GateConfig(), "us-east-1", work)


def test_terraform_is_priced_by_infracost_json(fake_infracost: Path, tmp_path: Path) -> None:
    report = _cost(tmp_path)
    called = json.loads(fake_infracost.read_text())
    assert called[:1] == ["breakdown"] and called[called.index("--format") + 1] == "json"
    assert report.source == "infracost" and report.currency == "USD"
    lines = {line.logical_id: line for line in report.lines}
    assert lines["aws_instance.web"].monthly_after == pytest.approx(75.08)
    assert lines["aws_instance.web"].change == "add"
    assert {c.name for c in lines["aws_instance.web"].components} == {
        "Instance usage (Linux/UNIX, on-demand, m5.large)",
        "root_block_device: Storage (general purpose SSD, gp2)",
    }
    assert lines["aws_nat_gateway.main"].monthly_after == pytest.approx(32.85)
    assert any(c.monthly_cost is None for c in lines["aws_nat_gateway.main"].components)
    # null monthlyCost (usage-based) and resources infracost left out are "not estimated", never $0
    assert "depends on usage" in (lines["aws_lambda_function.api"].not_estimated or "")
    assert lines["aws_lambda_function.api"].monthly_after is None
    assert "no price" in (lines["aws_glue_job.etl"].not_estimated or "")
    assert report.free_resources == 1  # aws_iam_role.api
    assert report.monthly_after == pytest.approx(75.08 + 15.44 + 32.85)
    assert report.price_table_date == "2025-01-15T10:00:00.000000Z"
    # recommendations still come from our own table for what the estimator can read
    assert report.recommendations == ()


def test_usage_file_is_passed_to_infracost(fake_infracost: Path, tmp_path: Path) -> None:
    usage = tmp_path / "usage.yml"
    usage.write_text("version: 0.1\nresource_usage:\n  aws_lambda_function.api:\n    monthly_requests: 1000\n")
    config = GateConfig.model_validate({"cost": {"usage_file": str(usage)}})
    report = _cost(tmp_path, config)
    called = json.loads(fake_infracost.read_text())
    assert called[called.index("--usage-file") + 1] == str(usage)
    assert report.usage_file == str(usage)


@pytest.mark.parametrize(
    ("mode", "message"), [("fail", "infracost exited with 1: Error: Failed to parse"), ("text", "did not print JSON")]
)
def test_infracost_failure_falls_back_to_the_estimator_and_says_so(
    fake_infracost: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, message: str
) -> None:
    monkeypatch.setenv("FAKE_INFRACOST_MODE", mode)
    report = _cost(tmp_path)
    assert fake_infracost.exists(), "infracost was called"
    assert report.source == "estimator"
    assert message in (report.detail or "") and "built-in estimator priced the Terraform" in (report.detail or "")
    lines = {line.logical_id: line for line in report.lines}
    assert lines["aws_instance.web"].monthly_after == pytest.approx(0.096 * 730 + 50 * 0.10)


def test_without_an_api_key_infracost_is_not_used(
    fake_infracost: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INFRACOST_API_KEY")
    assert infracost.available() is None
    report = _cost(tmp_path)
    assert report.source == "estimator" and not fake_infracost.exists()


def test_past_breakdown_gives_before_and_delta() -> None:
    doc = json.loads(BREAKDOWN.read_text())
    project = doc["projects"][0]
    old_web = copy.deepcopy(project["breakdown"]["resources"][0])
    old_web["monthlyCost"] = "40.04"
    project["pastBreakdown"]["resources"] = [old_web, {"name": "aws_eip.old", "monthlyCost": "3.65"}]
    report = infracost.report_from_json(doc, region="us-east-1")
    lines = {line.logical_id: line for line in report.lines}
    assert lines["aws_instance.web"].change == "modify"
    assert lines["aws_instance.web"].monthly_delta == pytest.approx(75.08 - 40.04)
    assert lines["aws_eip.old"].change == "remove" and lines["aws_eip.old"].monthly_delta == pytest.approx(-3.65)
    assert report.monthly_before == pytest.approx(40.04 + 3.65)
    assert report.base == "infracost past breakdown"


@pytest.mark.skipif(
    not infracost.available() or infracost.available() == str(FAKE), reason="no real infracost binary and API key"
)
def test_real_infracost_if_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    binary = infracost.available()
    assert binary is not None
    monkeypatch.chdir(ROOT)
    write_bundle(load_paths([MAIN_TF]), tmp_path)
    doc = infracost.run_breakdown(binary, tmp_path)
    assert doc["version"] and isinstance(doc["projects"], list)
