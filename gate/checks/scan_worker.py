"""checkov in a second process, so its import (~1 to 3 s, most of a small run) and its scan overlap the rest of the
gate: cfn-lint, our own policies, and, on ``plan``, interpretation and synthesis.

``prewarm(formats)`` forks a worker as early as the command knows which formats it will check; the worker
imports the checkov runners of exactly those formats (``checkov.cloudformation.runner``,
``checkov.terraform.runner``: never checkov's ``RunnerRegistry`` or the runners of other frameworks), then
waits for one job. ``run_checks`` hands it the same ``CheckInput`` the in-process check would get, with what
``CheckovCheck.prepare`` made of it here (the CloudFormation templates as checkov is given them, read with
cfn-lint's decoder: the main process has read them already, so the worker never imports cfn-lint), and runs
the other checks meanwhile; the worker runs the same ``CheckovCheck.run`` and sends back its ``CheckReport``,
the log lines it captured and its timings. A worker whose formats are all CloudFormation never runs
``checkov/terraform/__init__.py`` (``CHECKS_OF``: it only registers checkov's Terraform checks, ~0.15 s). A
worker that dies is an error report on the check (the gate blocks with the reason), never a lost check.

``check`` does not know its formats before it has read its paths, and reading them needs most of the gate
imported (~1 s): ``prewarm_early`` forks the worker first thing instead, before those imports, with the formats
still open. It imports the part of checkov every runner shares (``COMMON``) and then waits for ``want(formats)``
to import the runners; a check with nothing to scan stops it (``discard``).

A fork copies the gate already imported, with nothing to re-import or to serialise but the input. It is used
only on Linux and only while the process has one thread (a fork of a threaded process can inherit a held lock);
otherwise, and with ``DEVOPS_GATE_SCAN=inline``, checkov runs in-process, after the other checks. (A thread
was tried and dropped: an import holds the GIL, so it overlapped nothing, and checkov's logging, swapped by
``logs.quiet``, is process-wide.)
"""

from __future__ import annotations

import atexit
import gc
import importlib
import importlib.util
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from types import ModuleType
from typing import Any

from gate import gc_pause, logs
from gate.checks.base import CheckInput
from gate.models import CheckReport
from gate.timings import peak_memory_mb

MODE_ENV = "DEVOPS_GATE_SCAN"
MODES = ("process", "inline")
CHECK_ID = "checkov"
# the runners a format needs, and nothing else of checkov's
RUNNERS: dict[str, tuple[str, ...]] = {
    "cloudformation": ("checkov.runner_filter", "checkov.cloudformation.runner"),
    "terraform": ("checkov.runner_filter", "checkov.terraform.runner"),
    "terraform-plan": ("checkov.runner_filter", "checkov.terraform.plan_runner"),
}
# what every runner above imports first (about half of each): a worker whose formats are still open imports it
COMMON = ("checkov.runner_filter", "checkov.common.runners.base_runner")
# a checkov package whose ``__init__`` does nothing but import (and so register) the checks of these formats,
# while checkov's shared graph code imports modules inside it: the worker runs that ``__init__`` only when it
# scans one of them (a CloudFormation-only scan then never loads checkov's ~1,300 Terraform checks)
CHECKS_OF: dict[str, tuple[str, ...]] = {"checkov.terraform": ("terraform", "terraform-plan")}
# what checkov imports and the main process imports too (cfn-lint's graph, the gate's AWS client factory):
# imported before the fork, the pages are the two processes' once (peak PSS) and the CPU is spent once
SHARED = ("networkx", "boto3", "botocore.config", "botocore.exceptions")
# and, for a format known before the fork, what the gate reads it with too (its Terraform policies parse HCL)
SHARED_BY_FORMAT: dict[str, tuple[str, ...]] = {"terraform": ("hcl2.api",)}


def mode() -> str:
    chosen = os.environ.get(MODE_ENV, "process").strip().lower() or "process"
    if chosen not in MODES:
        from gate.errors import GateError

        raise GateError(f"{MODE_ENV}={chosen!r} is not a scan mode", fix=f"use one of: {', '.join(MODES)}")
    if chosen == "process" and not _can_fork():
        return "inline"
    return chosen


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


@dataclass
class Outcome:
    """What came back from a worker: the report, the log lines it captured, seconds per stage, its peak memory."""

    report: CheckReport
    lines: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    peak_mb: float | None = None


Scan = Callable[[CheckInput, Any], CheckReport]  # the input, and what ``prepare`` made of it in the main process
Prepare = Callable[[CheckInput], Any]


def _nothing(given: CheckInput) -> None:
    return None


class Worker:
    """One checkov run away from the main thread: ``submit`` the input, ``result`` waits for the report."""

    def __init__(self, formats: tuple[str, ...] | None, run: Scan, prepare: Prepare = _nothing) -> None:
        """``formats=None``: not known yet (process mode only); ``want`` sends them before ``submit``.
        ``prepare`` runs in the main process on ``submit`` (what it has imported and read already: the
        CloudFormation templates, read with cfn-lint's decoder), ``run`` in the worker with its result."""
        self.formats = formats
        self._run = run
        self._prepare = prepare
        self._mode = mode()
        self._conn: Connection | None = None
        self._proc: Any = None
        self._outcome: Outcome | None = None
        self._job: tuple[CheckInput, Any] | None = None
        self.started = time.perf_counter()
        if self._mode == "process":
            with gc_pause.importing():
                for name in (*SHARED, *(m for f in formats or () for m in SHARED_BY_FORMAT.get(f, ()))):
                    importlib.import_module(name)
            sys.stdout.flush()
            sys.stderr.flush()
            gc.freeze()  # what is imported so far stays shared: the collector never writes to those pages
            ctx = multiprocessing.get_context("fork")
            parent, child = ctx.Pipe()
            # not a daemon: checkov's own parallel runner starts processes of its own (a daemon may not)
            self._proc = ctx.Process(target=_serve, args=(child, parent, formats, run), daemon=False)
            self._proc.start()
            child.close()
            self._conn = parent
            atexit.register(self.close)  # runs before multiprocessing joins its children at exit

    @property
    def where(self) -> str:
        return self._mode

    def want(self, formats: tuple[str, ...]) -> None:
        """The formats of a worker started with them open: it imports their runners now."""
        assert self.formats is None and self._conn is not None
        self.formats = formats
        self._conn.send(formats)

    def submit(self, given: CheckInput) -> None:
        prepared = _attempt(self._prepare, given)
        if self._conn is not None:
            self._conn.send((given, prepared))
        self._job = (given, prepared)

    def result(self) -> Outcome:
        if self._outcome is not None:
            return self._outcome
        if self._conn is not None:
            try:
                report, lines, timings, peak = self._conn.recv()
                self._outcome = Outcome(report, lines, timings, peak)
            except (EOFError, OSError) as exc:
                self._proc.join(timeout=5)
                code = self._proc.exitcode
                detail = f"the checkov worker process ended without a report (exit code {code}; {type(exc).__name__})"
                self._outcome = Outcome(CheckReport(check=CHECK_ID, status="error", detail=detail))
            finally:
                self._conn.close()
                self._proc.join(timeout=5)
                gc.unfreeze()  # the worker is gone: a process that goes on (a job loop) collects as before
        else:  # inline
            assert self._job is not None
            started = time.perf_counter()
            report = _scan(self._run, self._job)
            self._outcome = Outcome(report, timings={"checks.checkov.scan": round(time.perf_counter() - started, 3)})
        assert self._outcome is not None
        return self._outcome

    def close(self) -> None:
        """Stop a worker whose report nobody collected (the command failed before or during its checks)."""
        if self._proc is not None and self._outcome is None and self._proc.is_alive():
            self._proc.terminate()
            self._proc.join(timeout=5)
            gc.unfreeze()
        if self._conn is not None and not self._conn.closed:
            self._conn.close()


def guarded(run: Callable[[CheckInput], CheckReport], given: CheckInput, check_id: str = CHECK_ID) -> CheckReport:
    """A check that crashes is an error report with its reason (it blocks), never a lost check."""
    try:
        return run(given)
    except Exception as exc:  # a crashing check must block, with its reason, not vanish
        return _error(exc, check_id)


def _error(exc: Exception, check_id: str) -> CheckReport:
    from gate.errors import GateError

    detail = exc.render() if isinstance(exc, GateError) else f"{type(exc).__name__}: {exc}"
    return CheckReport(check=check_id, status="error", detail=detail)


@dataclass(frozen=True)
class _Failed:
    """``prepare`` raised: the report the check gets instead (the error it would have been in-process)."""

    report: CheckReport


def _attempt(prepare: Prepare, given: CheckInput) -> Any:
    try:
        return prepare(given)
    except Exception as exc:  # as if it had raised in the worker: the check's error report, not a crash here
        return _Failed(_error(exc, CHECK_ID))


def _scan(run: Scan, job: tuple[CheckInput, Any]) -> CheckReport:
    given, prepared = job
    if isinstance(prepared, _Failed):
        return prepared.report
    return guarded(lambda g: run(g, prepared), given)


def _import(formats: tuple[str, ...]) -> None:
    for package, wanted in CHECKS_OF.items():
        if set(wanted) & set(formats):
            _undefer(package)
    for name in dict.fromkeys(m for f in formats for m in RUNNERS.get(f, ())):
        with logs.quiet(), gc_pause.importing():  # checkov configures logging as it is imported
            importlib.import_module(name)


_deferred: dict[str, ModuleType] = {}


def _defer(package: str) -> None:
    """Put ``package`` in ``sys.modules`` unexecuted, so its submodules import without its ``__init__``
    (``_undefer`` runs it). Only in the worker's own process, before anything of checkov's is imported."""
    if package in sys.modules:
        return
    spec = importlib.util.find_spec(package)
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    parent, _, name = package.rpartition(".")
    setattr(sys.modules[parent], name, module)
    _deferred[package] = module


def _undefer(package: str) -> None:
    module = _deferred.pop(package, None)
    if module is not None and module.__spec__ is not None and module.__spec__.loader is not None:
        with logs.quiet(), gc_pause.importing():
            module.__spec__.loader.exec_module(module)


def _serve(conn: Connection, other: Connection, formats: tuple[str, ...] | None, run: Scan) -> None:
    """The worker process: import the runners (the shared part first when the formats are still open, then
    theirs once sent), wait for the input, run, send the outcome back, exit."""
    other.close()
    started = time.perf_counter()
    waited = 0.0
    try:
        for package, wanted in CHECKS_OF.items():
            if formats is None or not set(wanted) & set(formats):
                _defer(package)
        if formats is None:
            _import(COMMON)
            before = time.perf_counter()
            formats = conn.recv()
            waited = time.perf_counter() - before
        _import(formats)
        imported = time.perf_counter()
        job = conn.recv()
    except (EOFError, OSError):
        return
    logs.clear()
    scan = time.perf_counter()
    report = _scan(run, job)
    timings = {
        "checks.checkov.import": round(imported - started - waited, 3),
        "checks.checkov.scan": round(time.perf_counter() - scan, 3),
    }
    conn.send((report, logs.captured(), timings, peak_memory_mb()))
    conn.close()


_prewarmed: dict[str, Worker] = {}


def prewarm_early(enabled: tuple[str, ...], formats: tuple[str, ...] | None = None) -> None:
    """Fork the checkov worker before the command imports the rest of the gate, with its formats or with them
    still open (``prewarm`` sends them). Only where the worker is a forked process (``inline`` has none)."""
    if CHECK_ID in enabled and CHECK_ID not in _prewarmed and mode() == "process":
        from gate.checks.checkov_check import CheckovCheck

        wanted = None if formats is None else tuple(f for f in formats if f in RUNNERS)
        check = CheckovCheck()
        _prewarmed[CHECK_ID] = Worker(wanted, check.run, check.prepare)


def prewarm(formats: tuple[str, ...], run: Scan, prepare: Prepare = _nothing) -> None:
    """Start the checkov worker now (its imports overlap what the command does before its checks); a worker
    started early gets these formats, or stops when there is nothing for it to scan."""
    wanted = tuple(f for f in formats if f in RUNNERS)
    early = _prewarmed.get(CHECK_ID)
    if early is not None and early.formats is None:
        if wanted:
            early.want(wanted)
        else:
            discard()
    elif wanted and early is None and mode() != "inline":
        _prewarmed[CHECK_ID] = Worker(wanted, run, prepare)


def take(formats: tuple[str, ...], run: Scan, prepare: Prepare = _nothing) -> Worker:
    """The prewarmed worker when it imported what ``formats`` needs; else a new one started now."""
    worker = _prewarmed.pop(CHECK_ID, None)
    if worker is not None and worker.formats is None and formats:
        worker.want(tuple(f for f in formats if f in RUNNERS))
    if worker is not None and worker.formats is not None and set(formats) <= set(worker.formats):
        return worker
    if worker is not None:
        worker.close()
    return Worker(tuple(f for f in formats if f in RUNNERS), run, prepare)


def discard() -> None:
    """Stop a prewarmed worker nobody took (a command that failed before its checks)."""
    worker = _prewarmed.pop(CHECK_ID, None)
    if worker is not None:
        worker.close()
