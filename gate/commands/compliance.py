"""``devops-gate compliance [gate-plan.json]``: the per-framework compliance report of a reviewed plan."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import get_args

from gate.compliance.build import compliance_for
from gate.compliance.render import render_json, render_markdown, write_compliance
from gate.config import ComplianceFramework, ComplianceSettings, load_config
from gate.plan_file import load_plan

HELP = "per-framework compliance report (HIPAA, PCI DSS, CIS AWS, Well-Architected) of a gate-plan.json"
FRAMEWORKS: tuple[str, ...] = get_args(ComplianceFramework)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", nargs="?", default="gate-out/gate-plan.json", help="the gate-plan.json to report on")
    parser.add_argument(
        "--framework",
        action="append",
        choices=FRAMEWORKS,
        help="report on this framework (repeatable; default: compliance.frameworks in .gate.yml, else all)",
    )
    parser.add_argument("--config", help="settings file (default: .gate.yml when present)")
    parser.add_argument("--format", choices=("markdown", "json"), default="markdown", help="printed format")
    parser.add_argument("--out", help="also write compliance.md and compliance.json to this folder")


def run(args: argparse.Namespace) -> int:
    config, _ = load_config(args.config)
    frameworks = tuple(args.framework or config.compliance.frameworks or FRAMEWORKS)
    config = config.model_copy(update={"compliance": ComplianceSettings.model_validate({"frameworks": frameworks})})
    plan = load_plan(args.plan)
    report = compliance_for(plan.checks, plan.resources, config)
    assert report is not None  # frameworks is never empty here
    plan = plan.model_copy(update={"compliance": report})
    if args.format == "json":
        print(json.dumps(render_json(plan, report), indent=2))
    else:
        sys.stdout.write(render_markdown(plan, report))
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
        write_compliance(plan, Path(args.out))
    return 1 if any(fw.failed for fw in report.frameworks) else 0
