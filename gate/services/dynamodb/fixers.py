"""Fixes for the DynamoDB rules: encryption and point-in-time recovery."""

from __future__ import annotations

from gate.services.fix_kit import set_path
from gate.services.kit import Fixer

FIXERS: dict[str, Fixer] = {
    "GATE-DDB-001": set_path("SSESpecification.SSEEnabled", True),
    "GATE-DDB-002": set_path("PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled", True),
}
