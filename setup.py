"""Build hook: ship the top-level ``policies/`` inside the wheel as ``gate/data/policies`` (gate/paths.py looks
there when the package is not run from a source checkout). Everything else is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithPolicies(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "gate" / "data" / "policies"
        shutil.copytree(ROOT / "policies", target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithPolicies})
