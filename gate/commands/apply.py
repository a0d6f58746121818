"""``devops-gate apply --plan gate-plan.json [--env NAME]``: deploy exactly the reviewed plan, watch, roll back.

The command only reads its arguments; the merge side itself is :func:`gate.deploy.spine.apply_reviewed`, the
same function the GitHub flow and the CodePipeline worker call.

Exit codes: 0 applied (or nothing to change), 1 refused (approval missing, stale, rolled back before, guard),
failed or rolled back, 2 bad input (tampered plan, verdict not passed, unknown environment, held lock ...).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from gate.commands.common import settings
from gate.deploy.spine import ANCHOR_ENV, RunSettings, apply_reviewed
from gate.publish.merge_ports import ticket_ports

HELP = "apply a reviewed gate-plan.json: verify hashes, lock, execute, bake on alarms, roll back"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, help="the reviewed gate-plan.json")
    parser.add_argument("--env", help="environment from .gate.yml 'environments:' (role, regions, stack prefix)")
    parser.add_argument("--template", help="the template file to deploy (default: the reviewed file next to the plan)")
    anchor = parser.add_mutually_exclusive_group()
    anchor.add_argument(
        "--expect-sha256",
        default=os.environ.get(ANCHOR_ENV) or None,
        help="the sha256 of the reviewed gate-plan.json (or its first 12+ hex digits), as 'devops-gate plan' printed "
        f"it (default: ${ANCHOR_ENV}, an anchor the CI system passes between its jobs); required",
    )
    anchor.add_argument(
        "--unanchored",
        action="store_true",
        help="local use only: apply without checking the plan file against a reviewed sha256 (anyone who can edit "
        "the file then chooses its verdict and template); loud, and recorded in the audit log",
    )
    parser.add_argument(
        "--reapply-rolled-back",
        action="store_true",
        help="apply the plan even though this stack applied it before and rolled it back on an alarm (recorded "
        "in the audit log); without it such a plan is refused",
    )
    parser.add_argument("--endpoint-url", help="AWS endpoint (e.g. a moto server); default aws.endpoint_url")
    parser.add_argument("--actor", default=os.environ.get("GITHUB_ACTOR") or _user(), help="who applies")
    parser.add_argument("--commit", default=os.environ.get("GITHUB_SHA"), help="the merged commit")
    parser.add_argument("--config", help="settings file (default: .gate.yml when present)")


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def say(line: str) -> None:
    print(line, flush=True)


def warn(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    approvers, announcer = ticket_ports(config, say, warn)
    run_settings = RunSettings(
        config=config,
        actor=args.actor,
        expect_sha256=args.expect_sha256,
        unanchored=args.unanchored,
        env=args.env,
        endpoint_url=args.endpoint_url,
        template=args.template,
        commit=args.commit,
        approvers=approvers,
        announcer=announcer,
        reapply_rolled_back=args.reapply_rolled_back,
        say=say,
        warn=warn,
    )
    return apply_reviewed(args.plan, run_settings).exit_code
