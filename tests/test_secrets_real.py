"""The secrets check on real-world shapes (tests/fixtures/real): references, dynamic references and code are
not secrets; literals are, in CloudFormation, Terraform, user data and inline code alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.checks.secrets import scan_file
from gate.iac import load_paths, make_file
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"

# every secret finding each real-world file must give: (check id, line, resource); nothing else
EXPECTED: dict[str, set[tuple[str, int | None, str | None]]] = {
    "cloudformation/dms-dynamic-reference.yaml": set(),
    "cloudformation/inline-code.yaml": set(),
    "cloudformation/foreach-tables.yaml": set(),
    "cloudformation/folder/site-with-rain-modules.yaml": set(),
    "cloudformation/literal-password.yaml": {
        ("GATE-SECRET-005", 11, "Database"),  # MasterUserPassword: a literal
        ("GATE-SECRET-005", 20, None),  # export DB_PASSWORD=... in user data
        ("GATE-SECRET-005", 30, None),  # secret = "..." in inline Python
    },
    "terraform/literal_password.tf": {("GATE-SECRET-005", 12, "aws_db_instance.literal")},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_file_gives_exactly_its_true_positives(name: str) -> None:
    (file,) = load_paths([str(REAL / name)]).files
    found = {(f.check_id, f.line, f.resource) for f in scan_file(file)}
    assert found == EXPECTED[name]


def test_every_other_real_fixture_gives_no_secret_finding() -> None:
    """Every real-world shape under tests/fixtures/real not listed above (the Terraform corpus included) is
    scanned too, and gives no finding: none of them holds a secret."""
    others = sorted(
        p for p in REAL.rglob("*") if p.suffix in (".yaml", ".tf") and str(p.relative_to(REAL)) not in EXPECTED
    )
    assert len(others) >= 10
    for path in others:
        name = str(path.relative_to(REAL))
        file = make_file(name, "terraform" if path.suffix == ".tf" else "cloudformation", path.read_text())
        assert [(f.check_id, f.line) for f in scan_file(file)] == [], name


def test_a_rain_module_file_is_still_searched_as_text(tmp_path: Path) -> None:
    template = tmp_path / "site.yaml"
    template.write_text(
        'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Net:\n    Type: !Rain::Module "./vpc.yml"\n'
        "    Properties:\n      AdminPassword: Pl4inTextPassw0rd\n"
    )
    (file,) = load_paths([str(template)]).files
    assert [(f.check_id, f.line) for f in scan_file(file)] == [("GATE-SECRET-005", 6)]
