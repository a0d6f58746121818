"""The one error type users see.

Every stage raises :class:`GateError` for bad input or an environment it cannot work in; the CLI's
top-level handler turns it into exit code 2 and one readable line (what was wrong, and how to fix it).
"""

from __future__ import annotations


class GateError(Exception):
    """A problem the user can fix: bad input, bad config, unreachable endpoint."""

    def __init__(self, message: str, *, fix: str | None = None, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.source = source

    def render(self) -> str:
        where = f"{self.source}: " if self.source else ""
        hint = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}{self.message}.{hint}" if not self.message.endswith(".") else f"{where}{self.message}{hint}"


class NoChange(GateError):
    """A refinement that asks for what the plan already holds: an answer ("no change"), not a failure."""
