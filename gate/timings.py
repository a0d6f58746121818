"""Where a run's time goes: wall seconds per stage, measured in-process, kept in ``gate-plan.json``
(``timings``, ``peak_memory_mb``) and shown under ``--debug``.

Stage names are dotted: ``load``, ``interpret``, ``synthesise``, ``checks.<id>`` (``checks.checkov.import`` /
``.scan`` / ``.wait`` when checkov runs in its worker), ``cost``, ``change-set``, ``decide``, ``render``.
A stage entered twice adds up. Thread-safe: a worker thread may add its own stages.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class Timings:
    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}
        self._memory: dict[str, float] = {}
        self._lock = threading.Lock()
        self.started = time.perf_counter()

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def add(self, name: str, seconds: float) -> None:
        with self._lock:
            self._seconds[name] = round(self._seconds.get(name, 0.0) + seconds, 3)

    def memory(self, process: str, peak_mb: float) -> None:
        with self._lock:
            self._memory[process] = peak_mb

    def seconds(self) -> dict[str, float]:
        with self._lock:
            return dict(self._seconds)

    def peak_memory(self) -> dict[str, float]:
        with self._lock:
            own = peak_memory_mb()
            return {**({"gate": own} if own is not None else {}), **self._memory}


def peak_memory_mb() -> float | None:
    """This process's peak resident memory (MB), where the platform reports it."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


class _NoTimings(Timings):
    def add(self, name: str, seconds: float) -> None:
        return None

    def memory(self, process: str, peak_mb: float) -> None:
        return None


NO_TIMINGS: Timings = _NoTimings()


def render(seconds: dict[str, float], memory: dict[str, float]) -> list[str]:
    """The ``--debug`` lines: one per stage, slowest first, then peak memory per process."""
    lines = [f"timing {name:<24} {value:7.3f} s" for name, value in sorted(seconds.items(), key=lambda kv: -kv[1])]
    lines += [f"peak memory {name:<19} {value:7.1f} MB" for name, value in memory.items()]
    return lines
