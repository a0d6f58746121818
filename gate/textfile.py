"""Reading a text file a user hands over: within a size bound (never read whole first), as UTF-8, or one
GateError that says which of the three went wrong."""

from __future__ import annotations

from pathlib import Path

from gate.errors import GateError


def read_bounded(path: str, max_bytes: int, what: str, fix: str, too_large_fix: str) -> str:
    """The text of ``path`` (``what``: 'the config file', 'the event file'), at most ``max_bytes`` bytes."""
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise GateError(f"cannot read {what} ({exc.strerror})", source=path, fix=fix) from exc
    if len(data) > max_bytes:
        raise GateError(f"is larger than {max_bytes:,} bytes, too large for {what}", source=path, fix=too_large_fix)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GateError(
            f"is not UTF-8 text (byte {exc.start}: {exc.reason})", source=path, fix="save the file as UTF-8"
        ) from exc
