"""checkov in its worker (a forked process): the same report as in-process, its timings and
memory in gate-plan.json, and a worker that dies is an error report that blocks, never a lost check.

The gate forks only while its process has one thread (a fork of a threaded process is unsafe); a pytest process
that already served moto or a fake GitHub has more, so what needs the forked worker runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gate.checks import scan_worker
from gate.checks.base import CheckInput
from gate.cli import main
from gate.config import GateConfig
from gate.iac import make_file, workdir_for, write_bundle
from gate.models import CheckReport, IaCBundle
from tests.conftest import FIXTURES

BUCKET = FIXTURES / "iac" / "public-bucket.yaml"
ROOT = Path(__file__).resolve().parent.parent


def _fresh(code: str, mode: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``code`` in a new single-threaded interpreter with ``DEVOPS_GATE_SCAN=mode``, the gate from this tree."""
    env = {**os.environ, scan_worker.MODE_ENV: mode, "PYTHONPATH": str(ROOT), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _checkov_findings(out: Path) -> list[tuple[str, str | None, int | None]]:
    plan = json.loads((out / "gate-plan.json").read_text())
    (report,) = [c for c in plan["checks"] if c["check"] == "checkov"]
    assert report["status"] == "ran", report["detail"]
    return sorted((f["check_id"], f["resource"], f["line"]) for f in report["findings"])


def test_every_scan_mode_reports_the_same_checkov_findings(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    got = {}
    # CloudFormation and Terraform: the worker forked with its formats open defers checkov's Terraform checks,
    # then registers them when the formats come (scan_worker.CHECKS_OF)
    paths = [str(BUCKET), str(FIXTURES / "iac" / "insecure.tf")]
    for mode in scan_worker.MODES:
        code = f"from gate.cli import main; raise SystemExit(main(['check', *{paths!r}, '--out', {mode!r}]))"
        done = _fresh(code, mode, workdir)
        assert done.returncode == 1, done.stderr  # the public bucket blocks
        got[mode] = _checkov_findings(workdir / mode)
    assert got["process"] == got["inline"]
    assert {"CKV_AWS_20", "CKV_AWS_23"} <= {check_id for check_id, _, _ in got["inline"]}
    timings = json.loads((workdir / "process" / "gate-plan.json").read_text())["timings"]
    assert {"checks.checkov.import", "checks.checkov.scan", "checks.cfn-lint", "render"} <= set(timings)
    memory = json.loads((workdir / "process" / "gate-plan.json").read_text())["peak_memory_mb"]
    assert set(memory) == {"gate", "checkov-worker"} and all(v > 0 for v in memory.values())


def test_a_bad_scan_mode_is_a_usage_error(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(scan_worker.MODE_ENV, "rocket")
    assert main(["check", str(BUCKET), "--out", "o"]) == 2


def _dies(given: CheckInput, prepared: object) -> CheckReport:
    os._exit(3)  # the worker process ends without a word, as an OOM kill would


def a_worker_that_dies(tmp_path: Path) -> None:
    """Run in a fresh interpreter by the test below (the worker must be a forked process)."""
    bundle = IaCBundle(origin="hand-written", files=(make_file("t.yaml", "cloudformation", BUCKET.read_text()),))
    work = workdir_for(tmp_path, bundle)
    write_bundle(bundle, work)
    worker = scan_worker.Worker(("cloudformation",), _dies)
    assert worker.where == "process"
    worker.submit(CheckInput(bundle=bundle, config=GateConfig(), workdir=work, region="us-east-1"))
    report = worker.result().report
    assert report.status == "error" and "exit code 3" in (report.detail or "")


def test_a_worker_that_dies_is_an_error_report(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path; from tests.test_scan_worker import a_worker_that_dies as t; "
        f"t(Path({str(tmp_path)!r}))"
    )
    done = _fresh(code, "process", ROOT)
    assert done.returncode == 0, done.stderr


def test_debug_prints_the_timings(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(BUCKET), "--out", "o", "--debug"])
    err = capsys.readouterr().err
    assert "[gate] timing checks.cfn-lint" in err and "[gate] peak memory gate" in err


def _imported(given: CheckInput, prepared: object) -> CheckReport:
    """What the worker has imported when it scans (run in the worker in place of checkov's scan)."""
    wanted = ("cfnlint", "sympy", "checkov.cloudformation.runner", "checkov.terraform.checks.resource.aws")
    found = {name: name in sys.modules for name in wanted}
    return CheckReport(check="checkov", status="ran", detail=json.dumps({**found, "prepared": repr(prepared)}))


def what_a_worker_imports(tmp_path: Path, formats: tuple[str, ...]) -> None:
    """Run in a fresh interpreter by the test below: print what a worker of ``formats`` imported."""
    from gate.checks.checkov_check import CheckovCheck

    bundle = IaCBundle(origin="hand-written", files=(make_file("t.yaml", "cloudformation", BUCKET.read_text()),))
    work = workdir_for(tmp_path, bundle)
    write_bundle(bundle, work)
    worker = scan_worker.Worker(formats, _imported, CheckovCheck().prepare)
    assert worker.where == "process"
    worker.submit(CheckInput(bundle=bundle, config=GateConfig(), workdir=work, region="us-east-1"))
    detail = json.loads(worker.result().report.detail or "{}")
    import gc

    print(json.dumps({**detail, "frozen_after": gc.get_freeze_count()}))  # gc.freeze() lasts while the worker does


@pytest.mark.parametrize("formats", [("cloudformation",), ("cloudformation", "terraform")])
def test_the_worker_imports_no_cfn_lint_and_only_the_checks_it_runs(tmp_path: Path, formats: tuple[str, ...]) -> None:
    code = (
        "from pathlib import Path; from tests.test_scan_worker import what_a_worker_imports as t; "
        f"t(Path({str(tmp_path)!r}), {formats!r})"
    )
    done = _fresh(code, "process", ROOT)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["checkov.cloudformation.runner"] and not got["cfnlint"] and not got["sympy"]
    assert got["checkov.terraform.checks.resource.aws"] == ("terraform" in formats)
    assert "t.yaml" in got["prepared"]  # the main process read the template for it
    assert got["frozen_after"] == 0


def _unreadable(given: CheckInput) -> object:
    raise OSError("disk full")


def test_a_prepare_that_fails_is_the_checks_error_report(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(scan_worker.MODE_ENV, "inline")  # prepare runs in the main process in either mode
    bundle = IaCBundle(origin="hand-written", files=(make_file("t.yaml", "cloudformation", BUCKET.read_text()),))
    worker = scan_worker.Worker(("cloudformation",), _imported, _unreadable)
    worker.submit(CheckInput(bundle=bundle, config=GateConfig(), workdir=workdir, region="us-east-1"))
    report = worker.result().report
    worker.close()
    assert report.status == "error" and report.detail == "OSError: disk full"
