"""A Terraform repository of many roots: ``devops-gate check`` (all its checks, one process, one scan per
project) against ``checkov -d`` on the same folder, each a fresh process as a CI step would run it.

The repository is built in a temporary folder from the corpus (tests/fixtures/real/terraform/repo): ROOTS
roots under ``live/``, each with a provider block and two calls of the shared ``modules/bucket`` (which calls
``modules/kms``). Target (issue 21): the gate within 2x the checkov CLI's time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "real" / "terraform" / "repo"
ROOTS = 12
TARGET = 2.0

ROOT = """provider "aws" {{
  region = "eu-west-1"
}}

module "data" {{
  source = "../../modules/bucket"
  name   = "acme-{n}-data"
}}

module "logs" {{
  source = "../../modules/bucket"
  name   = "acme-{n}-logs"
}}
"""


def _timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - started, done.returncode


def run() -> list[str]:
    bindir = Path(sys.executable).parent
    checkov = shutil.which("checkov", path=str(bindir))
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(CORPUS / "modules", repo / "modules")
        for n in range(ROOTS):
            (repo / "live" / f"env{n:02d}").mkdir(parents=True)
            (repo / "live" / f"env{n:02d}" / "main.tf").write_text(ROOT.format(n=n), encoding="utf-8")
        gate, code = _timed([str(bindir / "devops-gate"), "check", "repo", "--out", str(Path(tmp) / "out")], Path(tmp))
        lines = [f"devops-gate check on {ROOTS} roots (all checks, exit {code}): {gate:.1f} s"]
        if not checkov:
            return [*lines, "checkov CLI not installed here: no ratio"]
        peer, _ = _timed([checkov, "-d", "repo", "--framework", "terraform", "--quiet", "--compact"], Path(tmp))
    lines.append(f"checkov -d on the same folder: {peer:.1f} s")
    ratio = gate / peer
    verdict = "met" if ratio <= TARGET else "MISSED"
    lines.append(f"ratio (gate / checkov CLI): {ratio:.2f}x (target <= {TARGET:g}x: {verdict})")
    return lines
