"""Held-out set v3 (issue 13): 100 requests written blind on 2026-12-02 by an engineer who had read no interpreter
code, test or fixture of the project, frozen before any change of that session.  Never edited: its sha256 is pinned
here.  A failing case may be copied into corpus.yaml (with an ``hv3-`` id) and fixed there; the number here is
reported as it comes out.

First run on main 842d950 (before the session's interpreter work): 18/100 exact, 3 silent drops (most misses are
refused or reported, not silent).  Measured with ``python -m bench interpreter``.  On the same day's main after
that session's interpreter work (issue 13, ElastiCache from issue 12), before any v3 case was looked at:
26/100 exact, 5 silent drops.  After the second pass (branch issue-13b), which looked at the v3 failures and fixed
their general classes (13 of the failing cases are copied into corpus.yaml as ``hv3-*`` with rephrasings
``hv3-re-*``), so the number is partly tuned from here on: 39/100 exact, 0 silent drops.  On 2026-12-03 four
branches copied most of the remaining failures into the corpus with rephrasings and fixed their classes (tuned, and
under that day's judge): 99/100, 0 silent drops.  The honest number of that day is held-out v4's.
"""

from __future__ import annotations

import hashlib

from tests.interpret_cases import HOLDOUT_V3, judge, load

SHA256 = "2703f0662771a0dee4ab611dc1d1ab29bb6205826de96a57487ac179ba13281a"
FIRST_RUN = {"passed": 18, "cases": 100, "silent_drops": 3}
# floors: the numbers measured at the end of the last session that worked on it (partly tuned, see the docstring)
PASS_FLOOR = 0.99
SILENT_DROPS_CEILING = 0


def test_the_held_out_set_is_the_frozen_one() -> None:
    assert hashlib.sha256(HOLDOUT_V3.read_bytes()).hexdigest() == SHA256, "holdout-v3.yaml is frozen: never edit it"
    assert len(load(HOLDOUT_V3)) == FIRST_RUN["cases"]


def test_held_out_pass_rate_and_silent_drops() -> None:
    outcomes = [judge(case) for case in load(HOLDOUT_V3)]
    passed = sum(o.ok for o in outcomes)
    silent = [(o.case_id, s) for o in outcomes for s in o.silent]
    failed = [f"{o.case_id}: {o.reason[:160]}" for o in outcomes if not o.ok]
    report = (
        f"held-out v3: {passed}/{len(outcomes)} exact ({100 * passed / len(outcomes):.1f}%), {len(silent)} silent drops"
    )
    print(report)
    assert passed / len(outcomes) >= PASS_FLOOR, (report, failed)
    assert len(silent) <= SILENT_DROPS_CEILING, (report, silent)
