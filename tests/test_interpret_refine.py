"""Refinement of the previous spec, and the hidden spec block that carries it between PR comments."""

from __future__ import annotations

import base64
import json
import subprocess
import sys

import pytest

from gate.config import GateConfig
from gate.errors import GateError, NoChange
from gate.interpret.offline import interpret
from gate.interpret.refine import refine
from gate.models import ChangeContext, ChangeRequest
from gate.pipeline import Run, plan_request
from gate.report import spec_block
from gate.report.comment import render_comment
from gate.spec import Ec2Instance, RdsInstance, S3Bucket, SqsQueue


def test_enable_versioning_on_that_bucket() -> None:
    before = interpret("Create an S3 bucket named acme-invoices without versioning")
    after = refine(before, "also enable versioning on that bucket")
    (bucket,) = after.resources
    assert isinstance(bucket, S3Bucket) and bucket.versioning and bucket.bucket_name == "acme-invoices"
    assert any(a.field == "refined" and "versioning" in a.value for a in after.assumptions)


def test_make_it_bigger_instead_keeps_everything_else() -> None:
    before = interpret("Launch two t3.medium EC2 instances for the search service tagged team=search")
    after = refine(before, "make it t3.large instead")
    (ec2,) = after.resources
    assert isinstance(ec2, Ec2Instance)
    assert (ec2.instance_type, ec2.count, ec2.name, ec2.tags) == ("t3.large", 2, "search", {"team": "search"})


def test_refinements_in_sequence() -> None:
    spec = interpret("Create a Postgres 16 database named billing-db and an S3 bucket named billing-exports")
    spec = refine(spec, "add a read replica to the database")
    spec = refine(spec, "add an SQS queue named billing-events with a 60 second visibility timeout")
    spec = refine(spec, "make the database multi-AZ with 200 GB of storage")
    res = {r.name: r for r in spec.resources}
    db, queue = res["billing-db"], res["billing-events"]
    assert isinstance(db, RdsInstance) and (db.read_replicas, db.multi_az, db.storage_gb) == (1, True, 200)
    assert isinstance(queue, SqsQueue) and queue.visibility_timeout_s == 60
    assert isinstance(res["billing-exports"], S3Bucket)


def test_count_and_removal() -> None:
    spec = interpret("Launch two t3.small servers named app and an SQS queue named app-jobs")
    spec = refine(spec, "add 2 more")
    assert next(r for r in spec.resources if isinstance(r, Ec2Instance)).count == 4
    spec = refine(spec, "remove the queue")
    assert [r.kind for r in spec.resources] == ["ec2_instance"]


def test_a_refinement_that_changes_nothing_is_refused() -> None:
    spec = interpret("Create an S3 bucket named acme-invoices")
    with pytest.raises(GateError, match="changes nothing"):
        refine(spec, "frobnicate it")


def test_spec_block_round_trip_and_it_is_hidden_and_safe() -> None:
    spec = interpret("Create a bucket named acme-invoices tagged note=-->")
    block = spec_block.encode(spec)
    assert block.startswith("<!-- devops-gate:spec v1 ") and block.endswith(" -->")
    assert block.count("-->") == 1 and "<" not in block[4:]
    assert spec_block.decode(f"some comment\n{block}\nmore") == spec
    assert spec_block.latest_spec(["no block", block, "a later comment without one"]) == spec
    assert spec_block.latest_spec(["nothing here"]) is None


def test_a_tampered_block_fails_closed() -> None:
    spec = interpret("Create a bucket named acme-invoices")
    forged = spec.model_dump(mode="json")
    forged["resources"][0]["block_public_access"] = "yes please"
    forged["checks"] = {"enabled": []}
    data = base64.b64encode(json.dumps(forged).encode()).decode()
    with pytest.raises(GateError, match="not a valid spec"):
        spec_block.decode(f"<!-- devops-gate:spec v1 {data} -->")
    with pytest.raises(GateError, match="cannot be read"):
        spec_block.decode("<!-- devops-gate:spec v1 bm90IGpzb24= -->")  # base64 of 'not json'


def test_secrets_do_not_travel_in_the_block() -> None:
    spec = interpret("Create a lambda named notifier with environment variables DB_PASSWORD=hunter2hunter2")
    decoded = spec_block.decode(spec_block.encode(spec))
    assert decoded is not None and "hunter2hunter2" not in decoded.model_dump_json()


def test_plan_request_refines_the_spec_recovered_from_the_comment(workdir: object) -> None:
    run = Run(config=GateConfig(checks={"enabled": ["cfn-lint"]}), context=ChangeContext())
    first = plan_request(
        ChangeRequest(text="Create an S3 bucket named acme-refine-1 without versioning", origin="cli"), run
    )
    comment = render_comment(first)
    previous = spec_block.latest_spec([comment])
    assert previous == first.spec
    second = plan_request(ChangeRequest(text="also enable versioning on that bucket", origin="comment"), run, previous)
    assert second.spec is not None
    bucket = second.spec.resources[0]
    assert isinstance(bucket, S3Bucket) and bucket.versioning and bucket.bucket_name == "acme-refine-1"
    assert "VersioningConfiguration" in second.iac.files[0].content


def test_litellm_is_not_imported_by_the_offline_path() -> None:
    code = (
        "import sys; from gate.pipeline import plan_request; from gate.interpret.offline import interpret;"
        "interpret('Create a bucket named x-offline'); print('litellm' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_refined_field_takes_its_assumptions_with_it() -> None:
    before = interpret("Create an SQS queue named jobs")
    assert [a.value for a in before.assumptions if a.field == "dead_letter"] == ["a DLQ after 5 receives"]
    after = refine(before, "retry each message 4 times")
    (queue,) = after.resources
    assert isinstance(queue, SqsQueue) and queue.dead_letter is not None and queue.dead_letter.max_receive_count == 4
    notes = [(a.field, a.value) for a in after.assumptions if a.resource == "jobs"]
    assert ("dead_letter", "a DLQ after 5 receives") not in notes and ("dead_letter", "after 4 receives") in notes
    again = refine(after, "retry each message 3 times")
    refined = [a for a in again.assumptions if a.field == "refined"]
    assert len(refined) == 1 and "3 times" in refined[0].reason, "the older refinement of that field is gone too"


def test_words_of_a_refinement_the_gate_cannot_place_are_reported() -> None:
    spec = refine(interpret("Launch an EC2 instance named web"), "make it t3.large and frobnicate the widgets")
    assert [a.value for a in spec.assumptions if a.field == "not-understood"] == ["'frobnicate the widgets'"]
    assert spec.assumptions[0].field == "not-understood", "what was not built comes first"
    assert any(r.text == "t3.large" and r.field == "instance_type" for r in spec.readings)
    assert any(r.field == "name" and r.value == "web" for r in spec.readings), (
        "the request's readings that still hold are kept"
    )


def test_a_removed_resource_takes_its_notes_and_readings_with_it() -> None:
    from gate.interpret.removal import without

    spec = interpret("Create an S3 bucket named acme-keep and launch an EC2 instance named web")
    assert any(a.resource == "web" for a in spec.assumptions) and any(r.resource == "web" for r in spec.readings)
    after = without(spec, ("web",), "remove the instance web")
    assert not any(a.resource == "web" for a in after.assumptions)
    assert not any(r.resource == "web" for r in after.readings)
    assert any(r.resource == "acme-keep" for r in after.readings)


def test_a_refinement_of_words_the_gate_cannot_place_is_refused_not_answered() -> None:
    spec = interpret("Create an S3 bucket named acme-invoices with versioning")
    with pytest.raises(NoChange):
        refine(spec, "enable versioning on the bucket")  # understood, and already so: the answer 'no change'
    with pytest.raises(GateError, match="could not place 'frobnicate'") as caught:
        refine(spec, "frobnicate it")
    assert not isinstance(caught.value, NoChange)
