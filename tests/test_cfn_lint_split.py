"""cfn-lint on a folder of many templates: shared between this process and a forked child, the findings are
those of one run over every template, in the same order; a child that fails is linted here (never lost)."""

from __future__ import annotations

import os
from multiprocessing.connection import Connection
from pathlib import Path

import pytest

from gate.checks import cfn_lint, scan_worker
from gate.checks.base import CheckInput
from gate.checks.cfn_lint import CfnLintCheck, _cut
from gate.config import GateConfig
from gate.iac import make_file, write_bundle
from gate.models import IaCBundle

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = (
    *sorted((FIXTURES / "real" / "cloudformation" / "folder").glob("*.yaml")),
    FIXTURES / "real" / "cloudformation" / "foreach-tables.yaml",
    FIXTURES / "iac" / "public-bucket.yaml",
)


def _input(tmp_path: Path, count: int) -> CheckInput:
    files = tuple(
        make_file(f"{n:02d}-{SOURCES[n % len(SOURCES)].name}", "cloudformation", SOURCES[n % len(SOURCES)].read_text())
        for n in range(count)
    )
    bundle = IaCBundle(origin="hand-written", files=files)
    write_bundle(bundle, tmp_path)
    return CheckInput(bundle=bundle, config=GateConfig(), workdir=tmp_path, region="us-east-1")


def test_shared_run_finds_what_one_run_finds_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given = _input(tmp_path, cfn_lint.SPLIT_FROM + 3)
    monkeypatch.setenv("DEVOPS_GATE_SCAN", "inline")  # no fork: one cfn-lint run over every template
    one = CfnLintCheck().run(given)
    monkeypatch.setenv("DEVOPS_GATE_SCAN", "process")
    assert scan_worker.mode() == "process"  # this run forks its child
    shared = CfnLintCheck().run(given)
    assert one.findings, "the fixtures have cfn-lint findings"
    assert shared.findings == one.findings
    files = [f.file for f in shared.findings]
    assert len(set(files)) > 1 and files == sorted(files)  # several files, in the order they were given


def test_a_child_that_dies_is_linted_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given = _input(tmp_path, cfn_lint.SPLIT_FROM)
    monkeypatch.setenv("DEVOPS_GATE_SCAN", "inline")
    one = CfnLintCheck().run(given)

    def dies(conn: Connection, lint: object, templates: list[str]) -> None:
        os._exit(3)

    monkeypatch.setenv("DEVOPS_GATE_SCAN", "process")
    monkeypatch.setattr(cfn_lint, "_serve", dies)  # the fork copies the patched module
    assert CfnLintCheck().run(given).findings == one.findings


def test_shares_are_two_contiguous_parts_of_about_half_the_bytes() -> None:
    templates = [f"t{n}" for n in range(10)]
    first, second = _cut(templates, {t: 100 for t in templates}, 0.5)
    assert (first, second) == (templates[:5], templates[5:])
    sizes = {t: (900 if t == "t0" else 10) for t in templates}  # one big file: it is the first part alone
    assert _cut(templates, sizes, 0.5) == (["t0"], templates[1:])
    sizes = {t: (900 if t == "t9" else 10) for t in templates}  # the last is big: never an empty second part
    first, second = _cut(templates, sizes, 0.5)
    assert first + second == templates and second
