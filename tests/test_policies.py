"""Every shipped policy has a good and a bad fixture; the rule engine's three-valued logic."""

from __future__ import annotations

from typing import Any

import pytest

from gate.checks.policy_rules import evaluate, load_rules
from gate.paths import builtin_policy_dir

RULES = {r.id: r for r in load_rules(builtin_policy_dir())}

BLOCK_ALL = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": "true",  # CloudFormation accepts strings for booleans
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}
UNRESOLVED = {**BLOCK_ALL, "BlockPublicAcls": {"Ref": "Flag"}}


def _bucket(**props: Any) -> dict[str, Any]:
    return {"Type": "AWS::S3::Bucket", "Properties": props}


CASES: list[tuple[str, dict[str, Any], str]] = [
    ("GATE-S3-001", _bucket(PublicAccessBlockConfiguration=BLOCK_ALL), "pass"),
    ("GATE-S3-001", _bucket(), "fail"),
    ("GATE-S3-001", _bucket(AccessControl="PublicRead", PublicAccessBlockConfiguration=BLOCK_ALL), "fail"),
    ("GATE-S3-001", _bucket(PublicAccessBlockConfiguration=UNRESOLVED), "unknown"),
]


def test_every_rule_has_metadata_and_a_case() -> None:
    assert RULES, "no policies shipped"
    covered = {rule_id for rule_id, _, _ in CASES}
    for rule in RULES.values():
        assert rule.title and rule.remediation and rule.docs and rule.compliance
        assert rule.id in covered, f"{rule.id} has no test case"


@pytest.mark.parametrize(("rule_id", "resource", "expected"), CASES)
def test_rule_outcome(rule_id: str, resource: dict[str, Any], expected: str) -> None:
    assert evaluate(RULES[rule_id].require, resource) == expected
