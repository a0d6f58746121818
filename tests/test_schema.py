"""The committed gate-plan schema is the one the code generates (regenerate with `make schema`), and .gate.yml
validation refuses bad values with the file, the key and the fix."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from gate.cli import main
from gate.commands.schema import plan_schema
from gate.config import parse_config
from tests.conftest import FIXTURES, ROOT


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schema" / "gate-plan.schema.json").read_text())
    assert committed == plan_schema(), "schema/gate-plan.schema.json is stale: run 'make schema'"


# -- .gate.yml validation: a bad value is exit 2 with the file, the key and the fix, never a traceback --------


@pytest.mark.parametrize(
    ("expires", "hint"),
    [
        ('"2027-02-30"', "e.g. 2027-02-28"),  # quoted: a string that is no calendar day
        ("2027-02-30", "e.g. 2027-02-28"),  # unquoted: YAML's own date reader used to fail first, with no key
        ("2028-02-30", "e.g. 2028-02-29"),
        ("2027-13-01", "YYYY-MM-DD"),
        ('"31/03/2027"', "should match pattern"),
    ],
)
def test_an_impossible_waiver_date_is_a_usage_error(
    workdir: Path, capsys: pytest.CaptureFixture[str], expires: str, hint: str
) -> None:
    (workdir / ".gate.yml").write_text(
        f"waivers:\n  - {{check_id: CKV_AWS_18, reason: central logging, expires: {expires}}}\n"
    )
    assert main(["check", str(FIXTURES / "iac" / "public-bucket.yaml"), "--out", "o"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("devops-gate: error: .gate.yml: key 'waivers.0.expires': ")
    assert hint in err and "Fix: correct that key" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_real_waiver_date_is_read_as_text_quoted_or_not() -> None:
    for expires in ("2027-03-31", '"2027-03-31"'):
        config = parse_config(f"waivers:\n  - {{check_id: X, reason: why not, expires: {expires}}}\n", "t.yml")
        assert config.waivers[0].expires == "2027-03-31"
        assert config.waivers[0].expires_on == dt.date(2027, 3, 31)
