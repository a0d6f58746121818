"""Nothing the request asks for is dropped in silence: what the spec cannot carry is said first ('not-applied'),
and a request whose main verb asks for it is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.cli import main
from gate.errors import GateError
from gate.interpret.offline import interpret
from gate.spec import ChangeSpec


def _not_applied(spec: ChangeSpec) -> list[str]:
    return [f"{a.resource}: {a.value}" for a in spec.assumptions if a.field == "not-applied"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Create an S3 bucket named audit-logs with MFA delete", "MFA delete"),
        ("Create a bucket named www-site with static website hosting", "static website hosting"),
        ("Create a DynamoDB table named orders with a global secondary index on customer_id", "secondary indexes"),
        ("Create a lambda named worker with a dead letter queue", "dead-letter queue"),
        ("Create a log group named /app/api encrypted with KMS", "KMS encryption"),
        ("Create a bucket named data-lake-raw with cross-region replication to eu-west-1", "replication"),
        ("Lambda named api-handler on java21 with SnapStart", "SnapStart"),
        ("Create a Postgres database named metrics-db with performance insights enabled", "Performance Insights"),
        ("Create a DynamoDB table named sessions that keeps items for 5 years", "5 years"),
        ("Create a Postgres database named app-db with backups kept for 90 days", "90 days"),  # clamped to 35
        ("A place to run a python script every night at 3am that emails a report", "SES"),
        ("Create an SNS topic named deploy-events that sends to the queue audit-log", "the existing queue audit-log"),
        ("Create a lambda that reads from the DynamoDB table every hour", "NOT granted: dynamodb:GetItem"),
    ],
)
def test_what_cannot_be_applied_is_said_first(text: str, says: str) -> None:
    spec = interpret(text)
    notes = _not_applied(spec)
    assert any(says in n for n in notes), (notes, spec.assumptions)
    assert spec.assumptions[0].field == "not-applied"  # first under "Assumptions to check"


@pytest.mark.parametrize(
    "text",
    [
        "Create a bucket named assets with block public access",  # negated: the secure default
        "Create a Lambda named thumbs triggered by uploads to bucket raw with a dead letter queue",  # built (async)
        "Create a log group named /app/api encrypted with the KMS key arn:aws:kms:us-east-1:123456789012:key/abc-123",
        "Create a lambda named reporter that runs once a day at 6am",
        "Add a log group for the checkout service that keeps logs for 45 days",  # rounded up, said as such
        "Create a Node.js 20 Lambda called webhook-handler with 128MB and a 10s timeout",  # a name, not a feature
    ],
)
def test_applied_or_negated_features_are_not_reported(text: str) -> None:
    assert _not_applied(interpret(text)) == []


# the corpora's cases whose notes are right (everything else there is fully built, or answered with nothing to build)
EXPECTED_NOTES: dict[str, tuple[str, ...]] = {
    "rv-business-script-emails": ("sending email (SES)",),
    "cmp-queue-policy": ("a queue policy",),
    "cmp-bucket-policy-outside-role": ("a bucket policy grant to the role analytics",),
    "src-web-server-open-to-the-world": ("public access",),  # no public subnet: the server gets no public address
    "ebs-existing-instance-no-zone": ("attach to the existing instance",),  # no zone given for the volume
    "hv3-re-s3-years-no-count": ("5 years",),  # a retention the request states but does not ask to enforce
    "hv3-rds-identity-managed-secret": ("Performance Insights", "7 days"),  # not supported yet
}


def test_the_shared_corpora_raise_no_spurious_notes() -> None:
    from tests.interpret_cases import CORPUS, HOLDOUT, SAMPLE, load

    noisy, answered = [], 0
    for path in (SAMPLE, CORPUS, HOLDOUT):
        for case in load(path):
            if case.get("expect_error") or case.get("dangerous"):
                continue  # refused (a dangerous ask is refused by name)
            spec = interpret(case["text"])
            notes = _not_applied(spec)
            if spec.answer is not None:  # nothing to build: the one note says what was asked instead
                answered += 1
                if len(notes) != 1:
                    noisy.append((case["id"], notes))
                continue
            expected = EXPECTED_NOTES.get(str(case["id"]), ())
            unexpected = [n for n in notes if not any(e in n for e in expected)]
            missing = [e for e in expected if not any(e in n for n in notes)]
            if unexpected or missing:
                noisy.append((case["id"], [*unexpected, *(f"missing: {m}" for m in missing)]))
    assert noisy == [], noisy
    assert answered >= 10  # the operations and questions of the corpora are among them


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Please turn on requester pays for the bucket media", "requester pays"),
        ("Add DAX in front of the orders table", "DAX"),
        ("Please turn on transfer acceleration for the bucket media", "Transfer Acceleration"),
    ],
)
def test_a_request_for_an_unsupported_feature_itself_is_refused(text: str, says: str) -> None:
    with pytest.raises(GateError) as caught:
        interpret(text)
    assert says in caught.value.message and "cannot build" in caught.value.message
    assert caught.value.fix


def test_a_plan_with_parts_not_built_needs_approval_even_when_every_check_passes(workdir: Path) -> None:
    """The spec is incomplete: a person looks before it ships, unless approvals are switched off."""
    request = "Create an S3 bucket named acme-web-assets with static website hosting"
    assert main(["plan", "--request", request, "--format", "cloudformation", "--out", "o"]) == 1
    plan = json.loads((workdir / "o" / "gate-plan.json").read_text())
    assert plan["verdict"]["decision"] == "needs-approval"
    assert any("part(s) of the request were not built: static website hosting" in r for r in plan["verdict"]["reasons"])

    (workdir / ".gate.yml").write_text("version: 1\nthresholds:\n  approval_on: null\n")
    assert main(["plan", "--request", request, "--format", "cloudformation", "--out", "o2"]) == 0
