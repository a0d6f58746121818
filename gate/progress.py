"""The progress port: a stage says which step it is in (``with progress.step("checkov"): ...``) and the caller
decides what that shows.  The pipeline's default shows nothing; the CLI shows a spinner and a line per step on
a terminal (``gate.commands.console``)."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Protocol


class Progress(Protocol):
    def step(self, label: str) -> AbstractContextManager[None]: ...


class NoProgress:
    def step(self, label: str) -> AbstractContextManager[None]:
        return nullcontext()


NO_PROGRESS: Progress = NoProgress()
