"""Run the benchmarks: ``python -m bench`` runs all, ``python -m bench NAME...`` runs some, ``--help`` lists them.

Each benchmark is a module ``bench/bench_<name>.py`` with ``run() -> list[str]`` (the lines it reports),
registered in BENCHMARKS below.  Targets are printed and compared here, never asserted in timed tests.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# name -> (module, what it measures)
BENCHMARKS: dict[str, tuple[str, str]] = {
    "gate": ("bench.bench_gate", "devops-gate check in one process vs the checkov + cfn-lint CLIs run by hand"),
    "speed": (
        "bench.bench_speed",
        "issue 19: check/plan/monorepo/comment/memory vs the two CLIs, A/B interleaved medians (BENCH_ROUNDS)",
    ),
    "folder": ("bench.bench_folder", "devops-gate check on 25/50/100 templates vs checkov -d + one cfn-lint (<= 1.0x)"),
    "interpreter": ("bench.bench_interpreter", "the offline interpreter on the request corpora (< 50 ms a request)"),
    "cost": ("bench.bench_cost", "the cost estimator on 1,000 resources (target < 0.5 s), and infracost if present"),
    "tickets": ("bench.bench_tickets", "Jira requests per ticket sync (local fake Jira) and the outbox scan"),
    "policies": ("bench.bench_policies", "our checks on a 600-resource template (target < 1 s) vs checkov's runner"),
    "fuzz": ("bench.bench_fuzz", "mutated payloads, .gate.yml and plans through the CLI: exit 0/1/2, no traceback"),
    "terraform-roots": ("bench.bench_terraform_roots", "devops-gate check on 12 Terraform roots vs checkov -d (<= 2x)"),
    "tf-plan": ("bench.bench_tf_plan", "devops-gate check plan.json vs checkov -f plan.json (terraform_plan) as a CLI"),
}


def _parser() -> argparse.ArgumentParser:
    listing = "\n".join(f"  {name:<12} {what}" for name, (_, what) in BENCHMARKS.items())
    return argparse.ArgumentParser(
        prog="python -m bench",
        description="Time devops-gate's stages and compare them with their targets and with peer tools.",
        epilog=f"benchmarks:\n{listing}\n\nwith no NAME, all of them run, in this order.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def main(argv: list[str]) -> int:
    parser = _parser()
    parser.add_argument("names", nargs="*", metavar="NAME", help="benchmarks to run (default: all)")
    args = parser.parse_args(argv)  # --help prints the usage and exits 0; a bad option exits 2 with the usage
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.print_usage(sys.stderr)
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    for name in args.names or list(BENCHMARKS):
        print(f"== {name}")
        for line in importlib.import_module(BENCHMARKS[name][0]).run():
            print(f"   {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
