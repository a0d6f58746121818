"""The offline interpreter on the request corpora: pass rate (types and properties of the synthesised
CloudFormation) and milliseconds per request after import (target: < 50 ms)."""

from __future__ import annotations

import contextlib
import statistics
import time

from gate.errors import GateError
from gate.interpret.offline import interpret
from tests.interpret_cases import CORPUS, HOLDOUT, HOLDOUT_V2, HOLDOUT_V3, HOLDOUT_V4, SAMPLE, judge, load

TARGET_MS = 50.0
ROUNDS = 5


def _timings(texts: list[str]) -> list[float]:
    per_request: list[float] = []
    for text in texts:
        best = float("inf")
        for _ in range(ROUNDS):
            started = time.perf_counter()
            with contextlib.suppress(GateError):  # refusals are timed too
                interpret(text)
            best = min(best, time.perf_counter() - started)
        per_request.append(best * 1000)
    return per_request


def run() -> list[str]:
    lines: list[str] = []
    texts: list[str] = []
    for label, path in (
        ("sample", SAMPLE),
        ("corpus", CORPUS),
        ("hold-out", HOLDOUT),
        ("hold-out v2", HOLDOUT_V2),
        ("hold-out v3", HOLDOUT_V3),
        ("hold-out v4", HOLDOUT_V4),
    ):
        cases = load(path)
        texts.extend(str(c["text"]) for c in cases)
        outcomes = [judge(c) for c in cases]
        passed = sum(o.ok for o in outcomes)
        silent = sum(len(o.silent) for o in outcomes)
        lines.append(f"{label}: {passed}/{len(cases)} pass ({100 * passed / len(cases):.1f}%), {silent} silent drops")
        lines.extend(f"  failed {o.case_id}: {o.reason[:120]}" for o in outcomes if not o.ok)
        lines.extend(f"  silent {o.case_id}: {'; '.join(o.silent)[:160]}" for o in outcomes if o.silent)
    ms = _timings(texts)
    worst = max(ms)
    lines.append(
        f"interpret(): median {statistics.median(ms):.2f} ms, p95 {sorted(ms)[int(0.95 * len(ms))]:.2f} ms, "
        f"max {worst:.2f} ms per request over {len(ms)} requests (target < {TARGET_MS:.0f} ms): "
        + ("OK" if worst < TARGET_MS else "OVER TARGET")
    )
    return lines
