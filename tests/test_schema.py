"""The committed gate-plan schema is the one the code generates (regenerate with `make schema`)."""

from __future__ import annotations

import json

from gate.commands.schema import plan_schema
from tests.conftest import ROOT


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "schema" / "gate-plan.schema.json").read_text())
    assert committed == plan_schema(), "schema/gate-plan.schema.json is stale: run 'make schema'"
