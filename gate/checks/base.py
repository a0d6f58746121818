"""The check port: every check takes the same input and returns one CheckReport."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gate.config import GateConfig
from gate.models import CheckReport, IaCBundle


@dataclass(frozen=True)
class CheckInput:
    bundle: IaCBundle
    config: GateConfig
    workdir: Path  # the bundle's files are written here, under their bundle paths
    region: str

    def path_of(self, bundle_path: str) -> Path:
        from gate.iac import place

        return place(self.workdir, bundle_path)


class Check(Protocol):
    id: str
    description: str

    def run(self, given: CheckInput) -> CheckReport: ...
