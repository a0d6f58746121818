"""``devops-gate check PATH...``: gate CloudFormation/Terraform written by hand (no interpretation)."""

from __future__ import annotations

import argparse

from gate.commands.common import add_common, finish, settings
from gate.iac import load_paths
from gate.models import ChangeContext
from gate.pipeline import Run, gate_bundle

HELP = "run the checks on hand-written CloudFormation or Terraform and decide"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", help="files or folders with CloudFormation templates or .tf files")
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    bundle = load_paths(args.paths)
    return finish(gate_bundle(bundle, Run(config=config, context=ChangeContext())), args.out)
