"""``devops-gate demo``: the PR-side job end to end on the embedded AWS (a moto server on 127.0.0.1)."""

from __future__ import annotations

import argparse
import time
from importlib import resources

from gate.cloud.embedded import moto_server
from gate.commands.common import finish, settings
from gate.intake.local import from_text
from gate.models import ChangeContext
from gate.pipeline import Run, plan_request

HELP = "run plan on a bundled example request against an embedded moto server"


def demo_request() -> str:
    return resources.files("gate.data").joinpath("demo-request.md").read_text(encoding="utf-8").strip()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--request", help="use this request instead of the bundled example")
    parser.add_argument("--out", default="gate-out/demo", help="output folder")
    parser.add_argument("--config", help="settings file (default: .gate.yml when present)")


def _step(text: str) -> None:
    print(f"==> {text}", flush=True)


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    request = from_text(args.request or demo_request())
    started = time.perf_counter()
    _step("starting the embedded AWS (moto server on 127.0.0.1)")
    with moto_server(config.aws.region) as target:
        print(f"    endpoint {target.endpoint_url}, region {target.region}")
        _step(f"change request: {request.text}")
        _step(
            "interpreting, synthesising CloudFormation, running cfn-lint, checkov and policies, "
            f"creating a change set for stack {config.stack_name}"
        )
        plan = plan_request(request, Run(config=config, context=ChangeContext(), target=target))
        _step("the change set says:")
        for change in plan.changes:
            print(f"    {change.action:<7} {change.logical_id:<32} {change.type}")
        if not plan.changes:
            print("    (no changes)")
        _step("stopping the embedded AWS")
    code = finish(plan, args.out)
    print(f"done in {time.perf_counter() - started:.1f} s; read {args.out}/comment.md for the PR comment")
    return code
