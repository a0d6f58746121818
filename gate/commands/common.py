"""Arguments and output shared by the commands that gate a change.

Light on purpose: ``check`` and ``plan`` import this before they fork their checkov worker, so what only
``finish`` needs (the pipeline, rendering) is imported there (issue 19)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from gate import logs
from gate.commands import console
from gate.config import GateConfig, load_config
from gate.models import Severity
from gate.redact import redact

if TYPE_CHECKING:
    from gate.models import GatePlan

_VERDICT_LINE = {"pass": "PASS", "needs-approval": "NEEDS APPROVAL", "blocked": "BLOCKED"}


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="settings file (default: .gate.yml when present)")
    parser.add_argument("--out", default="gate-out", help="folder for gate-plan.json, comment.md, results.sarif")
    parser.add_argument(
        "--fail-on",
        choices=[s.name.lower() for s in Severity],
        help="block on findings at or above this severity (overrides .gate.yml)",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the scanners' own log lines (captured and hidden otherwise)"
    )


def add_base_ref(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--base-ref",
        help="git branch, tag or sha whose version of the same paths is the cost base (default in GitHub "
        "Actions: origin/$GITHUB_BASE_REF when fetched); a deployed stack, when an endpoint is given, wins",
    )


def settings(args: argparse.Namespace) -> GateConfig:
    logs.set_debug(bool(getattr(args, "debug", False)))
    config, _ = load_config(args.config)
    if getattr(args, "fail_on", None):
        thresholds = config.thresholds.model_copy(update={"fail_on": Severity.parse(args.fail_on)})
        config = config.model_copy(update={"thresholds": thresholds})
    return config


def finish(plan: GatePlan, out_dir: str) -> int:
    from gate.checks.baseline import is_on_base
    from gate.cost.format import report_headline
    from gate.deploy.verify import plan_file_sha256
    from gate.iac import resource_total
    from gate.pipeline import PLAN_FILE, write_outputs
    from gate.timings import render as render_timings

    written = write_outputs(plan, Path(out_dir))
    live = [f.severity for f in plan.findings if f.waived is None]
    summary = ", ".join(f"{live.count(sev)} {sev.name.lower()}" for sev in reversed(Severity) if sev in live)
    on_base = sum(1 for f in plan.findings if is_on_base(f))
    waived = sum(1 for f in plan.findings if f.waived is not None) - on_base
    summary = summary or "no open findings"
    summary += f" ({waived} waived)" if waived else ""
    summary += f" ({on_base} already on the base branch)" if on_base else ""
    resources = resource_total(plan.resources)
    console.verdict_line(
        f"devops-gate: {_VERDICT_LINE[plan.verdict.decision]} (resources: {resources}; {summary})",
        plan.verdict.decision,
    )
    if plan.unchanged:
        print(f"  unchanged since the base, not gated: {len(plan.unchanged)} file(s)")
    if plan.cost is not None:
        print(f"  cost: {report_headline(plan.cost)}")
    for reason in plan.verdict.reasons:
        print(f"  - {redact(reason)}")
    print("outputs:")
    for name, path in written.items():
        print(f"  {name:<16} {path}")
    # the anchor a reviewer hands to apply: it covers the verdict and allowances, not only the IaC files
    print(f"plan sha256: {plan_file_sha256(str(written[PLAN_FILE]))}")
    if logs.debug():  # where the time went, stage by stage (also in gate-plan.json)
        timings = json.loads(written[PLAN_FILE].read_text(encoding="utf-8")).get("timings", {})
        for line in render_timings(timings, plan.peak_memory_mb):
            print(f"[gate] {line}", file=sys.stderr)
    hidden = logs.captured()
    if hidden and not logs.debug():
        print(f"({len(hidden)} log line(s) from the scanners hidden; --debug shows them)", file=sys.stderr)
    sys.stdout.flush()
    return plan.verdict.exit_code
