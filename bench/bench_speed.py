"""The gate against the scanners a team would wire by hand, each figure a ratio measured side by side (issue 19).

Every row runs A (the gate) and B (its peer) as fresh processes, A/B interleaved (the order flips each round),
``BENCH_ROUNDS`` rounds (default 5), and compares medians; the machine's load average is printed with the
table, since other jobs share the cores. The peer of ``check`` is the two CLIs run one after the other on the
same file (``checkov -f`` + ``cfn-lint``). Peak memory: the largest resident set of the peer's processes
(``wait4``); the gate's is the sum of its processes (the gate and its checkov worker, from gate-plan.json). A sum
of resident sets counts the pages a fork shares twice, so the memory row also gives the peak proportional set
size (PSS, ``/proc/<pid>/smaps_rollup``: a shared page is split between the processes sharing it) of the whole
process tree, sampled every 20 ms, for the gate and for checkov alone alike (Linux only).

Rows (targets from issue 19): check on a small, a ~100- and a ~600-resource template (<= 0.5x / - / <= 0.7x);
the checkov scan mode on the small one (process / inline); plan end to end on its own template
(<= 0.6x); a 500-template repository with one changed file against a one-template repository, both with
``--changed-only`` (<= 1.2x); the comment for 1,000 findings (< 65,536 characters); check's peak memory against
checkov's own (<= 1.2x).

The gate runs from its checkout with its bytecode compiled first (``compileall`` on its ``gate/``, into the
checkout's ``__pycache__``), as an install has it (pip compiles what it installs; the scanners, installed, have
theirs): with ``PYTHONDONTWRITEBYTECODE=1`` in the environment a checkout would otherwise compile its ~230
modules from source on every run (~0.25 s), which no installed gate does.

``BENCH_BEFORE_PATH=/base/checkout`` also times the gate of that checkout in every row, interleaved round by
round with this one (a ``[before]`` row above each row: before and after under the same load).
``BENCH_GATE_PATH=/other/checkout`` times the gate of another checkout (a before/after table); a checkout
without ``--changed-only`` gates the whole repository, as it could only do then.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.bench_folder import SOURCES
from bench.bench_policies import _template

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "iac" / "public-bucket.yaml"
REQUEST = ROOT / "gate" / "data" / "demo-request.md"
COMMENT_LIMIT = 65_536
Run = tuple[float, float]  # wall seconds, peak MB


def _rounds() -> int:
    return max(1, int(os.environ.get("BENCH_ROUNDS", "5")))


def _wanted(row: str) -> bool:
    """``BENCH_SPEED_ROWS=small,big,...`` runs some rows (small medium big modes plan monorepo memory comment)."""
    rows = os.environ.get("BENCH_SPEED_ROWS", "").strip()
    return not rows or row in rows.split(",")


_AT: list[Path] = []  # the checkout being timed now, when BENCH_BEFORE_PATH alternates two


def _gate_path() -> Path:
    if _AT:
        return _AT[-1]
    return Path(os.environ.get("BENCH_GATE_PATH", str(ROOT))).resolve()


def _before_path() -> Path | None:
    given = os.environ.get("BENCH_BEFORE_PATH", "").strip()
    return Path(given).resolve() if given else None


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(_gate_path()), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    env.pop("GITHUB_BASE_REF", None)
    return {**env, **(extra or {})}


def _once(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc/<pid>/task/<tid>/children."""
    found, todo = [], [pid]
    while todo:
        at = todo.pop()
        found.append(at)
        for task in Path(f"/proc/{at}/task").glob("*/children"):
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:  # the task ended meanwhile
                continue
    return found


def _pss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:  # ended meanwhile
            continue
        total += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total / 1024


def _once_pss(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Wall seconds and the peak PSS (MB) of the process tree, sampled while it runs."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0.0
    while proc.poll() is None:
        peak = max(peak, _pss_mb(_tree(proc.pid)))
        time.sleep(0.02)
    return time.perf_counter() - started, peak


def _gate_pss(args: list[str], out: Path) -> Run:
    return _once_pss([sys.executable, "-m", "gate.cli", *args, "--out", str(out)], out.parent, _env())


def _gate(args: list[str], out: Path, cwd: Path | None = None, extra: dict[str, str] | None = None) -> Run:
    # never from this checkout's folder: `python -m` puts the working folder before PYTHONPATH (BENCH_GATE_PATH)
    cwd = cwd or out.parent
    wall, peak = _once([sys.executable, "-m", "gate.cli", *args, "--out", str(out)], cwd, _env(extra))
    plan = out / "gate-plan.json"
    memory = json.loads(plan.read_text()).get("peak_memory_mb") if plan.exists() else None
    return wall, sum(memory.values()) if memory else peak


def _peers(template: Path) -> Run:
    bindir = Path(sys.executable).parent
    checkov, cfnlint = bindir / "checkov", bindir / "cfn-lint"
    a = _once([str(checkov), "-f", str(template), "--quiet", "--compact"])
    b = _once([str(cfnlint), str(template)])
    return a[0] + b[0], max(a[1], b[1])


def _checkov_alone(template: Path) -> Run:
    return _once([str(Path(sys.executable).parent / "checkov"), "-f", str(template), "--quiet", "--compact"])


_BEFORE: list[tuple[Run, Run]] = []  # the last _ab's medians with the gate of BENCH_BEFORE_PATH


def _ab(a: Callable[[], Run], b: Callable[[], Run]) -> tuple[Run, Run]:
    """Medians of A and B over the rounds, the order flipping each round. With ``BENCH_BEFORE_PATH``, each
    round also runs A and B with the gate of that checkout (the two pairs' order flipping too), whose medians
    go to ``_BEFORE``: before and after measured in the same minutes, under the same load."""
    before = _before_path()
    ra: list[Run] = []
    rb: list[Run] = []
    xa: list[Run] = []
    xb: list[Run] = []
    for n in range(_rounds()):
        pairs = [(a, ra), (b, rb)] if n % 2 == 0 else [(b, rb), (a, ra)]
        runs: list[tuple[Path | None, list[tuple[Callable[[], Run], list[Run]]]]] = [(None, pairs)]
        if before is not None:
            other = [(a, xa), (b, xb)] if n % 2 == 0 else [(b, xb), (a, xa)]
            runs = [*runs, (before, other)] if n % 4 < 2 else [(before, other), *runs]
        for at, todo in runs:
            if at is not None:
                _AT.append(at)
            try:
                for run, into in todo:
                    into.append(run())
            finally:
                if at is not None:
                    _AT.pop()
    _BEFORE[:] = [(_median(xa), _median(xb))] if before is not None else []
    return _median(ra), _median(rb)


def _with_before(row: list[str], target: float | None, peer_name: str) -> list[list[str]]:
    """The row, preceded by the same row for the gate of BENCH_BEFORE_PATH when there is one."""
    if not _BEFORE:
        return [row]
    gate, peer = _BEFORE[0]
    return [_row(f"{row[0]} [before]", gate, peer, target, peer_name), row]


def _median(runs: list[Run]) -> Run:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def _supports_changed_only() -> bool:
    done = subprocess.run(
        [sys.executable, "-m", "gate.cli", "check", "--help"],
        cwd="/",
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    return "--changed-only" in done.stdout


def _repo(root: Path, count: int) -> Path:
    """A git repository with ``count`` templates under stacks/, committed, then one of them edited."""
    repo = root / f"repo{count}"
    stacks = repo / "stacks"
    stacks.mkdir(parents=True)
    for n in range(count):
        source = SOURCES[n % len(SOURCES)] if count > 1 else SMALL
        shutil.copy(source, stacks / f"{n:03d}-{source.name}")
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "base"], cwd=repo, check=True)
    edited = stacks / f"000-{(SOURCES[0] if count > 1 else SMALL).name}"
    edited.write_text(edited.read_text() + "\n# edited in the pull request\n")
    return repo


def _row(name: str, gate: Run, peer: Run, target: float | None, peer_name: str) -> list[str]:
    ratio = gate[0] / peer[0]
    verdict = "" if target is None else (" ok" if ratio <= target else " MISSED")
    goal = f"<= {target:.1f}x" if target is not None else "-"
    return [
        name,
        f"{gate[0]:.2f}",
        f"{peer[0]:.2f}",
        f"{ratio:.2f}x",
        f"{goal}{verdict}",
        f"{gate[1]:.0f}",
        f"{peer[1]:.0f}",
        peer_name,
    ]


def _table(rows: list[list[str]]) -> list[str]:
    head = ["measurement", "gate s", "peer s", "ratio", "target", "gate MB", "peer MB", "peer"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*head), fmt.format(*("-" * w for w in widths)), *(fmt.format(*r) for r in rows)]


def comment_probe(plan_json: str) -> None:
    """(run in its own process) The comment for a plan with 1,000 findings: characters, seconds, peak MB."""
    import resource

    from gate.models import GatePlan
    from gate.report.comment import render_comment

    plan = GatePlan.model_validate_json(Path(plan_json).read_text())
    found = [f for r in plan.checks for f in r.findings] or []
    many = tuple(f.model_copy(update={"resource": f"{f.resource}{n}"}) for n in range(1000) for f in found[:1])
    checks = tuple(r.model_copy(update={"findings": many if i == 0 else ()}) for i, r in enumerate(plan.checks))
    plan = plan.model_copy(update={"checks": checks})
    started = time.perf_counter()
    text = render_comment(plan)
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "chars": len(text),
                "seconds": seconds,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "findings": len(many),
            }
        )
    )


def _compile_gate() -> str:
    """The gate's bytecode, as an install writes it (see the module's docstring)."""
    done = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(_gate_path() / "gate")], capture_output=True, check=False
    )
    return "bytecode compiled" if done.returncode == 0 else f"compileall failed ({done.returncode})"


def run() -> list[str]:
    compiled = _compile_gate()
    load = Path("/proc/loadavg").read_text().strip() if Path("/proc/loadavg").exists() else "n/a"
    lines = [f"gate: {_gate_path()} ({compiled}); rounds: {_rounds()}; load before: {load}"]
    before = _before_path()
    if before is not None:
        _AT.append(before)
        lines.append(f"[before]: the gate of {before} ({_compile_gate()}), interleaved with it in every row")
        _AT.pop()
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        medium, big = root / "medium.yaml", root / "big.yaml"
        medium.write_text(_template(17))
        big.write_text(_template(100))
        out = root / "out"
        for key, name, template, target in (
            ("small", "check, small template (1 resource)", SMALL, 0.5),
            ("medium", "check, 102 resources", medium, None),
            ("big", "check, 600 resources", big, 0.7),
        ):
            if not _wanted(key) and not (key == "big" and _wanted("comment")):
                continue
            gate, peer = _ab(lambda t=template: _gate(["check", str(t)], out), lambda t=template: _peers(t))
            rows += _with_before(
                _row(name, gate, peer, target, "checkov -f + cfn-lint"), target, "checkov -f + cfn-lint"
            )
            if key == "big":
                shutil.copy(out / "gate-plan.json", root / "big-plan.json")
        for mode in ("inline",) if _wanted("modes") else ():
            gate, peer = _ab(
                lambda m=mode: _gate(["check", str(SMALL)], out, extra={"DEVOPS_GATE_SCAN": m}),
                lambda: _peers(SMALL),
            )
            name = f"check, small, DEVOPS_GATE_SCAN={mode}"
            rows += _with_before(_row(name, gate, peer, None, "checkov -f + cfn-lint"), None, "checkov -f + cfn-lint")
        if _wanted("plan"):
            plan_out = root / "plan"
            _gate(["plan", "--request-file", str(REQUEST)], plan_out)
            own = plan_out / "template.yaml"
            gate, peer = _ab(lambda: _gate(["plan", "--request-file", str(REQUEST)], plan_out), lambda: _peers(own))
            peer_name = "the CLIs on its template.yaml"
            rows += _with_before(_row("plan end to end (both formats)", gate, peer, 0.6, peer_name), 0.6, peer_name)
        if _wanted("monorepo"):
            changed_only = ["--changed-only"] if _supports_changed_only() else []
            many, one = _repo(root, 500), _repo(root, 1)
            gate, peer = _ab(
                lambda: _gate(["check", "stacks", "--base-ref", "HEAD", *changed_only], out, cwd=many),
                lambda: _gate(["check", "stacks", "--base-ref", "HEAD", *changed_only], out, cwd=one),
            )
            label = "500 templates, 1 changed" + ("" if changed_only else " (no --changed-only: whole repo)")
            rows += _with_before(
                _row(label, gate, peer, 1.2, "the gate on a 1-template repo"), 1.2, "the gate on a 1-template repo"
            )
        extra: list[str] = []
        if _wanted("memory"):
            gate, peer = _ab(lambda: _gate(["check", str(SMALL)], out), lambda: _checkov_alone(SMALL))
            for tag, (g, c) in [*(("[before] ", b) for b in _BEFORE), ("", (gate, peer))]:
                extra.append(
                    f"{tag}peak memory of check (small) {g[1]:.0f} MB vs checkov -f {c[1]:.0f} MB: "
                    f"{g[1] / c[1]:.2f}x (target <= 1.2x; RSS, the gate's processes summed)"
                )
            if Path("/proc/self/smaps_rollup").exists():
                checkov = [str(Path(sys.executable).parent / "checkov"), "-f", str(SMALL), "--quiet", "--compact"]
                gate, peer = _ab(lambda: _gate_pss(["check", str(SMALL)], out), lambda: _once_pss(checkov))
                for tag, (g, c) in [*(("[before] ", b) for b in _BEFORE), ("", (gate, peer))]:
                    extra.append(
                        f"{tag}peak PSS of check (small) {g[1]:.0f} MB vs checkov -f {c[1]:.0f} MB: "
                        f"{g[1] / c[1]:.2f}x (target <= 1.2x; PSS of each process tree)"
                    )
        if _wanted("comment"):
            extra.append(_comment_line(root / "big-plan.json"))
    load = Path("/proc/loadavg").read_text().strip() if Path("/proc/loadavg").exists() else "n/a"
    return [*lines, *_table(rows), *extra, f"load after: {load}"]


def _comment_line(plan: Path) -> str:
    probe = subprocess.run(
        [sys.executable, "-c", f"from bench.bench_speed import comment_probe; comment_probe({str(plan)!r})"],
        env={**_env(), "PYTHONPATH": f"{_gate_path()}{os.pathsep}{ROOT}"},
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        return f"comment probe failed: {probe.stderr.strip().splitlines()[-1:]}"
    got = json.loads(probe.stdout.strip().splitlines()[-1])
    fits = "ok" if got["chars"] < COMMENT_LIMIT else "MISSED"
    return (
        f"comment for {got['findings']} findings: {got['chars']:,} characters (< {COMMENT_LIMIT:,}: {fits}), "
        f"{got['chars'] / COMMENT_LIMIT:.2f}x the limit, {got['seconds']:.2f} s, peak {got['peak_mb']:.0f} MB"
    )
