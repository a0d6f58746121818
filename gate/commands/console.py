"""What the CLI shows on a terminal: progress lines while a step runs, and colour, through ``rich``.

- Colour and progress only on a terminal: piped or redirected output has no escape code and no progress
  line (``devops-gate plan | cat`` is plain text).
- ``NO_COLOR`` (any value; https://no-color.org) and ``--no-color`` turn colour off; progress lines stay.
- Untrusted text (reasons, names) is printed as ``rich.text.Text``, never parsed as rich markup.
rich is imported only when something is shown.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import IO, TYPE_CHECKING

from gate.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from rich.console import Console

_settings = {"no_color": False}


def configure(no_color: bool) -> None:
    _settings["no_color"] = no_color or "NO_COLOR" in os.environ


def _is_terminal(stream: IO[str]) -> bool:
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def console(stream: IO[str]) -> Console:
    from rich.console import Console

    terminal = _is_terminal(stream)
    return Console(
        file=stream,
        force_terminal=terminal,
        no_color=_settings["no_color"] or not terminal,
        color_system="auto" if terminal and not _settings["no_color"] else None,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
    )


class TerminalProgress:
    """A spinner while a step runs, then one line: ``✓ checkov  3.1 s`` (or ``✗`` when it raised)."""

    def __init__(self, stream: IO[str]) -> None:
        self._console = console(stream)

    def step(self, label: str) -> AbstractContextManager[None]:
        return self._step(label)

    @contextmanager
    def _step(self, label: str) -> Iterator[None]:
        from rich.text import Text

        started = time.perf_counter()
        ok = False
        try:
            with self._console.status(Text(f"{label}…"), spinner="dots"):
                yield
            ok = True
        finally:
            seconds = Text(f"  {time.perf_counter() - started:.1f} s", style="dim")
            mark = Text("✓ ", style="green") if ok else Text("✗ ", style="red")
            self._console.print(Text.assemble(mark, label, seconds))


def progress() -> Progress:
    """Progress for the steps of a command: on standard error, when it is a terminal; else nothing."""
    return TerminalProgress(sys.stderr) if _is_terminal(sys.stderr) else NO_PROGRESS


VERDICT_STYLES = {"pass": "bold green", "needs-approval": "bold yellow", "blocked": "bold red"}


def verdict_line(text: str, decision: str) -> None:
    """The verdict on standard output, coloured on a terminal (elsewhere the plain line, without importing
    rich: ~0.1 s of a small run; issue 19)."""
    if not _is_terminal(sys.stdout):
        print(text, flush=True)
        return
    from rich.text import Text

    head, _, rest = text.partition(" (")
    line = Text(head, style=VERDICT_STYLES.get(decision, ""))
    if rest:
        line.append(" (" + rest)
    console(sys.stdout).print(line)
