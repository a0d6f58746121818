"""Third-party log noise (checkov, cfn-lint, hcl2...) is captured while a tool runs, and shown only under
``--debug``: a CI log then holds the gate's own lines, and nothing a tool said is lost (``captured()``).

checkov configures the root logger when it is imported (a stderr handler at WARNING, and an in-memory
handler at DEBUG that keeps every line of every run); :func:`quiet` swaps the root handlers for one
collector for the duration of a run, and puts them back afterwards.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

KEEP = 2000  # lines kept per process; the count of what was dropped is kept too
_state = {"debug": False, "dropped": 0}
_lines: list[str] = []


def set_debug(on: bool) -> None:
    _state["debug"] = on


def debug() -> bool:
    return bool(_state["debug"])


def captured() -> list[str]:
    """Every captured line (up to ``KEEP``), oldest first."""
    dropped = int(_state["dropped"])
    return [*_lines, f"... and {dropped} more"] if dropped else list(_lines)


def clear() -> None:
    _lines.clear()
    _state["dropped"] = 0


class _Collect(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = f"[{record.name}] {record.levelname}: {record.getMessage()}"
        except Exception:  # a tool's malformed log call must not break the run
            line = f"[{record.name}] {record.levelname}: {record.msg!r}"
        if len(_lines) < KEEP:
            _lines.append(line)
        else:
            _state["dropped"] = int(_state["dropped"]) + 1


@contextmanager
def quiet() -> Iterator[None]:
    """Collect WARNING and above from every logger; under ``--debug`` everything goes to stderr instead."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    if debug():
        handler: logging.Handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.DEBUG)
        handler.setFormatter(logging.Formatter("[%(name)s] %(levelname)s: %(message)s"))
        root.handlers, level = [handler], logging.DEBUG
    else:
        handler = _Collect(level=logging.WARNING)
        root.handlers, level = [handler], logging.WARNING  # debug lines are not even formatted
    root.setLevel(level)
    try:
        yield
    finally:
        root.handlers, _ = saved
        root.setLevel(saved[1])


def extend(lines: list[str]) -> None:
    """Lines captured elsewhere (the checkov worker process), kept as if captured here."""
    for line in lines:
        if len(_lines) < KEEP:
            _lines.append(line)
        else:
            _state["dropped"] = int(_state["dropped"]) + 1
