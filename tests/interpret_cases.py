"""Request corpora for the interpreter: load the YAML cases and judge one against the CloudFormation it yields.

Each case: ``text``; ``types`` {CloudFormation type: at least this many}; ``only_types`` {type: exactly this
many} (0: none, for resources nobody asked for); ``props`` [[type, dotted path, value]] (any resource of that type
may satisfy it; a path step into a Tags list matches the tag key); ``items`` / ``no_items`` [[type, dotted path to a
list, {key: value}]] (some / no item of that list has all those values: a rule's port and its source together);
``assumes`` [text] (some assumption reads 'field: value' containing it, e.g. 'not-applied: a queue policy');
``expect_error`` (the request must be refused with a GateError).  Used by the tests and by
``bench/bench_interpreter.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from gate.errors import GateError
from gate.interpret.offline import interpret
from gate.synth.cloudformation import template_for

REQUESTS = Path(__file__).resolve().parent / "fixtures" / "requests"
SAMPLE = REQUESTS / "sample-requests.yaml"
CORPUS = REQUESTS / "corpus.yaml"
HOLDOUT = REQUESTS / "holdout.yaml"


@dataclass(frozen=True)
class Outcome:
    case_id: str
    ok: bool
    reason: str


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


def judge(case: dict[str, Any]) -> Outcome:
    case_id = str(case.get("id") or case["text"][:40])
    try:
        spec = interpret(case["text"])
    except GateError as exc:
        if case.get("expect_error"):
            return Outcome(case_id, True, "refused")
        return Outcome(case_id, False, f"refused: {exc.render()[:200]}")
    if case.get("expect_error"):
        return Outcome(case_id, False, "expected a refusal, got a spec")
    try:
        template = template_for(spec, "us-east-1")
    except GateError as exc:
        return Outcome(case_id, False, f"synthesis failed: {exc.render()[:200]}")
    resources = template["Resources"].values()
    for rtype, minimum in (case.get("types") or {}).items():
        found = sum(1 for r in resources if r["Type"] == rtype)
        if found < minimum:
            return Outcome(case_id, False, f"{rtype}: {found} < {minimum}")
    for rtype, exactly in (case.get("only_types") or {}).items():
        found = sum(1 for r in resources if r["Type"] == rtype)
        if found != exactly:
            return Outcome(case_id, False, f"{rtype}: {found} != {exactly}")
    for rtype, path, expected in case.get("props") or []:
        values = [v for r in resources if r["Type"] == rtype for v in _walk(r.get("Properties", {}), path)]
        if not any(same(v, expected) for v in values):
            return Outcome(case_id, False, f"{rtype} {path}: {values[:3]} != {expected!r}")
    for key, wanted in (("items", True), ("no_items", False)):
        for rtype, path, fields in case.get(key) or []:
            rows = [i for r in resources if r["Type"] == rtype for v in _walk(r.get("Properties", {}), path)
                    for i in (v if isinstance(v, list) else [v])]  # fmt: skip
            hit = any(isinstance(i, dict) and all(same(i.get(k), v) for k, v in fields.items()) for i in rows)
            if hit != wanted:
                return Outcome(case_id, False, f"{rtype} {path}: {'no' if wanted else 'an'} item with {fields}")
    said = [f"{a.field}: {a.value}".lower() for a in spec.assumptions]
    for text in case.get("assumes") or []:
        if not any(text.lower() in line for line in said):
            return Outcome(case_id, False, f"no assumption {text!r} in {said[:4]}")
    return Outcome(case_id, True, "ok")
