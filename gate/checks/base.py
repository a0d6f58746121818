"""The check port: every check takes the same input and returns one CheckReport."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gate.config import GateConfig
from gate.iac import copy_name
from gate.models import CheckReport, IaCBundle


@dataclass(frozen=True)
class CheckInput:
    bundle: IaCBundle
    config: GateConfig
    workdir: Path  # copies of the bundle's files are written here, each by its copy_name
    region: str

    def path_of(self, bundle_path: str) -> Path:
        return self.workdir.joinpath(*copy_name(bundle_path).parts)

    def bundle_path_of(self, copy: str) -> str:
        """The bundle path of a copy under ``workdir`` (as a tool reports it), or ``copy`` as it is."""
        try:
            relative = Path(copy).resolve().relative_to(self.workdir.resolve()).as_posix()
        except ValueError:
            return copy.lstrip("/")
        return next((f.path for f in self.bundle.files if copy_name(f.path).as_posix() == relative), relative)


class Check(Protocol):
    id: str
    description: str

    def run(self, given: CheckInput) -> CheckReport: ...
