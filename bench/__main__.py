"""Run the benchmarks: ``python -m bench`` runs all, ``python -m bench NAME`` runs one.

Each benchmark is a module ``bench/bench_<name>.py`` with ``run() -> list[str]`` (the lines it reports),
registered in BENCHMARKS below.  Targets are printed and compared here, never asserted in timed tests.
"""

from __future__ import annotations

import importlib
import sys

BENCHMARKS: dict[str, str] = {
    "gate": "bench.bench_gate",
    "interpreter": "bench.bench_interpreter",
    "cost": "bench.bench_cost",
    "tickets": "bench.bench_tickets",
    "policies": "bench.bench_policies",
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    for name in names:
        print(f"== {name}")
        for line in importlib.import_module(BENCHMARKS[name]).run():
            print(f"   {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
