"""Fixes for the SNS rule: the AWS-managed key."""

from __future__ import annotations

from gate.services.fix_kit import set_path
from gate.services.kit import Fixer

FIXERS: dict[str, Fixer] = {"GATE-SNS-001": set_path("KmsMasterKeyId", "alias/aws/sns")}
