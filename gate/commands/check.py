"""``devops-gate check PATH...``: gate CloudFormation/Terraform written by hand (no interpretation)."""

from __future__ import annotations

import argparse
import os

from gate import changed
from gate.checks.registry import prewarm
from gate.commands import console
from gate.commands.common import add_common, finish, settings
from gate.commands.cost import add_base_ref
from gate.cost.git_base import choose_base
from gate.errors import GateError
from gate.iac import load_paths
from gate.models import ChangeContext, IaCBundle
from gate.pipeline import Run, gate_bundle
from gate.timings import Timings

HELP = "run the checks on hand-written CloudFormation or Terraform and decide"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", help="files or folders with CloudFormation templates or Terraform (.tf, .tf.json)"
    )
    add_base_ref(parser)
    parser.add_argument(
        "--changed-only",
        action="store_true",
        help="gate only the files that differ from the base ref (--base-ref, else origin/$GITHUB_BASE_REF), plus "
        "the nested stacks and Terraform projects they bring along; list the rest as unchanged",
    )
    add_common(parser)


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    timings = Timings()
    with timings.stage("load"):
        bundle = load_paths(
            args.paths,
            config.projects,
            download=config.terraform.download_external_modules,
            max_file_bytes=config.limits.template_bytes,
        )
    gated: list[str] = list(args.paths)
    unchanged: tuple[str, ...] = ()
    if args.changed_only:
        with timings.stage("changed-only"):
            bundle, gated, unchanged = _narrow(bundle, args)
    # checkov imports in its worker while the cost base is read and the other checks run
    prewarm(tuple(f for f in ("cloudformation", "terraform") if bundle.by_format(f)), config.checks.enabled)
    # the cost base: the same paths at the PR's base ref (--base-ref, else origin/$GITHUB_BASE_REF in Actions)
    git_base = choose_base(args.base_ref, gated) if config.cost.enabled and gated else None
    run = Run(
        config=config,
        context=ChangeContext(),
        cost_base=git_base,
        progress=console.progress(),
        timings=timings,
        unchanged=unchanged,
    )
    return finish(gate_bundle(bundle, run), args.out)


def _narrow(bundle: IaCBundle, args: argparse.Namespace) -> tuple[IaCBundle, list[str], tuple[str, ...]]:
    from gate.cost.git_base import _resolve

    if args.base_ref:
        top, commit = _resolve(args.base_ref)
    elif os.environ.get("GITHUB_BASE_REF", "").strip():
        top, commit = _resolve(f"origin/{os.environ['GITHUB_BASE_REF'].strip()}", source="GITHUB_BASE_REF")
    else:
        raise GateError(
            "--changed-only needs the base to compare with",
            source="--changed-only",
            fix="pass --base-ref (a branch, tag or sha), or run in a pull_request job (GITHUB_BASE_REF)",
        )
    narrowed = changed.narrow(bundle, changed.changed_files(top, commit, args.paths))
    if narrowed.bundle is None:  # nothing changed: nothing to gate, and every file said to be unchanged
        return bundle.model_copy(update={"files": (), "projects": ()}), [], narrowed.unchanged
    return narrowed.bundle, list(narrowed.gated), narrowed.unchanged
