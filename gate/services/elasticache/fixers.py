"""Fixes for the ElastiCache rules: encryption at rest and in transit, daily snapshots kept a week."""

from __future__ import annotations

from typing import Any

from gate.services.fix_kit import props
from gate.services.kit import Fixer


def _encryption(body: dict[str, Any], _: dict[str, str]) -> None:
    found = props(body)
    found["AtRestEncryptionEnabled"] = True
    found["TransitEncryptionEnabled"] = True


def _snapshots(body: dict[str, Any], _: dict[str, str]) -> None:
    props(body)["SnapshotRetentionLimit"] = 7


FIXERS: dict[str, Fixer] = {"GATE-CACHE-001": _encryption, "GATE-CACHE-002": _snapshots}
