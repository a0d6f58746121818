"""The fuzz tests of tests/test_promise_typed_input.py, longer: real event payloads, .gate.yml and gate-plan.json
mutated at random and run through the CLI; every exit code must be 0, 1 or 2, with no traceback.

``GATE_FUZZ_EXAMPLES`` sets the examples per target (default 300; the test run uses 25)."""

from __future__ import annotations

import collections
import os
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.fuzz_support import EXIT_CODES, TARGETS


def run() -> list[str]:
    examples = int(os.environ.get("GATE_FUZZ_EXAMPLES", "300"))
    lines: list[str] = []
    for name, (inputs, run_one) in TARGETS.items():
        counts: collections.Counter[int] = collections.Counter()
        started = time.perf_counter()
        _property(inputs(), run_one, counts, examples)()  # a traceback or another exit fails here, shrunk
        seconds = time.perf_counter() - started
        by_code = ", ".join(f"exit {code}: {n}" for code, n in sorted(counts.items()))
        lines.append(f"{name:<16} {sum(counts.values())} runs in {seconds:.1f} s, no traceback ({by_code})")
    return lines


def _property(
    inputs: Any, run_one: Callable[[Any], int], counts: collections.Counter[int], examples: int
) -> Callable[[], None]:
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(drawn=inputs)
    def prop(drawn: Any) -> None:
        code = run_one(drawn)
        counts[code] += 1
        assert code in EXIT_CODES, f"exit {code}"

    return prop  # type: ignore[no-any-return]
