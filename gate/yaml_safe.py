"""The YAML the gate ships and reads on every run (policies, severity and risk maps) through libyaml's safe
loader where PyYAML was built with it (about ten times the pure-Python loader's speed; issue 19), else the
pure-Python one: the same safe constructors, so the same data (tests/test_yaml_safe.py compares them on every
shipped file). User-facing files with their own loader (``.gate.yml``, templates) keep theirs."""

from __future__ import annotations

from typing import Any

import yaml

LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    return yaml.load(text, Loader=LOADER)  # noqa: S506 - a safe loader (libyaml's CSafeLoader or SafeLoader)
