"""The whole gate (`devops-gate check`, one process) against running the peer CLIs by hand (checkov + cfn-lint).

Each is run as a fresh process, as a CI step would, on the same hand-written template; best of N wall times.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "iac" / "public-bucket.yaml"
ROUNDS = 3


def _best(cmd: list[str]) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=False)
        best = min(best, time.perf_counter() - started)
    return best


def run() -> list[str]:
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as out:
        gate = _best([str(bindir / "devops-gate"), "check", str(TEMPLATE), "--out", out])
    lines = [f"devops-gate check (cfn-lint + checkov + policies, one process): {gate:.2f} s"]
    checkov, cfnlint = shutil.which("checkov", path=str(bindir)), shutil.which("cfn-lint", path=str(bindir))
    if not checkov or not cfnlint:
        return [*lines, "peer CLIs not installed here: no ratio"]
    peers = _best([checkov, "-f", str(TEMPLATE), "--quiet", "--compact"]) + _best([cfnlint, str(TEMPLATE)])
    lines.append(f"checkov CLI + cfn-lint CLI, run by hand: {peers:.2f} s")
    lines.append(f"ratio (peers / gate): {peers / gate:.2f}x")
    return lines
