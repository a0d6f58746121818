"""Fixes for the Lambda rule: a supported runtime of the same language."""

from __future__ import annotations

import re
from typing import Any

from gate.services.fix_kit import props
from gate.services.kit import Fixer

_RUNTIME_UPGRADES = ((r"^python", "python3.12"), (r"^nodejs", "nodejs22.x"), (r"^java8$", "java21"),
                     (r"^ruby", "ruby3.3"), (r"^dotnet", "dotnet8"))  # fmt: skip


def _runtime(body: dict[str, Any], _: dict[str, str]) -> None:
    found = props(body)
    runtime = str(found.get("Runtime", ""))
    for pattern, newer in _RUNTIME_UPGRADES:
        if re.match(pattern, runtime):
            found["Runtime"] = newer
            return


FIXERS: dict[str, Fixer] = {"GATE-LAMBDA-001": _runtime}
