"""Promise: ``check`` reads its inputs and never writes to, or next to, them: the copies the tools read go under a
fresh temp folder by a safe relative name, whatever path was given (issue 20, item 4)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path

import pytest

from gate.cli import main
from gate.iac import copy_name

TEMPLATE = (
    b'AWSTemplateFormatVersion: "2010-09-09"\r\nResources:\r\n  Data:\r\n    Type: AWS::S3::Bucket\r\n'
    b"    Properties:\r\n      BucketName: acme-inputs-stay\r\n"
)


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*")
            if p.is_file()}  # fmt: skip


@pytest.fixture
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp root of our own, to see whatever the run leaves behind in it."""
    root = tmp_path / "tmproot"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    return root


@pytest.mark.parametrize("given", ["absolute", "dotdot"])
def test_check_never_writes_to_or_next_to_its_inputs(
    given: str, tmp_path: Path, own_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    template = inputs / "template.yaml"
    template.write_bytes(TEMPLATE)
    template.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    inputs.chmod(stat.S_IRUSR | stat.S_IXUSR)
    run = tmp_path / "run"
    run.mkdir()
    monkeypatch.chdir(run)
    before, outside = _tree(tmp_path / "inputs"), sorted(os.listdir(tmp_path))
    path = str(template) if given == "absolute" else "../inputs/template.yaml"
    checks = "[checkov, secrets]" if given == "absolute" else "[secrets, policies]"
    (run / ".gate.yml").write_text(f"checks: {{enabled: {checks}}}\ncost: {{enabled: false}}\n")
    try:
        code = main(["check", path, "--out", "gate-out"])
    finally:
        inputs.chmod(stat.S_IRWXU)
    assert code in (0, 1), capsys.readouterr().err
    assert template.read_bytes() == TEMPLATE, "the input's bytes (CRLF line endings included) are unchanged"
    assert _tree(inputs) == before and sorted(os.listdir(tmp_path)) == outside, "nothing written next to it"
    left = [p.name for p in own_tmp.iterdir() if not p.name.startswith(".lark_cache")]  # hcl2's parser cache
    assert left == [], "the temp copies are gone, and none landed above their folder"
    plan = json.loads((run / "gate-out" / "gate-plan.json").read_text())
    assert [f["path"] for f in plan["iac"]["files"]] == [path]
    findings = [f for report in plan["checks"] for f in report["findings"]]
    assert findings and {f["file"] for f in findings} == {path}, "findings name the file as it was given"


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/abs/t.yaml", "abs/t.yaml"),
        ("../../x/t.tf", "_up/_up/x/t.tf"),
        ("./a/./b.tf", "a/b.tf"),
        ("C:\\i\\t.tf", "i/t.tf"),
    ],
)
def test_copies_have_a_safe_relative_name(path: str, name: str) -> None:
    assert copy_name(path).as_posix() == name
