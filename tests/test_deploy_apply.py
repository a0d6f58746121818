"""plan -> apply on the moto server: create, modify, a bucket replacement (blocked, then allowed), tampering."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from gate.cli import main
from gate.cloud.aws import AwsTarget
from tests.deploy_support import (
    anchored,
    audit_records,
    bucket_tags,
    bucket_template,
    kinds,
    plan,
    unique,
    write_config,
)

pytestmark = pytest.mark.usefixtures("aws_credentials")


def test_create_then_modify(workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]) -> None:
    stack, bucket = unique("apply-create"), unique("apply-create-b")
    config = write_config(workdir, moto, stack)
    first, path = plan(workdir, moto, config, bucket_template(bucket, "v1"), "p1")
    assert [(c.action, c.logical_id) for c in first.changes] == [("Add", "DataBucket")]
    assert first.change_set_id
    assert main(["apply", *anchored(path), "--actor", "alice", "--commit", "abc123"]) == 0
    out = capsys.readouterr().out
    assert "executing the reviewed change set" in out
    assert "CREATE_COMPLETE" in out
    assert f"APPLIED {stack}" in out
    assert bucket_tags(moto, bucket) == {"release": "v1"}

    second, path = plan(workdir, moto, config, bucket_template(bucket, "v2", queue=True), "p2")
    by_id = {c.logical_id: c for c in second.changes}
    assert (by_id["DataBucket"].action, by_id["DataBucket"].replacement) == ("Modify", "False")
    assert by_id["DataBucket"].replacement_source == "schema"
    assert by_id["WorkQueue"].action == "Add"
    assert second.verdict.decision == "pass"
    assert main(["apply", *anchored(path), "--actor", "alice"]) == 0
    assert bucket_tags(moto, bucket) == {"release": "v2"}
    resources = moto.client("cloudformation").describe_stack_resources(StackName=stack)["StackResources"]
    assert sorted(r["LogicalResourceId"] for r in resources) == ["DataBucket", "WorkQueue"]

    records = audit_records(workdir)
    assert [r["kind"] for r in records] == ["apply-started", "apply-executed", "apply-finished"] * 2
    started, finished = records[0], records[2]
    assert started["actor"] == "alice" and started["commit"] == "abc123"
    assert started["plan_sha256"] == first.bundle_sha256
    assert started["changes"][0]["logical_id"] == "DataBucket"
    assert finished["outcome"] == "applied" and finished["run_id"] == started["run_id"]
    assert records[3]["previous_template"], "the template before the update is saved for rollback"
    assert Path(records[3]["previous_template"]).read_text() == bucket_template(bucket, "v1")


def test_bucket_replacement_is_blocked_then_allowed(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, old, new = unique("apply-replace"), unique("apply-old"), unique("apply-new")
    config = write_config(workdir, moto, stack)
    _, path = plan(workdir, moto, config, bucket_template(old), "p1")
    assert main(["apply", *anchored(path)]) == 0

    blocked, path = plan(workdir, moto, config, bucket_template(new), "blocked")
    change = blocked.changes[0]
    assert (change.action, change.replacement, change.replacement_source) == ("Modify", "True", "schema")
    assert "createOnly:BucketName" in change.details
    assert blocked.verdict.decision == "blocked"
    guard = next(r for r in blocked.checks if r.check == "data-loss")
    assert guard.findings[0].resource == "DataBucket" and guard.findings[0].waived is None
    comment = (workdir / "blocked" / "comment.md").read_text()
    assert "### ⚠️ Data loss" in comment
    assert "This change replaces DataBucket (AWS::S3::Bucket): every object in the bucket will be lost" in comment
    assert "`/gate allow-data-loss DataBucket`" in comment
    capsys.readouterr()
    assert main(["apply", *anchored(path)]) == 2, "a blocked plan is never applied"
    assert "verdict is 'blocked'" in capsys.readouterr().err

    allowed, path = plan(workdir, moto, config, bucket_template(new), "allowed", allow=("DataBucket",))
    assert allowed.verdict.decision == "pass"
    assert "**Allowed:**" in (workdir / "allowed" / "comment.md").read_text()
    assert main(["apply", *anchored(path)]) == 0
    names = {b["Name"] for b in moto.client("s3").list_buckets()["Buckets"]}
    assert new in names


def test_plan_cli_allow_data_loss_flag(workdir: Path, moto: AwsTarget) -> None:
    stack = unique("apply-flag")
    config = write_config(workdir, moto, stack)
    _, path = plan(workdir, moto, config, bucket_template(unique("flag-a")), "p1")
    assert main(["apply", *anchored(path)]) == 0
    (workdir / "template.yaml").write_text(bucket_template(unique("flag-b")))
    assert main(["check", "template.yaml", "--out", "c"]) == 0, "without an endpoint there is nothing to compare"
    guard = next(
        c for c in json.loads((workdir / "c" / "gate-plan.json").read_text())["checks"] if c["check"] == "data-loss"
    )
    assert guard["status"] == "not-applicable"


def test_tampered_template_is_refused(workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]) -> None:
    stack, bucket = unique("apply-tamper"), unique("apply-tamper-b")
    config = write_config(workdir, moto, stack)
    reviewed, path = plan(workdir, moto, config, bucket_template(bucket), "p")
    (workdir / "template.yaml").write_text(bucket_template(bucket).replace("Retain", "Delete"))
    assert main(["apply", *anchored(path)]) == 2
    err = capsys.readouterr().err
    assert "template.yaml: the template's sha256" in err and f"not the reviewed {reviewed.template_sha256[:12]}" in err

    (workdir / "template.yaml").write_text(bucket_template(bucket))  # the file is fine again, the plan is edited
    data = json.loads(path.read_text())
    data["iac"]["files"][0]["content"] = bucket_template(bucket).replace("v1", "v9")
    path.write_text(json.dumps(data))
    assert main(["apply", *anchored(path)]) == 2
    assert "does not match its reviewed sha256" in capsys.readouterr().err

    data["iac"]["files"][0]["content"] = bucket_template(bucket)
    path.write_text(json.dumps(data))
    assert main(["apply", "--plan", str(path), "--expect-sha256", "0123456789ab"]) == 2
    assert "is not the reviewed 0123456789ab" in capsys.readouterr().err
    assert kinds(workdir) == ["apply-refused"] * 3, "every refusal is on record; nothing was started"
    assert moto.client("cloudformation").describe_stacks(StackName=stack)["Stacks"][0]["StackStatus"] == (
        "REVIEW_IN_PROGRESS"
    )


def test_expired_change_set_is_recreated_from_the_reviewed_template(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    stack, bucket = unique("apply-expired"), unique("apply-expired-b")
    config = write_config(workdir, moto, stack)
    _, path = plan(workdir, moto, config, bucket_template(bucket, "v1"), "p1")
    assert main(["apply", *anchored(path)]) == 0
    reviewed, path = plan(workdir, moto, config, bucket_template(bucket, "v2"), "p2")
    assert reviewed.change_set_id
    moto.client("cloudformation").delete_change_set(ChangeSetName=reviewed.change_set_id, StackName=stack)
    capsys.readouterr()
    assert main(["apply", *anchored(path)]) == 0
    out = capsys.readouterr().out
    assert "the reviewed change set is gone" in out and "creating a change set" in out
    started = [r for r in audit_records(workdir) if r["kind"] == "apply-started"][-1]
    assert started["change_set_id"] != reviewed.change_set_id
    assert audit_records(workdir)[-1]["outcome"] == "applied"
    assert bucket_tags(moto, bucket) == {"release": "v2"}

    # the same plan again: applied at most once, no change set is made
    assert main(["apply", *anchored(path)]) == 0
    assert "already applied" in capsys.readouterr().out
    assert audit_records(workdir)[-1]["outcome"] == "already-applied"


def test_an_edited_verdict_is_refused_when_the_reviewed_plan_sha256_is_given(
    workdir: Path, moto: AwsTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file hashes cover the IaC only; the plan file's own sha256 covers the verdict and allowances."""
    stack, bucket = unique("apply-verdict"), unique("apply-verdict-b")
    config = write_config(workdir, moto, stack)
    _, path = plan(workdir, moto, config, bucket_template(bucket), "p")
    reviewed = hashlib.sha256(path.read_bytes()).hexdigest()
    data = json.loads(path.read_text())
    data["context"]["allow_data_loss"] = ["*"]
    path.write_text(json.dumps(data, indent=2))
    assert main(["apply", "--plan", str(path), "--expect-sha256", reviewed[:16]]) == 2
    assert f"is not the reviewed {reviewed[:12]}" in capsys.readouterr().err
    assert main(["apply", "--plan", str(path), "--expect-sha256", "abc"]) == 2
    assert "at least 12 hex digits" in capsys.readouterr().err
    assert kinds(workdir) == ["apply-refused", "apply-refused"]

    _, path = plan(workdir, moto, config, bucket_template(bucket), "p2")
    reviewed = hashlib.sha256(path.read_bytes()).hexdigest()
    assert main(["apply", "--plan", str(path), "--expect-sha256", reviewed]) == 0
    started = next(r for r in audit_records(workdir) if r["kind"] == "apply-started")
    assert (started["plan_file_sha256"], started["anchored"]) == (reviewed, True)
