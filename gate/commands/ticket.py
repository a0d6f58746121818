"""``devops-gate ticket``: open or update the change's Jira ticket from gate-plan.json and move it to a state.

A ticket problem never changes the result: the command prints a warning, queues the operation in the
outbox (audit log) for the next run, and exits with the gate's own code (0 pass, 1 blocked/needs approval;
for an outcome, 0 deployed and 1 rolled back).
"""

from __future__ import annotations

import argparse
import sys
from typing import get_args

from gate.config import GateConfig, TrackerState, load_config
from gate.errors import GateError
from gate.models import GatePlan
from gate.plan_file import load_plan
from gate.publish.announce import Announcement, announce, audit_log
from gate.publish.facts import Link

HELP = "open or update the change ticket (Jira) for a plan and move it to its state"
_STATES = ("auto", *get_args(TrackerState))


def add_publish_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", default="gate-out/gate-plan.json", help="the reviewed gate-plan.json")
    parser.add_argument("--env", default="default", help="environment name (one ticket per PR and environment)")
    parser.add_argument(
        "--state",
        choices=_STATES,
        default="auto",
        help="auto (from the verdict), or an outcome reported by apply: deployed, rolled-back",
    )
    parser.add_argument("--detail", help="what happened (e.g. which alarm caused the rollback)")
    parser.add_argument(
        "--link", action="append", default=[], metavar="TITLE=URL", help="extra link, e.g. 'CI run=https://...'"
    )
    parser.add_argument("--config", help="settings file (default: .gate.yml when present)")
    parser.add_argument("--audit-log", help="audit log holding the outbox (default: deploy.audit_path)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_publish_arguments(parser)
    parser.add_argument("--notify", action="store_true", help="also send the environment's notifications")


def parse_links(values: list[str]) -> tuple[Link, ...]:
    links = []
    for value in values:
        title, sep, url = value.partition("=")
        if not sep or not url.startswith(("https://", "http://")) or not title.strip():
            raise GateError(f"--link {value!r} is not TITLE=URL", fix="e.g. --link 'CI run=https://ci.example/run/1'")
        links.append(Link(title=title.strip(), url=url.strip()))
    return tuple(links)


def exit_code(plan: GatePlan, state: str) -> int:
    if state == "deployed":
        return 0
    if state == "rolled-back":
        return 1
    return plan.verdict.exit_code


def publish(args: argparse.Namespace, *, tickets: bool, notifications: bool) -> int:
    config: GateConfig = load_config(args.config)[0]
    plan = load_plan(args.plan)
    state: TrackerState | None = None if args.state == "auto" else args.state
    result = announce(
        plan,
        config,
        args.env,
        state,
        log=audit_log(config, args.audit_log),
        links=parse_links(args.link),
        detail=args.detail,
        tickets=tickets,
        notifications=notifications,
    )
    report(result, tickets and config.jira is None)
    return exit_code(plan, result.facts.state)


def report(result: Announcement, tickets_off: bool) -> None:
    if tickets_off:
        print("devops-gate: tickets are off (no jira: section in .gate.yml)")
    for line in result.lines:
        print(f"devops-gate: {line}")
    for warning in result.warnings:
        print(f"devops-gate: warning: {warning}", file=sys.stderr)
    sys.stdout.flush()


def run(args: argparse.Namespace) -> int:
    return publish(args, tickets=True, notifications=args.notify)
