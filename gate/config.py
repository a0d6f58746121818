"""``.gate.yml`` -> frozen, validated settings.

Parse, then validate: a bad file is refused with the file, the key and the fix.  Config is read from the
base branch in CI (never from the PR under review); see docs in README.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gate.errors import GateError
from gate.models import Severity

DEFAULT_CONFIG_FILE = ".gate.yml"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AwsSettings(_Section):
    region: str = "us-east-1"
    endpoint_url: str | None = Field(
        default=None, description="AWS endpoint (a moto server, LocalStack); real AWS when unset"
    )


class CheckSettings(_Section):
    enabled: tuple[str, ...] = ("cfn-lint", "checkov", "policies")
    checkov_skip: tuple[str, ...] = Field(default=(), description="checkov check ids not to run")
    cfn_lint_ignore: tuple[str, ...] = Field(default=(), description="cfn-lint rule ids not to report")


class Thresholds(_Section):
    fail_on: Severity = Severity.HIGH
    approval_on: Severity | None = Severity.MEDIUM

    @field_validator("fail_on", "approval_on", mode="before")
    @classmethod
    def _severity(cls, value: object) -> object:
        if isinstance(value, str):
            return Severity.parse(value)
        return value


class Waiver(_Section):
    check_id: str
    resource: str | None = None
    reason: str = Field(min_length=3)
    expires: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD; an expired waiver fails")


class GateConfig(_Section):
    version: Literal[1] = 1
    stack_name: str = Field(default="devops-gate-change", pattern=r"^[A-Za-z][A-Za-z0-9-]{0,127}$")
    aws: AwsSettings = AwsSettings()
    checks: CheckSettings = CheckSettings()
    thresholds: Thresholds = Thresholds()
    policy_dirs: tuple[str, ...] = Field(default=(), description="extra policy folders (org rules)")
    waivers: tuple[Waiver, ...] = ()


def load_config(path: str | None) -> tuple[GateConfig, str | None]:
    """Load ``path``, or ``.gate.yml`` when it exists, or the defaults. Returns the settings and the file used."""
    if path is None:
        if not Path(DEFAULT_CONFIG_FILE).is_file():
            return GateConfig(), None
        path = DEFAULT_CONFIG_FILE
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise GateError(
            f"cannot read the config file ({exc.strerror})",
            source=path,
            fix="pass --config with a readable .gate.yml, or leave it out to use the defaults",
        ) from exc
    return parse_config(text, path), path


def parse_config(text: str, source: str) -> GateConfig:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise GateError(f"is not valid YAML{where}", source=source, fix="correct the YAML syntax") from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise GateError("must be a YAML mapping of settings", source=source, fix="see README.md, 'Configuration'")
    try:
        return GateConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        extra = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise GateError(
            f"key '{key}': {first['msg']}{extra}",
            source=source,
            fix="correct that key; README.md 'Configuration' lists every key and its allowed values",
        ) from exc
