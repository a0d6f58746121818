"""Policy-as-code: rules as YAML data (one rule per file, cfn-lint style metadata), evaluated in-process.

A rule names resource types and a ``require`` condition that each such resource must satisfy::

    id: GATE-S3-001
    title: S3 buckets block all public access
    severity: high
    resource_types: [AWS::S3::Bucket]
    require:
      all:
        - {path: Properties.PublicAccessBlockConfiguration.BlockPublicAcls, equals: true}
    compliance: [CIS-AWS-2.1.5]
    remediation: ...
    docs: https://...

Conditions: ``all``/``any`` (lists), ``not`` (one condition), or a leaf ``{path, <op>: value}`` with op one
of ``equals``, ``not_equals``, ``in``, ``not_in``, ``exists``, ``matches``, ``gte``, ``lte``.  A value that
is an unresolved intrinsic (``!Ref`` to a parameter) is *unknown*: reported as such, never passed silently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from gate.errors import GateError
from gate.models import Severity

Tri = Literal["pass", "fail", "unknown"]
_OPS = ("equals", "not_equals", "in", "not_in", "exists", "matches", "gte", "lte")
_MISSING = object()


class PolicyRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    title: str
    severity: Severity
    resource_types: tuple[str, ...] = Field(min_length=1)
    require: dict[str, Any]
    compliance: tuple[str, ...] = ()
    remediation: str | None = None
    docs: str | None = None

    @field_validator("severity", mode="before")
    @classmethod
    def _sev(cls, value: object) -> object:
        return Severity.parse(value) if isinstance(value, str) else value

    @field_validator("require")
    @classmethod
    def _valid_condition(cls, value: dict[str, Any]) -> dict[str, Any]:
        _validate_condition(value)
        return value


def _validate_condition(cond: object) -> None:
    if not isinstance(cond, dict):
        raise ValueError(f"a condition must be a mapping, not {cond!r}")
    if "all" in cond or "any" in cond:
        items = cond.get("all", cond.get("any"))
        if not isinstance(items, list) or not items:
            raise ValueError("'all'/'any' takes a non-empty list of conditions")
        for item in items:
            _validate_condition(item)
    elif "not" in cond:
        _validate_condition(cond["not"])
    else:
        ops = [k for k in cond if k != "path"]
        if "path" not in cond or len(ops) != 1 or ops[0] not in _OPS:
            raise ValueError(f"a leaf condition is {{path, one of {', '.join(_OPS)}}}; got {cond!r}")


def load_rules(folder: Path) -> list[PolicyRule]:
    """Every ``*.yaml`` rule in ``folder`` (files whose top level has no ``id`` are data, not rules)."""
    rules: list[PolicyRule] = []
    for path in sorted(folder.glob("*.y*ml")):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise GateError("is not valid YAML", source=str(path), fix="correct the rule file") from exc
        if not isinstance(raw, dict) or "id" not in raw:
            continue
        try:
            rules.append(PolicyRule.model_validate(raw))
        except ValidationError as exc:
            first = exc.errors()[0]
            key = ".".join(str(p) for p in first["loc"])
            raise GateError(
                f"rule key '{key}': {first['msg']}", source=str(path), fix="see gate/checks/policy_rules.py"
            ) from exc
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise GateError(f"two rules have the id {rule.id}", source=str(folder), fix="give each rule its own id")
        seen.add(rule.id)
    return rules


def lookup(obj: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(obj, dict) and part in obj:
            obj = obj[part]
        elif isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        else:
            return _MISSING
    return obj


def _intrinsic(value: Any) -> bool:
    """True for an unresolved CloudFormation intrinsic such as ``{"Ref": "Param"}`` or ``{"Fn::If": ...}``."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = str(next(iter(value)))
    return key == "Ref" or key.startswith("Fn::")


def evaluate(cond: dict[str, Any], resource: dict[str, Any]) -> Tri:
    """Three-valued: pass, fail, or unknown (a value we cannot resolve statically)."""
    if "all" in cond:
        results = [evaluate(c, resource) for c in cond["all"]]
        return "fail" if "fail" in results else "unknown" if "unknown" in results else "pass"
    if "any" in cond:
        results = [evaluate(c, resource) for c in cond["any"]]
        return "pass" if "pass" in results else "unknown" if "unknown" in results else "fail"
    if "not" in cond:
        inner = evaluate(cond["not"], resource)
        return {"pass": "fail", "fail": "pass", "unknown": "unknown"}[inner]  # type: ignore[return-value]
    op = next(k for k in cond if k != "path")
    expected = cond[op]
    value = lookup(resource, cond["path"])
    if op == "exists":
        return "pass" if (value is not _MISSING) == bool(expected) else "fail"
    if value is _MISSING:
        return "pass" if op in ("not_equals", "not_in") else "fail"
    if _intrinsic(value):
        return "unknown"
    ok: bool
    if op == "equals":
        ok = _same(value, expected)
    elif op == "not_equals":
        ok = not _same(value, expected)
    elif op == "in":
        ok = any(_same(value, e) for e in expected)
    elif op == "not_in":
        ok = not any(_same(value, e) for e in expected)
    elif op == "matches":
        ok = re.search(str(expected), str(value)) is not None
    else:
        try:
            ok = float(value) >= float(expected) if op == "gte" else float(value) <= float(expected)
        except (TypeError, ValueError):
            return "unknown"
    return "pass" if ok else "fail"


def _same(value: Any, expected: Any) -> bool:
    # CloudFormation accepts "true"/"True" for booleans and "10" for numbers: compare as CloudFormation does.
    if isinstance(expected, bool):
        return str(value).lower() == str(expected).lower()
    if isinstance(expected, int | float) and not isinstance(value, bool):
        try:
            return float(value) == float(expected)
        except (TypeError, ValueError):
            return False
    return bool(value == expected)
