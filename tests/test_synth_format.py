"""``devops-gate plan --format``: which IaC files are written, and that the bundle (what checkov scans and
gate-plan.json records) holds exactly them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.cli import main

REQUEST = "Create an S3 bucket named acme-invoices with versioning enabled"


@pytest.mark.parametrize(
    ("fmt", "files"),
    [
        ("both", {"template.yaml": "cloudformation", "main.tf": "terraform"}),
        ("cloudformation", {"template.yaml": "cloudformation"}),
        ("terraform", {"main.tf": "terraform"}),
    ],
)
def test_plan_format_writes_the_chosen_files(fmt: str, files: dict[str, str], workdir: Path) -> None:
    assert main(["plan", "--request", REQUEST, "--format", fmt, "--out", "o"]) == 0
    out = workdir / "o"
    written = {p.name for p in out.iterdir()} & {"template.yaml", "main.tf"}
    assert written == set(files)
    plan = json.loads((out / "gate-plan.json").read_text())
    assert {f["path"]: f["format"] for f in plan["iac"]["files"]} == files
    scanned = {f["file"] for c in plan["checks"] if c["check"] == "checkov" for f in c["findings"]}
    assert scanned <= set(files)
    if "main.tf" in files:
        assert 'resource "aws_s3_bucket" "acme_invoices"' in (out / "main.tf").read_text()
        assert any(f.endswith("main.tf") for f in scanned), "checkov scanned the Terraform"


def test_plan_defaults_to_both_formats(workdir: Path) -> None:
    assert main(["plan", "--request", REQUEST, "--out", "o"]) == 0
    assert (workdir / "o" / "template.yaml").is_file() and (workdir / "o" / "main.tf").is_file()


def test_an_unknown_format_is_a_usage_error(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["plan", "--request", REQUEST, "--format", "pulumi", "--out", "o"])
    assert exc.value.code == 2
    assert "invalid choice: 'pulumi'" in capsys.readouterr().err
