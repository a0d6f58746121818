"""The check port: every check takes the same input and returns one CheckReport."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gate.config import GateConfig
from gate.models import CheckReport, Finding, IaCBundle, Severity


@dataclass(frozen=True)
class CheckInput:
    bundle: IaCBundle
    config: GateConfig
    workdir: Path  # copies of the bundle's files are written here, each by its copy_name
    region: str

    def path_of(self, bundle_path: str) -> Path:
        from gate.iac import place

        return place(self.workdir, bundle_path)

    def bundle_path_of(self, copy: str) -> str:
        """The bundle path of a copy under ``workdir`` (as a tool reports it)."""
        from gate.iac import bundle_path

        return bundle_path(self.workdir, copy)


class Check(Protocol):
    id: str
    description: str

    def run(self, given: CheckInput) -> CheckReport: ...


NOT_EVALUATED_ID = "GATE-SCAN-001"
NOT_EVALUATED_FIX = (
    "Make the file readable to the scanner (expand pre-processor placeholders such as Rain modules with "
    "'rain pkg', fix the syntax), or waive GATE-SCAN-001 for it in .gate.yml with a reason"
)


def not_evaluated(
    scanner: str, file: str | None, reason: str, resource: str | None = None, by: str | None = None
) -> Finding:
    """What a scanner could not read: one finding naming the file, the scanner and the reason. It blocks (an
    unread file is an unknown risk) until it is fixed or waived; every other file is still checked."""
    return Finding(
        check_id=NOT_EVALUATED_ID,
        tool=scanner,
        severity=Severity.HIGH,
        title=f"not evaluated by {by or scanner}: {reason}",
        resource=resource,
        file=file,
        remediation=NOT_EVALUATED_FIX,
    )
