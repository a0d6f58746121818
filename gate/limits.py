"""Bounds on what one run reads (``limits:`` in .gate.yml): input past a bound is refused with exit 2 and the
setting that raises it, before any stage spends time on it. Text with a NUL byte is refused too: a NUL ends a
name in C APIs, so it would silently cut one short."""

from __future__ import annotations

from collections.abc import Sequence

from gate.config import LimitSettings
from gate.errors import GateError
from gate.models import IaCBundle, ResourceRow


def _kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB" if size >= 1024 else f"{size} bytes"


def check_request(text: str, limits: LimitSettings, source: str = "the change request") -> None:
    size = len(text.encode("utf-8"))
    if size > limits.request_bytes:
        raise GateError(
            f"{source} is {_kib(size)}, over the {_kib(limits.request_bytes)} a change request may be",
            fix="describe the change in fewer words (split it into several PRs), or raise limits.request_bytes",
        )
    refuse_nul(text, source)


def refuse_nul(text: str, source: str) -> None:
    at = text.find("\x00")
    if at >= 0:
        raise GateError(
            f"{source} holds a NUL byte (character {at + 1})",
            fix="remove the NUL (\\0) character; it would cut a name short",
        )


def check_file_size(path: str, size: int, limits: LimitSettings) -> None:
    if size > limits.template_bytes:
        raise GateError(
            f"is {_kib(size)}, over the {_kib(limits.template_bytes)} one IaC file may be",
            source=path,
            fix="split it into smaller templates or modules, or raise limits.template_bytes",
        )


def check_bundle(bundle: IaCBundle, limits: LimitSettings) -> None:
    """Before anything parses the files: each within limits.template_bytes, all within limits.total_iac_bytes."""
    total = 0
    for f in bundle.files:
        size = len(f.content.encode("utf-8"))
        check_file_size(f.path, size, limits)
        total += size
    if total > limits.total_iac_bytes:
        raise GateError(
            f"the IaC files are {_kib(total)} together, over limits.total_iac_bytes ({_kib(limits.total_iac_bytes)})",
            fix="gate fewer files per run, or raise limits.total_iac_bytes",
        )


def check_resources(rows: Sequence[ResourceRow], limits: LimitSettings) -> None:
    if len(rows) > limits.resources:
        raise GateError(
            f"the IaC declares {len(rows):,} resources, over limits.resources ({limits.resources:,})",
            fix="split the change into smaller stacks (CloudFormation allows 500 resources a stack), "
            "or raise limits.resources",
        )
