"""Folder runs: `devops-gate check DIR` (one cfn-lint run for every template, each checkov framework once)
against the peer CLIs a CI step would run by hand on the same folder: `checkov -d DIR` plus one `cfn-lint`
process over every template. 25 / 50 / 100 templates; target: the gate within 1.0x of the peers.

The templates are the real-world shapes of tests/fixtures/real/cloudformation (plus the public-bucket
fixture), copied under new names so every folder size has the same mix.

Each size runs ``BENCH_ROUNDS`` rounds (default 3), the gate and the peers interleaved (the order flips each
round), and reports medians, so a loaded machine weighs on both sides alike. ``BENCH_GATE_BASE=<checkout>[,...]``
adds sides, the gate of other checkouts, named by their folder (a before/after in the same run);
``BENCH_FOLDER_SIZES=100`` runs some sizes only.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
SOURCES = (
    *sorted((FIXTURES / "real" / "cloudformation" / "folder").glob("*.yaml")),
    FIXTURES / "real" / "cloudformation" / "foreach-tables.yaml",
    FIXTURES / "real" / "cloudformation" / "inline-code.yaml",
    FIXTURES / "iac" / "public-bucket.yaml",
)
SIZES = (25, 50, 100)
ROOT = Path(__file__).resolve().parent.parent


def _sizes() -> tuple[int, ...]:
    given = os.environ.get("BENCH_FOLDER_SIZES", "").strip()
    return tuple(int(n) for n in given.split(",")) if given else SIZES


def _rounds() -> int:
    return max(1, int(os.environ.get("BENCH_ROUNDS", "3")))


def _folder(root: Path, count: int) -> Path:
    folder = root / f"t{count}"
    folder.mkdir()
    for n in range(count):
        source = SOURCES[n % len(SOURCES)]
        shutil.copy(source, folder / f"{n:03d}-{source.name}")
    return folder


def _time(cmd: list[str], cwd: Path | None = None, gate_path: Path | None = None) -> float:
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    if gate_path is not None:
        env["PYTHONPATH"] = str(gate_path)
    started = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=False, cwd=cwd, env=env)
    return time.perf_counter() - started


def run() -> list[str]:
    bindir = Path(sys.executable).parent
    checkov, cfnlint = shutil.which("checkov", path=str(bindir)), shutil.which("cfn-lint", path=str(bindir))
    base = os.environ.get("BENCH_GATE_BASE")
    lines: list[str] = [f"{_rounds()} round(s) a size, interleaved, medians; load average {os.getloadavg()[0]:.1f}"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for count in _sizes():
            folder = _folder(root, count)

            # the gate of a checkout (PYTHONPATH, run outside it), as `devops-gate check` would run in CI
            def gate(path: Path, out: str, folder: Path = folder, count: int = count) -> float:
                cmd = [sys.executable, "-m", "gate.cli", "check", str(folder), "--out", str(root / f"{out}{count}")]
                return _time(cmd, cwd=root, gate_path=path)

            def peers(folder: Path = folder) -> float:
                assert checkov and cfnlint
                cmd = [checkov, "-d", str(folder), "--framework", "cloudformation", "--quiet", "--compact"]
                return _time(cmd) + _time([cfnlint, *map(str, sorted(folder.glob("*.yaml")))])

            sides: dict[str, Callable[[], float]] = {"gate": lambda: gate(ROOT, "out")}
            for n, other in enumerate(p for p in (base or "").split(",") if p):
                sides[Path(other).name] = lambda other=other, n=n: gate(Path(other).resolve(), f"base{n}")
            if checkov and cfnlint:
                sides["peers"] = peers
            times: dict[str, list[float]] = {name: [] for name in sides}
            for n in range(_rounds()):
                for name in list(sides)[:: 1 if n % 2 == 0 else -1]:
                    times[name].append(sides[name]())
            median = {name: statistics.median(t) for name, t in times.items()}
            if "peers" not in median:
                gate_s = median["gate"]
                lines.append(f"{count} templates: devops-gate {gate_s:.1f} s (peer CLIs not installed: no ratio)")
                continue
            line = (
                f"{count} templates: devops-gate {median['gate']:.1f} s, checkov -d + one cfn-lint "
                f"{median['peers']:.1f} s, ratio gate/peers {median['gate'] / median['peers']:.2f}x (target <= 1.0x)"
            )
            for name in [n for n in median if n not in ("gate", "peers")]:
                line += f"; {name} {median[name]:.1f} s, ratio {name}/peers {median[name] / median['peers']:.2f}x"
            lines.append(line)
    return lines
