"""A Terraform plan's JSON: ``devops-gate check plan.json`` (all its checks: checkov's terraform_plan framework,
our policies, secrets, data-loss guard, cost) against ``checkov -f plan.json`` as a CLI, each a fresh process.

Plans: the recorded ``replace-db.json`` and ``module.json`` (tests/fixtures/terraform-plans) and one of PLANNED
queues built from the recorded ``create-queue.json`` (its resource copied under new addresses), to see how both
grow.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PLANS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "terraform-plans"
PLANNED = 100
PLANS_TIMED = (
    ("replace-db.json", "recorded replace-db plan"),
    ("module.json", "recorded module plan (a local module's bucket, versioning, queue)"),
    ("queues.json", f"{PLANNED} queues"),
)


def _timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, check=False)
    return time.perf_counter() - started, done.returncode


def _many_queues(count: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PLANS / "create-queue.json").read_text(encoding="utf-8"))
    [change] = data["resource_changes"]
    [planned] = data["planned_values"]["root_module"]["resources"]
    changes, values = [], []
    for n in range(count):
        rc, pv = copy.deepcopy(change), copy.deepcopy(planned)
        for item in (rc, pv):
            item["name"], item["address"] = f"q{n}", f"aws_sqs_queue.q{n}"
        rc["change"]["after"]["name"] = pv["values"]["name"] = f"orders-{n}"
        changes.append(rc)
        values.append(pv)
    data["resource_changes"] = changes
    data["planned_values"]["root_module"]["resources"] = values
    return data


def run() -> list[str]:
    bindir = Path(sys.executable).parent
    checkov = shutil.which("checkov", path=str(bindir))
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for recorded in ("replace-db.json", "module.json"):
            shutil.copy(PLANS / recorded, work / recorded)
        (work / "queues.json").write_text(json.dumps(_many_queues(PLANNED)), encoding="utf-8")
        for name, label in PLANS_TIMED:
            out = str(work / f"out-{name}")
            gate, code = _timed([str(bindir / "devops-gate"), "check", name, "--out", out], work)
            lines.append(f"{label}: devops-gate check plan.json (all checks, exit {code}): {gate:.1f} s")
            if not checkov:
                lines.append("  checkov CLI not installed here: no ratio")
                continue
            peer, _ = _timed([checkov, "-f", name, "--framework", "terraform_plan", "--quiet", "--compact"], work)
            lines.append(f"{label}: checkov -f plan.json --framework terraform_plan: {peer:.1f} s")
            lines.append(f"  ratio (gate / checkov CLI): {gate / peer:.2f}x")
    return lines
