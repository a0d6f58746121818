"""libyaml's safe loader reads every YAML file the gate ships exactly as the pure-Python safe loader does."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import gate
from gate import yaml_safe
from gate.paths import builtin_policy_dir

# the cross-service policy data, and each service's rules (with their good/bad fixtures) in its folder
SERVICES = Path(gate.__file__).parent / "services"
SHIPPED = sorted([*builtin_policy_dir().rglob("*.y*ml"), *SERVICES.glob("*/policies/**/*.y*ml")])


def test_the_fast_loader_is_libyaml_where_pyyaml_has_it() -> None:
    assert yaml_safe.LOADER is (yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_a_shipped_file_reads_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yaml_safe.safe_load(text) == yaml.safe_load(text)


def test_there_are_shipped_files() -> None:
    assert len(SHIPPED) > 10
