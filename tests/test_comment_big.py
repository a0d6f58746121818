"""The comment on a big PR (a terragoat-sized repository and far beyond): findings first, grouped, and
``comment.md`` itself always within GitHub's 65,536 characters, the rest counted and left to SARIF."""

from __future__ import annotations

import datetime as dt

from gate.config import GateConfig
from gate.iac import load_paths
from gate.models import ChangeContext, CheckReport, Finding, GatePlan, ResourceRow, Severity
from gate.pipeline import Run, gate_bundle
from gate.report.comment import COMMENT_LIMIT, render_comment
from tests.conftest import FIXTURES

LEVELS = (Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)


def _big(plan: GatePlan, files: int, per_file: int) -> GatePlan:
    findings = tuple(
        Finding(
            check_id=f"CKV_AWS_{100 + n % 40}",
            tool="checkov",
            severity=LEVELS[n % 4],
            title=f"Ensure the resource is configured safely, case {n % 40} " + "x" * 80,
            resource=f"aws_s3_bucket.bucket_{i}_{n % 7}",
            file=f"modules/m{i}/main.tf",
            line=n + 1,
            remediation="Set the property to its secure value. " * 4,
            docs_url="https://www.checkov.io/5.Policy%20Index/terraform.html",
        )
        for i in range(files)
        for n in range(per_file)
    )
    rows = tuple(
        ResourceRow(logical_id=f"aws_s3_bucket.bucket_{i}_{k}", type="aws_s3_bucket", file=f"modules/m{i}/main.tf")
        for i in range(files)
        for k in range(7)
    )
    return plan.model_copy(
        update={"checks": (CheckReport(check="checkov", status="ran", findings=findings),), "resources": rows}
    )


def test_a_huge_comment_fits_and_says_where_the_rest_is() -> None:
    small = gate_bundle(
        load_paths([str(FIXTURES / "iac" / "public-bucket.yaml")]),
        Run(GateConfig(), ChangeContext(), today=dt.date(2026, 11, 25)),
    )
    for files, per_file in ((12, 25), (60, 50), (200, 60)):
        plan = _big(small, files, per_file)
        comment = render_comment(plan)
        assert len(comment) <= COMMENT_LIMIT, (files, per_file, len(comment))
        findings_at = comment.index("### Findings")
        assert findings_at < comment.index("<b>Resources</b>")  # findings first, resources collapsed after
        assert f"**{files * per_file}** open" in comment  # the counts are always whole
        assert f"<b>Resources</b> ({files * 7} in {files} files)" in comment
        first_row = comment.index("| CRITICAL |", findings_at)  # the worst findings come first
        assert first_row < comment.index("| LOW |", findings_at)
        if files * per_file > 1000:
            assert "more finding row(s) are not shown here" in comment and "results.sarif" in comment
