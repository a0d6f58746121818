"""Stack names: the one place a deployed stack's name is built. ``stack_name`` of .gate.yml is the logical name;
an environment's ``stack_prefix`` is put in front of it exactly once, by :func:`deployed_name`, for plan and
apply alike (a plan records both names, so apply never prefixes a name that already carries the prefix)."""

from __future__ import annotations

from gate.config import EnvironmentSettings, GateConfig
from gate.errors import GateError


def environment(config: GateConfig, env_name: str) -> EnvironmentSettings:
    env = config.environments.get(env_name)
    if env is None:
        known = ", ".join(sorted(config.environments)) or "none configured"
        raise GateError(
            f"unknown environment {env_name!r} (known: {known})",
            source=".gate.yml environments",
            fix="add it under environments: or pass one of the known names",
        )
    return env


def deployed_name(config: GateConfig, env_name: str | None, logical: str | None = None) -> str:
    """The stack's name in AWS: the environment's prefix (once) + the logical name (default: .gate.yml's)."""
    name = logical or config.stack_name
    if env_name is None:
        return name
    return f"{environment(config, env_name).stack_prefix}{name}"
