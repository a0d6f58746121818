"""``devops-gate codepipeline``: run as a CodePipeline custom-action job worker (see gate/publish/codepipeline.py)."""

from __future__ import annotations

import argparse
import os

from gate.cloud.aws import AwsTarget
from gate.publish.codepipeline import ActionType, work

HELP = "work CodePipeline jobs: poll, run plan or apply on the input artifact, report the result"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--category", default="Test", help="custom action category (default Test)")
    parser.add_argument("--provider", default="DevopsGate", help="custom action provider (default DevopsGate)")
    parser.add_argument("--action-version", default="1", help="custom action version (default 1)")
    parser.add_argument("--region", default=os.environ.get("AWS_REGION", "us-east-1"), help="AWS region")
    parser.add_argument("--endpoint-url", help="AWS endpoint (e.g. a moto server); real AWS when unset")
    parser.add_argument("--max-jobs", type=int, help="stop after this many jobs (default: run until stopped)")
    parser.add_argument("--idle-polls", type=int, help="stop after this many empty polls in a row")
    parser.add_argument("--poll-seconds", type=float, default=10.0, help="wait between empty polls (default 10)")


def run(args: argparse.Namespace) -> int:
    target = AwsTarget(region=args.region, endpoint_url=args.endpoint_url)
    action = ActionType(category=args.category, provider=args.provider, version=args.action_version)
    results = work(target, action, max_jobs=args.max_jobs, poll_seconds=args.poll_seconds, idle_polls=args.idle_polls)
    print(f"devops-gate: {len(results)} job(s), {sum(not r.success for r in results)} failed")
    return 0
