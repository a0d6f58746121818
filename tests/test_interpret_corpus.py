"""The interpreter against request corpora: the shared sample set must pass completely; our own corpus and the
hold-out set (written after the interpreter, run once before fixes) must stay above the measured floors."""

from __future__ import annotations

import pytest

from tests.interpret_cases import CORPUS, HOLDOUT, SAMPLE, judge, load

# Measured: corpus 186/186, hold-out 33/35 before any fix and 35/35 after general fixes. Our own corpus must
# pass whole (a floor below 1 once hid three regressions); the hold-out floor leaves room for a case to be
# looked at, not hidden: its failures are listed.
CORPUS_FLOOR = 1.0
HOLDOUT_FLOOR = 0.94


@pytest.mark.parametrize("case", load(SAMPLE), ids=lambda c: str(c["id"]))
def test_every_sample_request_is_understood(case: dict[str, object]) -> None:
    outcome = judge(case)
    assert outcome.ok, outcome.reason


def _rate(cases: list[dict[str, object]]) -> tuple[float, list[str]]:
    outcomes = [judge(c) for c in cases]
    failed = [f"{o.case_id}: {o.reason}" for o in outcomes if not o.ok]
    return 1 - len(failed) / len(outcomes), failed


def test_corpus_is_large_and_varied() -> None:
    cases = load(CORPUS)
    assert len(cases) >= 120
    assert len({c["id"] for c in cases}) == len(cases)
    assert sum(1 for c in cases if c.get("expect_error")) >= 10
    kinds = {t for c in cases for t in (c.get("types") or {})}
    assert len(kinds) >= 14, sorted(kinds)


def test_corpus_pass_rate_stays_above_the_floor() -> None:
    rate, failed = _rate(load(CORPUS))
    assert rate >= CORPUS_FLOOR, failed


def test_holdout_pass_rate_stays_above_the_floor() -> None:
    rate, failed = _rate(load(HOLDOUT))
    assert rate >= HOLDOUT_FLOOR, failed
