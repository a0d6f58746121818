"""Load ``mappings.yaml``: the framework catalogue and the checkov id -> controls map."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gate.errors import GateError


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Framework(_Data):
    name: str
    prefix: str
    controls: dict[str, str] = Field(min_length=1)


class CheckMapping(_Data):
    types: tuple[str, ...] = Field(min_length=1)
    tags: tuple[str, ...] = Field(min_length=1)


class Mappings(_Data):
    frameworks: dict[str, Framework]
    checks: dict[str, CheckMapping]


@dataclass(frozen=True)
class Tag:
    framework: str
    control: str


@lru_cache(maxsize=1)
def mappings() -> Mappings:
    text = resources.files("gate.compliance").joinpath("mappings.yaml").read_text(encoding="utf-8")
    try:
        data = Mappings.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise GateError(f"bad compliance mappings: {exc}", source="gate/compliance/mappings.yaml") from exc
    for check_id, mapping in data.checks.items():
        for tag in mapping.tags:
            if parse_tag(tag, data) is None:
                raise GateError(f"{check_id} maps to unknown control {tag}", source="gate/compliance/mappings.yaml")
    return data


def parse_tag(tag: str, data: Mappings | None = None) -> Tag | None:
    """``PCI-DSS-3.5.1`` -> (pci-dss, 3.5.1); None for a tag of no known framework or control."""
    data = data or mappings()
    for key, framework in data.frameworks.items():
        if tag.startswith(framework.prefix):
            control = tag[len(framework.prefix) :]
            return Tag(key, control) if control in framework.controls else None
    return None
