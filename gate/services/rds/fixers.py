"""Fixes for the RDS rules: encryption, no public access, deletion protection, backups."""

from __future__ import annotations

from typing import Any

from gate.services.fix_kit import props, set_path
from gate.services.kit import Fixer


def _backups(body: dict[str, Any], _: dict[str, str]) -> None:
    props(body)["BackupRetentionPeriod"] = 7


FIXERS: dict[str, Fixer] = {
    "GATE-RDS-001": set_path("StorageEncrypted", True),
    "GATE-RDS-002": set_path("PubliclyAccessible", False),
    "GATE-RDS-003": set_path("DeletionProtection", True),
    "GATE-RDS-004": _backups,
}
