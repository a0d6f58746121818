"""Fixes for the IAM rules: narrow wildcard statements (a guess: applied only when asked)."""

from __future__ import annotations

from gate.services.fix_kit import narrow_iam
from gate.services.kit import Fixer

FIXERS: dict[str, Fixer] = {"GATE-IAM-001": narrow_iam, "GATE-IAM-002": narrow_iam, "GATE-IAM-003": narrow_iam}
