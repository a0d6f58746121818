"""Usage estimates for usage-priced resources, in the shape of infracost's ``usage.yml``::

    version: 0.1
    resource_type_default_usage:        # by CloudFormation or Terraform type
      AWS::Lambda::Function:
        monthly_requests: 1000000
        request_duration_ms: 200
    resource_usage:                     # by logical id (CloudFormation) or address (Terraform)
      ThumbnailFunction:
        monthly_requests: 25000000
      aws_nat_gateway.main:
        monthly_data_processed_gb: 500
      BatchWorkers:
        interruptible: true             # the gate's own key: suggests Spot

Values are numbers (or booleans); a resource's own entry wins over its type's default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from gate.errors import GateError

UsageValues = dict[str, float | bool]


@dataclass(frozen=True)
class Usage:
    by_type: dict[str, UsageValues] = field(default_factory=dict)
    by_resource: dict[str, UsageValues] = field(default_factory=dict)
    source: str | None = None

    def for_resource(self, logical_id: str, rtype: str) -> UsageValues:
        merged = dict(self.by_type.get(rtype, {}))
        merged.update(self.by_resource.get(logical_id, {}))
        return merged


def load_usage(path: str | None) -> Usage:
    if path is None:
        return Usage()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise GateError(
            f"cannot read the usage file ({exc.strerror})",
            source=path,
            fix="set cost.usage_file in .gate.yml to a readable YAML file, or remove it",
        ) from exc
    return parse_usage(text, path)


def parse_usage(text: str, source: str) -> Usage:
    try:
        raw = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise GateError("usage file is not valid YAML", source=source, fix="correct the YAML syntax") from exc
    if not isinstance(raw, dict):
        raise GateError("usage file must be a mapping", source=source, fix="see infracost's usage.yml format")
    unknown = set(raw) - {"version", "resource_type_default_usage", "resource_usage"}
    if unknown:
        raise GateError(
            f"unknown key(s) {', '.join(sorted(unknown))} in the usage file",
            source=source,
            fix="use version, resource_type_default_usage and resource_usage",
        )
    return Usage(
        by_type=_section(raw.get("resource_type_default_usage"), "resource_type_default_usage", source),
        by_resource=_section(raw.get("resource_usage"), "resource_usage", source),
        source=source,
    )


def _section(value: object, name: str, source: str) -> dict[str, UsageValues]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise GateError(f"'{name}' must map resource names to usage values", source=source, fix="see the docs")
    out: dict[str, UsageValues] = {}
    for resource, values in value.items():
        if not isinstance(values, dict):
            raise GateError(f"'{name}.{resource}' must be a mapping of usage keys to numbers", source=source)
        checked: UsageValues = {}
        for key, number in values.items():
            if isinstance(number, bool):
                checked[str(key)] = number
            elif isinstance(number, int | float) and number >= 0:
                checked[str(key)] = float(number)
            else:
                raise GateError(
                    f"'{name}.{resource}.{key}' must be a number >= 0 (got {number!r})",
                    source=source,
                    fix="give usage as plain numbers, e.g. monthly_requests: 1000000",
                )
        out[str(resource)] = checked
    return out
