"""``devops-gate check PATH...``: gate CloudFormation/Terraform written by hand (no interpretation).

``run`` forks the checkov worker first (``scan_worker.prewarm_early``) and only then imports the rest of what it
needs, so checkov's import in the worker overlaps the gate's own (~1 s; issue 19)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from gate import gc_pause
from gate.checks import scan_worker
from gate.commands.common import add_base_ref, add_common, settings
from gate.errors import GateError

if TYPE_CHECKING:
    from gate.models import IaCBundle

HELP = "run the checks on hand-written CloudFormation or Terraform and decide"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        help="files or folders with CloudFormation templates or Terraform (.tf, .tf.json), or a Terraform plan's "
        "JSON (terraform show -json plan.out > plan.json)",
    )
    parser.add_argument(
        "--tf-plan",
        metavar="PLANFILE",
        help="a binary plan from 'terraform plan -out PLANFILE': the gate runs 'terraform show -json' on it "
        "(terraform on PATH; run the gate in the initialised root the plan was made in)",
    )
    parser.add_argument(
        "--tf-root",
        metavar="DIR",
        help="a Terraform root to plan: terraform init + plan -out (the planfile next to gate-plan.json, its sha256 "
        "recorded; 'apply' applies exactly it). Default: terraform.root in .gate.yml when nothing else is given",
    )
    parser.add_argument(
        "--allow-data-loss",
        action="append",
        default=[],
        metavar="ADDRESS",
        help="allow the plan to delete or replace this stateful resource (repeatable; '*' for all)",
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
    tf_root = args.tf_root or (config.terraform.root if not args.paths and not args.tf_plan else None)
    if not args.paths and not args.tf_plan and not tf_root:
        raise GateError(
            "nothing to check", fix="pass files or folders, a plan JSON, --tf-plan PLANFILE or --tf-root DIR"
        )
    scan_worker.prewarm_early(config.checks.enabled)  # before the imports below; the formats follow
    with gc_pause.importing():
        from gate.checks.registry import prewarm
        from gate.commands import console
        from gate.commands.common import finish
        from gate.cost.git_base import choose_base
        from gate.deploy import terraform_apply, terraform_base
        from gate.iac import load_paths
        from gate.models import ChangeContext, IaCBundle
        from gate.pipeline import Run, gate_bundle
        from gate.terraform import plan_input
        from gate.timings import Timings

    timings = Timings()
    plans = [p for p in args.paths if plan_input.is_plan_path(p)]
    sources = [p for p in args.paths if p not in plans]
    with timings.stage("load"):
        planned = [plan_input.plan_file(p, config.limits.template_bytes) for p in plans]
        if args.tf_plan:
            planned.append(plan_input.from_planfile(args.tf_plan, config.terraform.plugin_mirror))
        tf_run = None
        if tf_root:  # the gate plans the root itself; apply gets exactly this planfile
            tf = terraform_apply.terraform_for(config.terraform)
            base = terraform_base.base_commit(args.base_ref)  # a rollback re-applies the root as it was there
            tf_run, tf_json = terraform_apply.plan_root(tf_root, config.terraform, Path(args.out), tf, base)
            planned.append(tf_json)
        bundle = (
            load_paths(
                sources,
                config.projects,
                download=config.terraform.download_external_modules,
                max_file_bytes=config.limits.template_bytes,
            )
            if sources
            else IaCBundle(origin="hand-written", files=())
        )
    gated: list[str] = list(sources)
    unchanged: tuple[str, ...] = ()
    if args.changed_only:
        with timings.stage("changed-only"):
            bundle, gated, unchanged = _narrow(bundle, args)
    bundle = bundle.model_copy(update={"files": (*bundle.files, *planned)})
    # checkov imports in its worker while the cost base is read and the other checks run
    formats = ("cloudformation", "terraform", "terraform-plan")
    prewarm(tuple(f for f in formats if bundle.by_format(f)), config.checks.enabled)
    # the cost base: the same paths at the PR's base ref (--base-ref, else origin/$GITHUB_BASE_REF in Actions)
    # and of the findings already there (thresholds.new_findings_only)
    wanted = config.cost.enabled or config.thresholds.new_findings_only is not False
    git_base = choose_base(args.base_ref, gated) if wanted and gated else None
    run = Run(
        config=config,
        context=ChangeContext(allow_data_loss=tuple(args.allow_data_loss)),
        cost_base=git_base,
        progress=console.progress(),
        timings=timings,
        unchanged=unchanged,
    )
    plan = gate_bundle(bundle, run)
    if tf_run is not None:
        plan = plan.model_copy(update={"terraform": tf_run})
    return finish(plan, args.out)


def _narrow(bundle: IaCBundle, args: argparse.Namespace) -> tuple[IaCBundle, list[str], tuple[str, ...]]:
    from gate import changed
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
