"""Folder runs: `devops-gate check DIR` (one cfn-lint run for every template, each checkov framework once)
against the peer CLIs a CI step would run by hand on the same folder: `checkov -d DIR` plus one `cfn-lint`
process over every template. 25 / 50 / 100 templates; target: the gate within 1.0x of the peers.

The templates are the real-world shapes of tests/fixtures/real/cloudformation (plus the public-bucket
fixture), copied under new names so every folder size has the same mix.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SOURCES = (
    *sorted((FIXTURES / "real" / "cloudformation" / "folder").glob("*.yaml")),
    FIXTURES / "real" / "cloudformation" / "foreach-tables.yaml",
    FIXTURES / "real" / "cloudformation" / "inline-code.yaml",
    FIXTURES / "iac" / "public-bucket.yaml",
)
SIZES = (25, 50, 100)


def _folder(root: Path, count: int) -> Path:
    folder = root / f"t{count}"
    folder.mkdir()
    for n in range(count):
        source = SOURCES[n % len(SOURCES)]
        shutil.copy(source, folder / f"{n:03d}-{source.name}")
    return folder


def _time(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False, env={**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"})
    return time.perf_counter() - started


def run() -> list[str]:
    bindir = Path(sys.executable).parent
    checkov, cfnlint = shutil.which("checkov", path=str(bindir)), shutil.which("cfn-lint", path=str(bindir))
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for count in SIZES:
            folder = _folder(root, count)
            # the gate from this checkout (PYTHONPATH), as `devops-gate check` would run in CI
            gate = _time([sys.executable, "-m", "gate.cli", "check", str(folder), "--out", str(root / f"out{count}")])
            if not checkov or not cfnlint:
                lines.append(f"{count} templates: devops-gate {gate:.1f} s (peer CLIs not installed: no ratio)")
                continue
            peers = _time([checkov, "-d", str(folder), "--framework", "cloudformation", "--quiet", "--compact"])
            peers += _time([cfnlint, *map(str, sorted(folder.glob("*.yaml")))])
            lines.append(
                f"{count} templates: devops-gate {gate:.1f} s, checkov -d + one cfn-lint {peers:.1f} s, "
                f"ratio gate/peers {gate / peers:.2f}x (target <= 1.0x)"
            )
    return lines
