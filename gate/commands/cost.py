"""``devops-gate cost PATH...``: what CloudFormation/Terraform costs per month, against the deployed stack
when an endpoint is given or the same paths at a git base ref, with the cost thresholds of ``.gate.yml`` (exit 1
when one is reached)."""

from __future__ import annotations

import argparse
import tempfile
from functools import lru_cache
from pathlib import Path

import jinja2

from gate.cloud.aws import AwsTarget
from gate.commands.common import add_base_ref
from gate.config import GateConfig, load_config
from gate.cost import format as cost_format
from gate.cost.compute import cost_of_bundle
from gate.cost.git_base import choose_base
from gate.cost.thresholds import cost_reasons
from gate.errors import GateError
from gate.iac import load_paths, write_bundle
from gate.models import CostReport
from gate.report import templating

HELP = "estimate the monthly cost of CloudFormation/Terraform (before vs after) and check the cost thresholds"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", help="files or folders with CloudFormation templates or .tf files")
    parser.add_argument("--config", help="settings file (default: .gate.yml when present)")
    parser.add_argument("--region", help="price region (default: aws.region in .gate.yml)")
    parser.add_argument("--usage-file", help="usage estimates, like infracost's usage.yml (overrides cost.usage_file)")
    parser.add_argument("--endpoint-url", help="compare with the deployed stack on this AWS endpoint")
    parser.add_argument("--stack", help="the deployed stack to compare with (default: stack_name in .gate.yml)")
    parser.add_argument("--json", action="store_true", help="print the CostReport as JSON")
    add_base_ref(parser)


def _config(args: argparse.Namespace) -> GateConfig:
    config, _ = load_config(args.config)
    updates: dict[str, object] = {}
    if args.usage_file:
        updates["cost"] = config.cost.model_copy(update={"usage_file": args.usage_file})
    if args.region:
        updates["aws"] = config.aws.model_copy(update={"region": args.region})
    if args.stack:
        updates["stack_name"] = args.stack
    return config.model_copy(update=updates) if updates else config


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    # plain text for a terminal
    return templating.environment(
        "gate.report",
        {
            "money": cost_format.money,
            "signed": cost_format.signed,
            "cost_headline": cost_format.report_headline,
        },
    )


def render_text(report: CostReport) -> str:
    return _env().get_template("cost.txt.j2").render(c=report)


def run(args: argparse.Namespace) -> int:
    config = _config(args)
    bundle = load_paths(args.paths, config.projects, download=config.terraform.download_external_modules)
    git_base = choose_base(args.base_ref, args.paths)
    target = None
    endpoint = args.endpoint_url or config.aws.endpoint_url
    if endpoint:
        if not endpoint.startswith(("http://", "https://")):
            raise GateError(f"endpoint {endpoint!r} is not a URL", fix="pass --endpoint-url http://host:port")
        target = AwsTarget(region=config.aws.region, endpoint_url=endpoint)
    with tempfile.TemporaryDirectory(prefix="devops-gate-cost-") as tmp:
        write_bundle(bundle, Path(tmp))
        report = cost_of_bundle(bundle, config, config.aws.region, Path(tmp), target, git_base)
    print(report.model_dump_json(indent=2) if args.json else render_text(report), end="\n" if args.json else "")
    blocked, approval = cost_reasons(report, config.cost.thresholds)
    for reason in blocked:
        print(f"devops-gate: BLOCKED: {reason}")
    for reason in approval:
        print(f"devops-gate: NEEDS APPROVAL: {reason}")
    return 1 if blocked or approval else 0
