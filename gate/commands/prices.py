"""``devops-gate prices show|refresh``: the price table the estimator uses, and refreshing it from the AWS
Price List API (needs AWS credentials allowed to call ``pricing:GetProducts``)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from gate.cloud.aws import AwsTarget
from gate.config import load_config
from gate.cost.prices import available_regions, load_table, parse_table
from gate.cost.refresh import PRICING_REGIONS, refresh
from gate.errors import GateError

HELP = "show the price table, or refresh it from the AWS Price List API"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=type(parser))
    show = sub.add_parser("show", help="where the prices come from and how old they are")
    refresh_p = sub.add_parser("refresh", help="write a refreshed <region>.json (set cost.prices_dir to use it)")
    for p in (show, refresh_p):
        p.add_argument("--config", help="settings file (default: .gate.yml when present)")
        p.add_argument("--region", help="price region (default: aws.region in .gate.yml)")
    refresh_p.add_argument("--out", default=".gate/prices", help="folder for <region>.json (default: .gate/prices)")
    refresh_p.add_argument("--endpoint-url", help="Price List API endpoint (default: AWS)")
    refresh_p.add_argument(
        "--pricing-region", default="us-east-1", choices=PRICING_REGIONS, help="where the Price List API is called"
    )


def run(args: argparse.Namespace) -> int:
    config, _ = load_config(args.config)
    region = args.region or config.aws.region
    if args.action == "show":
        table = load_table(region, config.cost.prices_dir)
        print(f"region {table.region}, {table.currency}, prices of {table.as_of} ({table.origin})")
        print(f"source: {table.source}")
        print(f"{len(table.ec2_types())} EC2 types; regions available: {', '.join(available_regions())}")
        return 0
    start = load_table(region, config.cost.prices_dir)
    target = AwsTarget(region=args.pricing_region, endpoint_url=args.endpoint_url)
    result = refresh(target, region, start, dt.datetime.now(dt.UTC).date())
    out = Path(args.out) / f"{region}.json"
    text = json.dumps(result.table, indent=2) + "\n"
    parse_table(text, str(out))  # what we write must load again
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise GateError(f"cannot write the price table ({exc.strerror})", source=str(out), fix="pass --out") from exc
    print(f"devops-gate: wrote {out}: {result.summary()}")
    print(f"  set cost.prices_dir: {args.out} in .gate.yml to use it")
    return 0
