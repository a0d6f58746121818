"""Fixes for the SQS rule: SQS-managed server-side encryption."""

from __future__ import annotations

from typing import Any

from gate.services.fix_kit import props
from gate.services.kit import Fixer


def _sqs(body: dict[str, Any], _: dict[str, str]) -> None:
    props(body)["SqsManagedSseEnabled"] = True


FIXERS: dict[str, Fixer] = {"GATE-SQS-001": _sqs}
