"""The names of what the gate reports on a commit, one per environment, so each can be a required check on its
own: commit statuses ``devops-gate/plan (prod)`` and ``devops-gate/apply (prod)``, check runs
``devops-gate plan (prod)`` and ``devops-gate apply (prod)``. Without ``--env`` the environment is ``default``."""

from __future__ import annotations

from typing import Literal

Stage = Literal["plan", "apply"]


def status_context(stage: Stage, environment: str) -> str:
    return f"devops-gate/{stage} ({environment})"


def check_run_name(stage: Stage, environment: str) -> str:
    return f"devops-gate {stage} ({environment})"


def plan_context(environment: str) -> str:
    return status_context("plan", environment)


def apply_context(environment: str) -> str:
    return status_context("apply", environment)
