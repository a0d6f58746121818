"""``devops-gate check PATH...``: gate CloudFormation/Terraform written by hand (no interpretation)."""

from __future__ import annotations

import argparse

from gate.commands import console
from gate.commands.common import add_common, finish, settings
from gate.commands.cost import add_base_ref
from gate.cost.git_base import choose_base
from gate.iac import load_paths
from gate.models import ChangeContext
from gate.pipeline import Run, gate_bundle

HELP = "run the checks on hand-written CloudFormation or Terraform and decide"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", help="files or folders with CloudFormation templates or Terraform (.tf, .tf.json)"
    )
    add_base_ref(parser)
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    bundle = load_paths(
        args.paths,
        config.projects,
        download=config.terraform.download_external_modules,
        max_file_bytes=config.limits.template_bytes,
    )
    # the cost base: the same paths at the PR's base ref (--base-ref, else origin/$GITHUB_BASE_REF in Actions)
    git_base = choose_base(args.base_ref, args.paths) if config.cost.enabled else None
    run = Run(config=config, context=ChangeContext(), cost_base=git_base, progress=console.progress())
    return finish(gate_bundle(bundle, run), args.out)
