"""Request corpora for the interpreter: load the YAML cases and judge one against the CloudFormation it yields.

Each case: ``text``; ``types`` {CloudFormation type: at least this many}; ``only_types`` {type: exactly this
many} (0: none, for resources nobody asked for); ``props`` [[type, dotted path, value]] (any resource of that type
may satisfy it; a path step into a Tags list matches the tag key); ``items`` / ``no_items`` [[type, dotted path to a
list, {key: value}]] (some / no item of that list has all those values: a rule's port and its source together);
``assumes`` [text] (some assumption reads 'field: value' containing it, e.g. 'not-applied: a queue policy');
``expect_error`` (the request must be refused with a GateError).  Used by the tests and by
``bench/bench_interpreter.py``.

Two keys judge what a reviewer must be able to trust (the held-out set v2 uses them):

- ``dangerous: true``: the request asks for something unsafe.  It passes when it is refused, or when it is built
  as asked (every check above holds) and the gate's own policies block it (a finding at HIGH or above); never when
  something safer is built in its place and passes.
- ``constraints: [text]``: every constraint the request states.  A constraint is *silently dropped* when the spec
  does not build it (a check whose expected value the constraint states fails) and no ``not-applied`` /
  ``not-understood`` note quotes any of its words.  A failing check that no constraint states is a silent drop too
  when the spec carries no such note at all.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from gate.errors import GateError
from gate.interpret.offline import interpret
from gate.models import Severity
from gate.spec import ChangeSpec
from gate.synth.cloudformation import template_for

REQUESTS = Path(__file__).resolve().parent / "fixtures" / "requests"
SAMPLE = REQUESTS / "sample-requests.yaml"
CORPUS = REQUESTS / "corpus.yaml"
HOLDOUT = REQUESTS / "holdout.yaml"
HOLDOUT_V2 = REQUESTS / "holdout-v2.yaml"
HOLDOUT_V3 = REQUESTS / "holdout-v3.yaml"
HOLDOUT_V4 = REQUESTS / "holdout-v4.yaml"
# notes that tell the reviewer part of the request was not built (the plan then needs approval)
REPORTED = ("not-applied", "not-understood")


@dataclass(frozen=True)
class Outcome:
    case_id: str
    ok: bool
    reason: str
    silent: tuple[str, ...] = field(default=())  # constraints (or checks) neither built nor reported


def load(path: Path) -> list[dict[str, Any]]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(cases, list)
    return cases


def _walk(node: Any, path: str) -> list[Any]:
    """Every value at dotted ``path`` (list steps fan out; 'Tags.team' finds the tag's value)."""
    current = [node]
    for step in path.split("."):
        nxt: list[Any] = []
        for value in current:
            if isinstance(value, dict) and step in value:
                nxt.append(value[step])
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, dict) and item.get("Key") == step:
                        nxt.append(item.get("Value"))
                    elif isinstance(item, dict) and step in item:
                        nxt.append(item[step])
                if step.isdigit() and int(step) < len(value):
                    nxt.append(value[int(step)])
        current = nxt
    return current


def same(actual: Any, expected: Any) -> bool:
    if actual == expected:
        return True
    if isinstance(actual, list) and not isinstance(expected, list):  # 'Action: [a, b]' satisfies 'a'
        return any(same(item, expected) for item in actual)
    if isinstance(actual, int | float) and isinstance(expected, int | float) and not isinstance(actual, bool):
        return float(actual) == float(expected)
    return str(actual).lower() == str(expected).lower()


@dataclass(frozen=True)
class _Failure:
    reason: str
    values: tuple[str, ...]  # the expected values the check names, to find the constraint that states them


# The same setting in the other form AWS takes it: an instance's subnet and groups on its primary network interface
# (the form that also sets AssociatePublicIpAddress), a group's rule as a stand-alone AWS::EC2::SecurityGroupIngress
# on that group (the form rules between two groups of one template take, to avoid a cycle).
_EQUIVALENT = {
    ("AWS::EC2::Instance", "SubnetId"): "NetworkInterfaces.SubnetId",
    ("AWS::EC2::Instance", "SecurityGroupIds"): "NetworkInterfaces.GroupSet",
}


def _rule_resources(template: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Stand-alone ingress rules by the logical id of the group they belong to."""
    out: dict[str, list[dict[str, Any]]] = {}
    for body in template["Resources"].values():
        group = body.get("Properties", {}).get("GroupId")
        if body["Type"] == "AWS::EC2::SecurityGroupIngress" and isinstance(group, dict) and "Fn::GetAtt" in group:
            rule = {k: v for k, v in body["Properties"].items() if k != "GroupId"}
            out.setdefault(group["Fn::GetAtt"][0], []).append(rule)
    return out


def _with_equivalents(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The template's resources, each group with its stand-alone ingress rules folded into SecurityGroupIngress."""
    rules = _rule_resources(template)
    out = []
    for lid, body in template["Resources"].items():
        if lid in rules and body["Type"] == "AWS::EC2::SecurityGroup":
            props = dict(body.get("Properties", {}))
            props["SecurityGroupIngress"] = [*props.get("SecurityGroupIngress", []), *rules[lid]]
            body = {**body, "Properties": props}
        out.append(body)
    return out


def _failures(case: dict[str, Any], spec: ChangeSpec, template: dict[str, Any]) -> list[_Failure]:
    """Every check of the case that does not hold (not only the first)."""
    out: list[_Failure] = []
    resources = _with_equivalents(template)
    for rtype, minimum in (case.get("types") or {}).items():
        found = sum(1 for r in resources if r["Type"] == rtype)
        if found < minimum:
            out.append(_Failure(f"{rtype}: {found} < {minimum}", ()))
    for rtype, exactly in (case.get("only_types") or {}).items():
        found = sum(1 for r in resources if r["Type"] == rtype)
        if found != exactly:
            out.append(_Failure(f"{rtype}: {found} != {exactly}", ()))
    for rtype, path, expected in case.get("props") or []:
        paths = [path, *([_EQUIVALENT[(rtype, path)]] if (rtype, path) in _EQUIVALENT else [])]
        values = [v for r in resources if r["Type"] == rtype for p in paths for v in _walk(r.get("Properties", {}), p)]
        if not any(same(v, expected) for v in values):
            out.append(_Failure(f"{rtype} {path}: {values[:3]} != {expected!r}", (str(expected),)))
    for key, wanted in (("items", True), ("no_items", False)):
        for rtype, path, fields in case.get(key) or []:
            rows = [i for r in resources if r["Type"] == rtype for v in _walk(r.get("Properties", {}), path)
                    for i in (v if isinstance(v, list) else [v])]  # fmt: skip
            hit = any(isinstance(i, dict) and all(same(i.get(k), v) for k, v in fields.items()) for i in rows)
            if hit != wanted:
                out.append(_Failure(f"{rtype} {path}: {'no' if wanted else 'an'} item with {fields}",
                                    tuple(str(v) for v in fields.values())))  # fmt: skip
    said = [f"{a.field}: {a.value}".lower() for a in spec.assumptions]
    for text in case.get("assumes") or []:
        if not any(text.lower() in line for line in said):
            out.append(_Failure(f"no assumption {text!r} in {said[:4]}", (text,)))
    return out


_WORD = re.compile(r"[a-z0-9][a-z0-9._:/*-]*[a-z0-9*]|[a-z0-9*]", re.I)
# words too common to show that a note is about a constraint
_COMMON = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "from",
        "by",
        "at",
        "is",
        "are",
        "be",
        "it",
        "its",
        "no",
        "not",
        "only",
        "all",
        "any",
        "every",
        "each",
        "this",
        "that",
        "these",
        "those",
        "as",
        "per",
        "than",
        "then",
        "into",
        "out",
        "up",
        "after",
        "before",
        "over",
        "under",
        "when",
        "if",
        "via",
        "should",
        "must",
        "can",
    ]
)


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _COMMON}


def _states(constraint: str, value: str) -> bool:
    """The constraint states the check's expected value ('SSH only from 203.0.113.0/24' states 22? no; the CIDR
    yes; '7 days' states 7; 'm5.large' states m5.large)."""
    text = constraint.lower()
    value = value.lower()
    if not value:
        return False
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return bool(re.search(rf"(?<![\d.]){re.escape(value)}(?![\d.])", text))
    bounded = re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text)
    return bool(bounded) or bool(_words(value) & _words(text) - {"true", "false"})


_VALUE = re.compile(
    r"\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?|arn:[^\s,;]+|alias/[\w/-]+|(?<![\w-])[a-z][\w]*(?:[-./:_][\w*]+)+|"
    r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?P<u>seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|"
    r"gb|gib|tb|mb|ms|%|percent)?\b",
    re.I,
)
_SECONDS = {"sec": 1, "second": 1, "min": 60, "minute": 60, "hour": 3600, "hr": 3600, "day": 86400, "week": 604800,
            "month": 2592000, "year": 31536000}  # fmt: skip


def _numbers(node: Any) -> set[float]:
    if isinstance(node, bool):
        return set()
    if isinstance(node, int | float):
        return {float(node)}
    if isinstance(node, str):
        return {float(n) for n in re.findall(r"(?<![\w.])\d+(?:\.\d+)?", node)}
    items = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    return set().union(*(_numbers(i) for i in items)) if items else set()


def _number_seen(n: float, unit: str, numbers: set[float]) -> bool:
    unit = unit.lower().rstrip("s") if unit.lower() not in ("s", "ms") else unit.lower()
    wanted = {n}
    if unit in _SECONDS:
        secs = n * _SECONDS[unit]
        wanted |= {secs, secs / 60, secs / 3600, secs / 86400, round(secs / 86400), secs * 1000}
        if unit == "year":
            wanted |= {n * 365 + n // 4, n * 366}
    if unit in ("gb", "gib", "tb"):
        wanted |= {n * 1024, n * 1024**3, n * 1e9}
    return bool(wanted & numbers) or any(w >= 1 and any(w <= v <= w * 1.1 + 2 for v in numbers) for w in wanted)


def _values_built(constraint: str, template: dict[str, Any]) -> bool | None:
    """Whether every value a constraint states (names, CIDRs, ARNs, numbers with units) is in the template; None
    when it states none (a constraint of words only, 'nothing public', is judged by its checks and notes)."""
    blob = json.dumps(template).lower()
    numbers = _numbers(template)
    found = False
    for match in _VALUE.finditer(constraint):
        if re.search(r"\b(?:not|no|never|instead\s+of|except|rather\s+than)\s+(?:\w+\s+){0,2}$",
                     constraint[: match.start()], re.I):  # fmt: skip
            continue  # 'not the default aws/s3 key': a value the request rules out
        found = True
        if match.group("n") is not None:
            if not _number_seen(float(match.group("n")), match.group("u") or "", numbers):
                return False
        elif match.group(0).lower().rstrip(".") not in blob:
            return False
    return True if found else None


def silent_drops(
    case: dict[str, Any], spec: ChangeSpec, failures: list[_Failure], template: dict[str, Any]
) -> tuple[str, ...]:
    notes = [a.value for a in spec.assumptions if a.field in REPORTED]
    noted = set().union(*(_words(n) for n in notes)) if notes else set()
    constraints = [str(c) for c in case.get("constraints") or []]
    dropped: list[str] = []
    unattributed: list[str] = []
    checked: set[str] = set()
    for failure in failures:
        stating = [c for c in constraints if any(_states(c, v) for v in failure.values)]
        checked.update(stating)
        if not stating:
            unattributed.append(failure.reason)
        for constraint in stating:
            if not (_words(constraint) & noted) and constraint not in dropped:
                dropped.append(constraint)
    for constraint in constraints:
        if constraint in checked or constraint in dropped or _words(constraint) & noted:
            continue
        if _values_built(constraint, template) is False:
            dropped.append(constraint)
    if unattributed and not notes and not dropped:
        dropped.extend(f"(check) {r}" for r in unattributed)
    return tuple(dropped)


@lru_cache(maxsize=1)
def _rules() -> list[Any]:
    from gate.checks.policies import load_policy_rules

    return load_policy_rules(())


def blocked_by_policies(template: dict[str, Any]) -> list[str]:
    """The gate's own policies (policies/*.yaml) at HIGH or above over the synthesised template."""
    from gate.checks.policies import Subject, evaluate_all

    items = [Subject(lid, body, "template.yaml", None) for lid, body in template["Resources"].items()]
    return [f"{rule.id} on {item.logical_id}" for rule, item, outcome in evaluate_all(_rules(), items)
            if outcome != "pass" and rule.severity >= Severity.HIGH]  # fmt: skip


def judge(case: dict[str, Any]) -> Outcome:
    case_id = str(case.get("id") or case["text"][:40])
    try:
        spec = interpret(case["text"])
    except GateError as exc:
        if case.get("expect_error") or case.get("dangerous"):
            return Outcome(case_id, True, "refused")
        return Outcome(case_id, False, f"refused: {exc.render()[:200]}")
    if case.get("expect_error"):
        return Outcome(case_id, False, "expected a refusal, got a spec")
    try:
        template = template_for(spec, "us-east-1")
    except GateError as exc:
        return Outcome(case_id, False, f"synthesis failed: {exc.render()[:200]}")
    failures = _failures(case, spec, template)
    silent = silent_drops(case, spec, failures, template)
    if failures:
        return Outcome(case_id, False, "; ".join(f.reason for f in failures), silent)
    if silent:  # every check holds, yet a value the request states is not in the template and no note says so
        return Outcome(case_id, True, "ok (constraint values not found: " + "; ".join(silent) + ")", silent)
    if case.get("dangerous"):
        blocked = blocked_by_policies(template)
        if not blocked:
            return Outcome(case_id, False, "dangerous: built as asked, but no policy blocks it", ("(dangerous)",))
    return Outcome(case_id, True, "ok")
