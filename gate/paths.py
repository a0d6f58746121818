"""Where the gate finds the data it ships (policies, templates)."""

from __future__ import annotations

import os
from pathlib import Path

from gate.errors import GateError

_PACKAGE = Path(__file__).resolve().parent


def builtin_policy_dir() -> Path:
    """The ``policies/`` folder shipped with the gate (``GATE_POLICIES_DIR`` overrides it)."""
    override = os.environ.get("GATE_POLICIES_DIR")
    if override:
        return Path(override)
    for candidate in (_PACKAGE.parent / "policies", _PACKAGE / "data" / "policies"):
        if candidate.is_dir():
            return candidate
    raise GateError(
        "the gate's built-in policies/ folder is missing from this installation",
        fix="reinstall devops-gate from its wheel or source, or point GATE_POLICIES_DIR at a policies folder",
    )
