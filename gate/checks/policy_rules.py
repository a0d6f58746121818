"""Policy-as-code: rules as YAML data (one rule per file, cfn-lint style metadata), evaluated in-process.

A rule names resource types (``"*"`` for every type) and a ``require`` condition that each such resource
must satisfy::

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

Conditions:

- ``all`` / ``any`` (non-empty lists), ``not`` (one condition);
- ``{if: A, then: B}``: B must hold where A holds (A failing means "does not apply", a pass);
- ``{for_each: PATH, require: C, mode: all|any}``: C holds for every (or some) item of the list at PATH,
  paths in C relative to the item (``.`` is the item itself). A missing list has no items: ``all`` passes,
  ``any`` fails. A single mapping counts as a one-item list;
- a leaf ``{path, <op>: value}`` with op one of ``equals``, ``not_equals``, ``in``, ``not_in``, ``exists``,
  ``matches``, ``gte``, ``lte``, ``between`` ([low, high], inclusive), ``contains`` / ``not_contains``
  (a value or a list of values includes the expected one, as IAM's ``Action: x`` or ``Action: [x, y]``) and
  ``any_matches`` (some value of a value-or-list matches the regex).

The resource is evaluated as ``{Type, Properties, ..., Gate: {Region}}``, so organisation rules can name the
target region; a read replica also has ``Gate.Source``, the ``{Type, Properties}`` of the DB instance its data
comes from (gate/checks/policies.py), so rules about what a replica inherits can read it there.  A value
that is an unresolved intrinsic (``!Ref`` to a parameter, a Terraform variable) is *unknown*: reported as
such, never passed silently.
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
_OPS = (
    "equals", "not_equals", "in", "not_in", "exists", "matches", "gte", "lte", "between",
    "contains", "not_contains", "any_matches",
)  # fmt: skip
_MISSING = object()
_NOT: dict[Tri, Tri] = {"pass": "fail", "fail": "pass", "unknown": "unknown"}


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

    def applies_to(self, resource_type: str) -> bool:
        return "*" in self.resource_types or resource_type in self.resource_types


def _validate_condition(cond: object) -> None:
    if not isinstance(cond, dict):
        raise ValueError(f"a condition must be a mapping, not {cond!r}")
    if "all" in cond or "any" in cond:
        items = cond.get("all", cond.get("any"))
        if len(cond) != 1 or not isinstance(items, list) or not items:
            raise ValueError("'all'/'any' takes a non-empty list of conditions (and nothing else)")
        for item in items:
            _validate_condition(item)
    elif "not" in cond:
        _validate_condition(cond["not"])
    elif "if" in cond:
        if set(cond) != {"if", "then"}:
            raise ValueError(f"'if' needs exactly 'if' and 'then'; got {sorted(cond)}")
        _validate_condition(cond["if"])
        _validate_condition(cond["then"])
    elif "for_each" in cond:
        if not set(cond) <= {"for_each", "require", "mode"} or "require" not in cond:
            raise ValueError(f"'for_each' takes a path, 'require' and optional 'mode'; got {sorted(cond)}")
        if cond.get("mode", "all") not in ("all", "any"):
            raise ValueError("'mode' is 'all' or 'any'")
        _validate_condition(cond["require"])
    else:
        ops = [k for k in cond if k != "path"]
        if "path" not in cond or len(ops) != 1 or ops[0] not in _OPS:
            raise ValueError(f"a leaf condition is {{path, one of {', '.join(_OPS)}}}; got {cond!r}")
        op, expected = ops[0], cond[ops[0]]
        if op in ("in", "not_in") and not isinstance(expected, list):
            raise ValueError(f"'{op}' takes a list; got {expected!r}")
        if op == "between" and not (isinstance(expected, list) and len(expected) == 2):
            raise ValueError(f"'between' takes [low, high]; got {expected!r}")
        if op in ("matches", "any_matches"):
            try:
                re.compile(str(expected))
            except re.error as exc:
                raise ValueError(f"'{op}' has a bad regular expression: {exc}") from None


def load_rules(folder: Path) -> list[PolicyRule]:
    """Every ``*.yaml`` rule in ``folder`` (files whose top level has no ``id`` are data, not rules)."""
    return load_rule_files(sorted(folder.glob("*.y*ml")), str(folder))


def load_rule_files(paths: list[Path], source: str) -> list[PolicyRule]:
    """The rules of these files, in this order (files whose top level has no ``id`` are data, not rules)."""
    rules: list[PolicyRule] = []
    for path in paths:
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
            raise GateError(f"two rules have the id {rule.id}", source=source, fix="give each rule its own id")
        seen.add(rule.id)
    return rules


class _Blocked:
    """A path that runs into an unresolved intrinsic before its end: its value is unknown."""


_BLOCKED = _Blocked()


def lookup(obj: Any, path: str) -> Any:
    if path in ("", "."):
        return obj
    for part in path.split("."):
        if isinstance(obj, dict) and part in obj:
            obj = obj[part]
        elif isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        elif _intrinsic(obj):
            return _BLOCKED
        else:
            return _MISSING
    return obj


def _intrinsic(value: Any) -> bool:
    """True for an unresolved CloudFormation intrinsic such as ``{"Ref": "Param"}`` or ``{"Fn::If": ...}``."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key = str(next(iter(value)))
    return key == "Ref" or key.startswith("Fn::")


def _combine_all(results: list[Tri]) -> Tri:
    return "fail" if "fail" in results else "unknown" if "unknown" in results else "pass"


def _combine_any(results: list[Tri]) -> Tri:
    return "pass" if "pass" in results else "unknown" if "unknown" in results else "fail"


def evaluate(cond: dict[str, Any], resource: Any) -> Tri:
    """Three-valued: pass, fail, or unknown (a value we cannot resolve statically)."""
    if "all" in cond:
        return _combine_all([evaluate(c, resource) for c in cond["all"]])
    if "any" in cond:
        return _combine_any([evaluate(c, resource) for c in cond["any"]])
    if "not" in cond:
        return _NOT[evaluate(cond["not"], resource)]
    if "if" in cond:
        applies = evaluate(cond["if"], resource)
        if applies == "fail":
            return "pass"
        outcome = evaluate(cond["then"], resource)
        return outcome if applies == "pass" or outcome == "pass" else "unknown"
    if "for_each" in cond:
        return _for_each(cond, resource)
    return _leaf(cond, resource)


def _for_each(cond: dict[str, Any], resource: Any) -> Tri:
    every = cond.get("mode", "all") == "all"
    items = lookup(resource, cond["for_each"])
    if items is _BLOCKED:
        return "unknown"
    if items is _MISSING or items is None:
        return "pass" if every else "fail"
    if _intrinsic(items):
        return "unknown"
    if not isinstance(items, list):
        items = [items]
    results: list[Tri] = ["unknown" if _intrinsic(item) else evaluate(cond["require"], item) for item in items]
    if not results:
        return "pass" if every else "fail"
    return _combine_all(results) if every else _combine_any(results)


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _leaf(cond: dict[str, Any], resource: Any) -> Tri:
    op = next(k for k in cond if k != "path")
    expected = cond[op]
    value = lookup(resource, cond["path"])
    if value is _BLOCKED:
        return "unknown"
    if op == "exists":
        return "pass" if (value is not _MISSING) == bool(expected) else "fail"
    if value is _MISSING:
        return "pass" if op in ("not_equals", "not_in", "not_contains") else "fail"
    if op in ("contains", "not_contains", "any_matches"):
        return _membership(op, expected, _values(value))
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
            number = float(value)
            if op == "gte":
                ok = number >= float(expected)
            elif op == "lte":
                ok = number <= float(expected)
            else:
                ok = float(expected[0]) <= number <= float(expected[1])
        except (TypeError, ValueError):
            return "unknown"
    return "pass" if ok else "fail"


def _as_text(value: Any) -> Any:
    """``!Sub`` is read as its template text and ``!GetAtt`` as an attribute: neither can be a bare ``*``."""
    if isinstance(value, dict) and len(value) == 1:
        key, inner = next(iter(value.items()))
        if key == "Fn::Sub" and isinstance(inner, str):
            return inner
        if key == "Fn::GetAtt":
            return "GetAtt:" + (".".join(map(str, inner)) if isinstance(inner, list) else str(inner))
    return value


def _membership(op: str, expected: Any, values: list[Any]) -> Tri:
    values = [_as_text(v) for v in values]
    known = [v for v in values if not _intrinsic(v)]
    if op == "any_matches":
        hit = any(re.search(str(expected), str(v)) is not None for v in known)
    else:
        hit = any(_same(v, expected) for v in known)
    if not hit and len(known) < len(values):
        return "unknown"  # an unresolved item might be the one
    if op == "not_contains":
        return "fail" if hit else "pass"
    return "pass" if hit else "fail"


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
