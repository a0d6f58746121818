"""`devops-gate check plan.json`: a Terraform plan's JSON, recorded from real runs (tests/fixtures/terraform-plans)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gate.cli import main
from gate.deploy.guard import STATEFUL_TYPES, TERRAFORM_TYPES
from gate.terraform import plan_json
from tests.conftest import FIXTURES

PLANS = FIXTURES / "terraform-plans"


def _check(name: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    code = main(["check", str(PLANS / f"{name}.json"), "--out", "o", *extra])
    plan = json.loads(Path("o/gate-plan.json").read_text())
    return code, plan, Path("o/comment.md").read_text()


def _findings(plan: dict[str, Any], check_id: str) -> list[dict[str, Any]]:
    return [f for c in plan["checks"] for f in c["findings"] if f["check_id"] == check_id]


def test_replacing_a_db_instance_blocks_naming_the_attribute_that_forces_it(workdir: Path) -> None:
    code, plan, comment = _check("replace-db")
    assert code == 1
    [loss] = _findings(plan, "GATE-DATA-LOSS")
    assert loss["resource"] == "aws_db_instance.main"
    assert loss["waived"] is None
    assert "storage_encrypted" in loss["title"] and "replaces" in loss["title"]
    assert plan["changes"] == [
        {
            "logical_id": "aws_db_instance.main",
            "type": "aws_db_instance",
            "action": "Modify",
            "replacement": "True",
            "replacement_source": "aws",
            "details": ["forces replacement: storage_encrypted", "an attribute cannot be updated in place"],
        }
    ]
    assert "### Terraform plan: 1 to add, 0 to change, 1 to destroy" in comment
    assert "| Replace | `aws_db_instance.main` |" in comment


def test_the_data_loss_can_be_allowed_by_address(workdir: Path) -> None:
    _, plan, _ = _check("replace-db", "--allow-data-loss", "aws_db_instance.main")
    [loss] = _findings(plan, "GATE-DATA-LOSS")
    assert loss["waived"] == "data loss allowed explicitly (aws_db_instance.main)"


def test_a_plan_that_only_adds_a_queue_passes_with_one_to_add(workdir: Path) -> None:
    code, plan, comment = _check("create-queue")
    assert code == 0, plan["verdict"]
    assert "### Terraform plan: 1 to add, 0 to change, 0 to destroy" in comment
    assert [(c["logical_id"], c["action"]) for c in plan["changes"]] == [("aws_sqs_queue.orders", "Add")]
    assert [r["logical_id"] for r in plan["resources"]] == ["aws_sqs_queue.orders"]
    checks = {c["check"]: c for c in plan["checks"]}
    assert checks["checkov"]["status"] == "ran" and checks["policies"]["status"] == "ran"
    assert checks["data-loss"]["status"] == "ran" and not checks["data-loss"]["findings"]
    assert plan["iac"]["files"][0]["format"] == "terraform-plan"


def test_an_update_in_place_is_one_to_change(workdir: Path) -> None:
    code, plan, comment = _check("update-in-place")
    assert "0 to add, 1 to change, 0 to destroy" in comment
    [change] = plan["changes"]
    assert (change["action"], change["replacement"]) == ("Modify", "False")
    assert not _findings(plan, "GATE-DATA-LOSS")  # a queue updated in place keeps its messages
    assert code == 0


def test_deleting_a_bucket_blocks_and_counts_one_to_destroy(workdir: Path) -> None:
    code, plan, comment = _check("delete-bucket")
    assert code == 1
    assert "0 to add, 0 to change, 1 to destroy" in comment
    [loss] = _findings(plan, "GATE-DATA-LOSS")
    assert loss["resource"] == "aws_s3_bucket.reports"
    assert "deletes" in loss["title"] and "its configuration was removed" in loss["title"]


def test_module_resources_are_counted_checked_and_folded_under_their_address(workdir: Path) -> None:
    _, plan, comment = _check("module")
    assert "3 to add, 0 to change, 0 to destroy" in comment
    rows = {r["logical_id"] for r in plan["resources"]}
    assert rows == {
        "module.storage.aws_s3_bucket.this",
        "module.storage.aws_s3_bucket_versioning.this",
        "module.storage.aws_sqs_queue.events",
    }
    policy = [f for f in _findings(plan, "GATE-S3-001") if f["resource"] == "module.storage.aws_s3_bucket.this"]
    assert policy, "our policies judge the module's bucket under its plan address"
    checkov = {f["resource"] for c in plan["checks"] if c["check"] == "checkov" for f in c["findings"]}
    assert "module.storage.aws_sqs_queue.events" in checkov or "module.storage.aws_s3_bucket.this" in checkov
    # the module's aws_s3_bucket_versioning is folded into its bucket: no versioning finding on it
    versioning = [
        f
        for c in plan["checks"]
        if c["check"] == "policies"
        for f in c["findings"]
        if f["resource"] == "module.storage.aws_s3_bucket.this" and "versioning" in f["title"].lower()
    ]
    assert not versioning


def test_cost_before_and_after_come_from_the_plan(workdir: Path) -> None:
    _, plan, _ = _check("replace-db")
    cost = plan["cost"]
    assert cost["base"] == "the Terraform state the plan was made against"
    [line] = [ln for ln in cost["lines"] if ln["logical_id"] == "aws_db_instance.main"]
    assert line["monthly_before"] == line["monthly_after"] > 10  # db.t3.micro + 20 GB, before and after


def test_summary_counts_as_terraform_plan_does() -> None:
    data = plan_json.load((PLANS / "replace-db.json").read_text(), "replace-db.json")
    assert plan_json.summary(plan_json.resource_changes(data)) == "1 to add, 0 to change, 1 to destroy"
    [change] = plan_json.planned_changes(data)
    assert change.replace_paths == ("storage_encrypted",)


def test_a_json_that_is_not_a_plan_is_refused_with_the_fix() -> None:
    with pytest.raises(Exception, match="not a Terraform plan JSON") as raised:
        plan_json.load('{"format_version": "1.2"}', "x.json")
    assert "terraform show -json" in str(getattr(raised.value, "fix", ""))


def test_every_terraform_stateful_type_maps_into_the_one_table() -> None:
    assert set(TERRAFORM_TYPES.values()) <= set(STATEFUL_TYPES)


def test_tf_plan_without_terraform_on_path_is_exit_2(
    workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(workdir))  # an empty folder: no terraform
    Path("plan.out").write_bytes(b"PK\x03\x04")
    assert main(["check", "--tf-plan", "plan.out", "--out", "o"]) == 2
    err = capsys.readouterr().err
    assert "terraform is not on PATH" in err and "terraform show -json plan.out > plan.json" in err


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH")
def test_tf_plan_that_is_not_a_planfile_says_what_terraform_said(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("plan.out").write_text("not a plan")
    assert main(["check", "--tf-plan", "plan.out", "--out", "o"]) == 2
    assert "terraform show failed" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"format_version": "1.2", "resource_changes": {}}', "resource_changes is not a list"),
        ('{"format_version": "1.2", "resource_changes": [1]}', "resource_changes[0] has no address or change"),
        (
            '{"format_version": "1.2", "resource_changes": [{"address": "a.b", "change": {"actions": "x"}}]}',
            "change.actions is not a list",
        ),
        (
            '{"format_version": "1.2", "resource_changes": [], '
            '"planned_values": {"root_module": {"resources": [{"address": "a.b", "values": 3}]}}}',
            "planned_values.root_module.resources[0] has no address or values",
        ),
    ],
)
def test_a_plan_of_the_wrong_shape_is_exit_2_naming_the_place(
    workdir: Path, capsys: pytest.CaptureFixture[str], text: str, says: str
) -> None:
    Path("plan.json").write_text(text)
    assert main(["check", "plan.json", "--out", "o"]) == 2
    assert says in capsys.readouterr().err


def test_plan_json_comment_golden(update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt

    from gate.config import GateConfig
    from gate.models import ChangeContext, IaCBundle
    from gate.pipeline import Run, gate_bundle
    from gate.report.comment import render_comment
    from gate.terraform.plan_input import plan_file
    from tests.conftest import GOLDEN
    from tests.helpers import assert_golden

    monkeypatch.chdir(FIXTURES.parent.parent)  # stable relative paths in the comment
    bundle = IaCBundle(origin="hand-written", files=(plan_file("tests/fixtures/terraform-plans/replace-db.json"),))
    plan = gate_bundle(bundle, Run(GateConfig(), ChangeContext(), today=dt.date(2026, 11, 25)))
    assert plan.verdict.decision == "blocked"
    assert_golden(render_comment(plan), GOLDEN / "check-terraform-plan-replace-db.md", update_golden)


def test_sensitive_values_of_a_plan_never_reach_gate_plan_json(workdir: Path) -> None:
    code, _, _ = _check("replace-db")
    assert code == 1
    stored = Path("o/gate-plan.json").read_text()
    assert "not-a-real-password-1" not in stored  # in the values, the after_sensitive marks and the configuration
    [file] = json.loads(stored)["iac"]["files"]
    assert file["redacted"] is True  # such a plan is never applied


def test_a_plan_with_nothing_sensitive_is_stored_as_given(workdir: Path) -> None:
    _check("create-queue")
    [file] = json.loads(Path("o/gate-plan.json").read_text())["iac"]["files"]
    assert file["redacted"] is False
    assert file["content"] == (PLANS / "create-queue.json").read_text()
