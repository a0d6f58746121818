"""Real-world template shapes (tests/fixtures/real/cloudformation): one odd file never switches a check off for
the rest, and language extensions are expanded before the checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from gate.checks.cfn_template import checked_template
from gate.cli import main
from tests.conftest import FIXTURES

REAL = FIXTURES / "real" / "cloudformation"
RAIN = "site-with-rain-modules.yaml"


def _gate(paths: list[Path], out: str) -> dict[str, Any]:
    main(["check", *map(str, paths), "--out", out])
    plan: dict[str, Any] = json.loads((Path(out) / "gate-plan.json").read_text())
    return plan


def _found(plan: dict[str, Any]) -> list[tuple[str, dict[str, Any], str]]:
    """(check, finding, id) for every check id a finding stands for: a finding shown once for one risk keeps its
    twins' ids in same_risk (checks/risks.py); an id of checkov's (CKV) counts as checkov's, the rest as ours."""
    out = []
    for check in plan["checks"]:
        for f in check["findings"]:
            out.append((check["check"], f, f["check_id"]))
            for twin in f.get("same_risk") or ():
                out.append(("checkov" if twin.startswith("CKV") else "policies", f, twin))
    return out


def _by_file(plan: dict[str, Any]) -> dict[str, set[tuple[str, str, str | None]]]:
    out: dict[str, set[tuple[str, str, str | None]]] = {}
    for check, f, check_id in _found(plan):
        out.setdefault(Path(f["file"] or "-").name, set()).add((check, check_id, f["resource"]))
    return out


def test_a_rain_module_file_is_one_finding_and_every_other_file_keeps_its_findings(workdir: Path) -> None:
    good = workdir / "good"
    shutil.copytree(REAL / "folder", good, ignore=shutil.ignore_patterns(RAIN))
    alone = _gate([good], "alone")
    together = _gate([REAL / "folder"], "together")

    assert all(c["status"] != "error" for c in together["checks"]), together["checks"]
    before, after = _by_file(alone), _by_file(together)
    for name in ("queue.yaml", "bucket.yaml", "table.yaml"):
        assert before[name], name
        assert after[name] == before[name], name  # nothing lost, nothing added
    assert {c for c, _, _ in after["table.yaml"]} >= {"checkov", "policies"}

    rain = after[RAIN]
    unread = [f for c in together["checks"] for f in c["findings"] if f["check_id"] == "GATE-SCAN-001" and f["file"]]
    assert len(unread) == 1 and unread[0]["file"].endswith(RAIN)
    assert "Network" in unread[0]["title"] and "Site" in unread[0]["title"] and "Rain::Module" in unread[0]["title"]
    # the file's ordinary resources are still checked by checkov and our policies
    assert ("checkov", "CKV_AWS_18", "LogBucket") in rain
    assert any(check == "policies" and res == "LogBucket" for check, _, res in rain)
    rows = {r["logical_id"]: r["type"] for r in together["resources"]}
    assert rows["Network"] == rows["Site"] == "(not evaluated)"
    assert rows["LogBucket"] == "AWS::S3::Bucket"
    assert "?" not in rows.values()


def test_fn_foreach_tables_are_expanded_and_each_one_is_checked(workdir: Path) -> None:
    plan = _gate([REAL / "foreach-tables.yaml"], "o")
    rows = {r["logical_id"]: r["type"] for r in plan["resources"]}
    tables = {f"Table{n}" for n in ("Points", "Score", "Player", "Ranking")}
    assert {k for k, v in rows.items() if v == "AWS::DynamoDB::Table"} == tables
    checkov = {(i, f["resource"]) for c, f, i in _found(plan) if c == "checkov"}
    assert {("CKV_AWS_28", t) for t in tables} <= checkov  # point-in-time recovery, on every table
    lines = {f["line"] for c, f, _ in _found(plan) if c == "checkov"}
    assert 16 in lines  # the loop's body in the file as written, not the expanded copy
    assert all(f["file"].endswith("foreach-tables.yaml") for c in plan["checks"] for f in c["findings"] if f["file"])


def test_fn_length_and_fn_tojsonstring_are_computed() -> None:
    path = REAL / "foreach-tables.yaml"
    checked = checked_template(path.read_text(), str(path))
    assert checked.resources["TableCount"]["Properties"]["Value"] == '{"count":4}'
    assert checked.resources["TablePoints"]["Properties"]["TableName"] == "game-Points"


def test_a_loop_that_cannot_be_expanded_is_listed_as_not_evaluated(workdir: Path) -> None:
    plan = _gate([REAL / "foreach-broken.yaml"], "o")
    rows = {r["logical_id"]: r["type"] for r in plan["resources"]}
    assert rows == {"Topic": "AWS::SNS::Topic", "Fn::ForEach::Queues": "(not evaluated)"}
    unread = [f for c in plan["checks"] for f in c["findings"] if f["check_id"] == "GATE-SCAN-001"]
    assert len(unread) == 1
    assert "could not be expanded" in unread[0]["title"] and "Fn::ForEach::Queues" in unread[0]["title"]
    assert plan["verdict"]["decision"] == "blocked"  # an unread part is an unknown risk: it blocks until waived
    topic = {i for _, f, i in _found(plan) if f["resource"] == "Topic"}
    assert "CKV_AWS_26" in topic  # the rest of the file is still scanned
