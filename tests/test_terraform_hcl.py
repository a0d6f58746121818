"""Terraform JSON written as HCL for checkov (gate/terraform/hcl.py): Terraform itself reads the HCL, checkov's
HCL parser reads the same resources the gate's own JSON reader does, and each line knows its JSON line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import hcl2
import pytest

from gate.errors import GateError
from gate.terraform.hcl import to_hcl
from gate.terraform.parse import parse
from tests.conftest import FIXTURES

RICH = FIXTURES / "iac" / "terraform-json" / "rich.tf.json"
CORPUS_JSON = sorted((FIXTURES / "real" / "terraform").rglob("*.tf.json"))


def _no_lines(node: object) -> object:
    if isinstance(node, dict):
        return {k: _no_lines(v) for k, v in node.items() if not str(k).startswith("__")}
    if isinstance(node, list):
        return [_no_lines(v) for v in node]
    return node


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed here")
def test_terraform_reads_the_hcl_written_for_every_kind_of_block(tmp_path: Path) -> None:
    written = tmp_path / "rich.tf"
    written.write_text(to_hcl(RICH.read_text(encoding="utf-8"), str(RICH)).text, encoding="utf-8")
    done = subprocess.run(["terraform", "fmt", "-check", str(written)], capture_output=True, text=True, check=False)
    assert done.returncode in (0, 3), done.stderr  # 3: parsed, only the alignment differs from fmt's
    text = written.read_text(encoding="utf-8")
    for expected in (
        'dynamic "ingress" {',
        "depends_on = [aws_s3_bucket.logs]",
        "provider = aws.west",
        "type = list(string)",
        "ignore_changes = [tags]",
        "providers = { aws = aws.west }",
        'path = "C:\\\\tmp \\"q\\""',
        'bucket = "logs-${var.names[0]}"',
    ):
        assert expected in text


@pytest.mark.parametrize("path", CORPUS_JSON, ids=lambda p: p.parent.name)
def test_checkov_sees_the_resources_the_gate_reads(path: Path) -> None:
    content = path.read_text(encoding="utf-8")
    assert _no_lines(hcl2.loads(to_hcl(content, str(path)).text)) == _no_lines(parse(content, str(path)))


def test_each_line_maps_to_the_json_line_of_its_block() -> None:
    content = RICH.read_text(encoding="utf-8")
    hcl = to_hcl(content, str(RICH))
    json_lines = content.splitlines()
    for number, line in enumerate(hcl.lines, 1):
        if line.startswith('resource "'):
            name = line.split('"')[3]
            assert f'"{name}"' in json_lines[hcl.original_line(number) - 1], line
    bucket = next(n for n, line in enumerate(hcl.lines, 1) if "prevent_destroy" in line)
    assert '"logs"' in json_lines[hcl.original_line(bucket) - 1], "a nested line maps to its resource's line"


def test_bad_json_is_the_readers_error() -> None:
    with pytest.raises(GateError, match="not valid Terraform JSON"):
        to_hcl('{"resource": ', "bad.tf.json")
    with pytest.raises(GateError, match="top level must be an object"):
        to_hcl("[1]", "list.tf.json")


def test_expressions_inside_templates_are_written_as_expressions(tmp_path: Path) -> None:
    policy = '${jsonencode({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]})}'
    content = '{"resource": {"aws_iam_policy": {"p": {"policy": ' + json.dumps(policy) + ', "n": "a\\"b $${x}"}}}}'
    text = to_hcl(content, "p.tf.json").text
    assert f"policy = {chr(34)}{policy}{chr(34)}" in text, "quotes inside ${...} are the expression's own"
    assert 'n = "a\\"b $${x}"' in text, "literal text is escaped, $${ stays literal"
    parsed = hcl2.loads(text)["resource"][0]["aws_iam_policy"]["p"]
    assert parsed["policy"] == [policy]
    if shutil.which("terraform"):
        (tmp_path / "p.tf").write_text(text, encoding="utf-8")
        done = subprocess.run(["terraform", "fmt", "-check", str(tmp_path / "p.tf")], capture_output=True, check=False)
        assert done.returncode in (0, 3), done.stderr
