"""Fixes for the CloudWatch Logs rules: a retention period (log encryption needs a key policy: not automatic)."""

from __future__ import annotations

from gate.services.fix_kit import set_path
from gate.services.kit import Fixer

FIXERS: dict[str, Fixer] = {"GATE-LOGS-002": set_path("RetentionInDays", 365)}
