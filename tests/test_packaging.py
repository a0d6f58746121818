"""The wheel a user installs carries what the gate needs at run time, not only the editable checkout does."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_the_wheel_ships_the_builtin_policies_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("devops_gate-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n.removeprefix("gate/data/policies/") for n in names if n.startswith("gate/data/policies/")}
    assert shipped == {p.name for p in (ROOT / "policies").glob("*.yaml")}
    assert "gate/report/templates/comment.md.j2" in names
    assert any(n.startswith("gate/data/prices/") for n in names)
