"""One severity per risk: twins rated the same, one risk on one resource shown once with every id."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gate.checks.risks import risks, unify
from gate.cli import main
from gate.models import CheckReport, Finding, Severity
from tests.conftest import FIXTURES

REAL = FIXTURES / "real"


def _plan(paths: list[Path], out: str) -> dict[str, Any]:
    main(["check", *map(str, paths), "--out", out])
    plan: dict[str, Any] = json.loads((Path(out) / "gate-plan.json").read_text())
    return plan


def _findings(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for c in plan["checks"] for f in c["findings"]]


def test_the_named_twins_share_a_risk() -> None:
    table = risks()
    for cfn, tf in (("CKV_AWS_107", "CKV_AWS_287"), ("CKV_AWS_110", "CKV_AWS_286"), ("CKV_AWS_111", "CKV_AWS_290")):
        assert table[cfn] is table[tf]
    assert table["CKV2_AWS_6"] is table["CKV_AWS_53"] is table["GATE-S3-001"]
    assert table["CKV_AWS_293"] is table["GATE-RDS-003"]
    assert table["CKV_AWS_119"] is table["GATE-DDB-001"]


def test_one_risk_on_one_resource_is_one_finding_with_every_id() -> None:
    def finding(check_id: str, tool: str, severity: Severity, resource: str = "Bucket") -> Finding:
        return Finding(check_id=check_id, tool=tool, severity=severity, title=check_id, resource=resource, file="t")

    reports = [
        CheckReport(
            check="checkov",
            status="ran",
            findings=(
                finding("CKV_AWS_53", "checkov", Severity.HIGH),
                finding("CKV_AWS_54", "checkov", Severity.HIGH),
                finding("CKV_AWS_53", "checkov", Severity.HIGH, resource="Other"),
                finding("CKV_AWS_18", "checkov", Severity.LOW),
            ),
        ),
        CheckReport(check="policies", status="ran", findings=(finding("GATE-S3-001", "policies", Severity.MEDIUM),)),
    ]
    checkov, policies = unify(reports)
    assert [(f.check_id, f.resource) for f in checkov.findings] == [("CKV_AWS_53", "Other"), ("CKV_AWS_18", "Bucket")]
    assert "2 finding(s) shown once" in (checkov.detail or "")
    (front,) = policies.findings
    assert (front.check_id, front.same_risk) == ("GATE-S3-001", ("CKV_AWS_53", "CKV_AWS_54"))
    assert front.severity == Severity.HIGH  # the risk's severity, over the finding's own MEDIUM


def test_terraform_and_cloudformation_iam_twins_get_one_severity(workdir: Path) -> None:
    tf = _plan([REAL / "terraform" / "iam_twin.tf"], "tf")
    cfn = _plan([REAL / "cloudformation" / "iam-twin.yaml"], "cfn")
    by_risk: dict[str, set[str]] = {}
    for f in _findings(tf) + _findings(cfn):
        if f["risk"]:
            by_risk.setdefault(f["risk"], set()).add(f["severity"])
    assert {"iam-privilege-escalation", "iam-credentials-exposure"} <= set(by_risk)
    assert all(len(levels) == 1 for levels in by_risk.values()), by_risk
    tf_ids = {f["check_id"] for f in _findings(tf)}
    assert {"CKV_AWS_286", "CKV_AWS_287"} <= tf_ids
    assert all(f["severity"] == Severity.HIGH for f in _findings(tf) if f["check_id"] in ("CKV_AWS_286", "CKV_AWS_287"))


def test_a_dynamodb_table_without_a_key_is_one_medium_finding(workdir: Path) -> None:
    plan = _plan([REAL / "cloudformation" / "folder" / "table.yaml"], "o")
    kms = [f for f in _findings(plan) if f["risk"] == "dynamodb-kms-key"]
    assert len(kms) == 1
    assert kms[0]["check_id"] == "GATE-DDB-001" and kms[0]["same_risk"] == ["CKV_AWS_119"]
    assert kms[0]["severity"] == Severity.MEDIUM
    comment = (workdir / "o" / "comment.md").read_text()
    assert "CKV_AWS_119" in comment and "GATE-DDB-001" in comment
