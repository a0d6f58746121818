"""The PR comment (and job summary), rendered from ``templates/comment.md.j2``."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote as urlquote

import jinja2

from gate.cost import format as cost_format
from gate.iac import count_by_file
from gate.models import Finding, GatePlan, Severity
from gate.redact import redact
from gate.remediate.fixers import LEAST_PRIVILEGE
from gate.remediate.patch import fence
from gate.report import markdown, spec_block, spec_text, templating

MARKER_PREFIX = "<!-- devops-gate:comment"
_ICONS = {"pass": "✅", "needs-approval": "🟡", "blocked": "⛔"}
_LABELS = {"pass": "passed", "needs-approval": "needs approval", "blocked": "blocked"}


def marker(env: str = "default") -> str:
    """The hidden marker that finds the sticky comment again (one per PR and environment)."""
    return f"{MARKER_PREFIX} env={markdown.escape(env)} -->"


def _url(value: str | None) -> str:
    if not value or not value.startswith(("https://", "http://")):
        return "#"
    return urlquote(value, safe=":/?#&=%+~,;@!$'*")


def _location(f: Finding) -> str:
    if not f.file:
        return "-"
    return markdown.code(f"{f.file}:{f.line}" if f.line else f.file)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    # markdown: every untrusted value goes through esc, quote, code or url
    return templating.environment(
        "gate.report",
        {
            "esc": markdown.escape,
            "quote": markdown.quote,
            "code": markdown.code,
            "url": _url,
            "describe": spec_text.describe,
            "spec_block": spec_block.encode,  # hidden: the spec a '/gate plan <refinement>' starts from
            "money": cost_format.money,
            "signed": cost_format.signed,
            "quantity": cost_format.quantity,
        },
    )


def findings_summary(plan: GatePlan) -> tuple[list[tuple[str, list[Finding], int, int]], str]:
    """Findings by severity as (name, findings, open, waived), and the headline: open findings are counted
    per severity, waived ones once on their own (they do not count toward the verdict)."""
    groups: dict[Severity, list[Finding]] = {}
    for finding in sorted(plan.findings, key=lambda f: (-f.severity, f.check_id, f.resource or "")):
        groups.setdefault(finding.severity, []).append(finding)
    by_severity = [
        (sev.name, items, sum(1 for f in items if not f.waived), sum(1 for f in items if f.waived))
        for sev, items in groups.items()
    ]
    open_total = sum(row[2] for row in by_severity)
    waived_total = sum(row[3] for row in by_severity)
    per_severity = ", ".join(f"**{n}** {name.lower()}" for name, _, n, _ in by_severity if n)
    summary = f"**{open_total}** open" + (f" ({per_severity})" if per_severity else "")
    if waived_total:
        summary += f"; **{waived_total}** waived (not counted)"
    return by_severity, summary


def render_comment(plan: GatePlan, env_name: str = "default") -> str:
    by_severity, summary = findings_summary(plan)
    return redact(  # secrets are never echoed, whatever field they came in through
        _env()
        .get_template("comment.md.j2")
        .render(
            plan=plan,
            marker=marker(env_name),
            icon=_ICONS[plan.verdict.decision],
            verdict_label=_LABELS[plan.verdict.decision],
            findings_by_severity=by_severity,
            severity_summary=summary,
            open_levels=("CRITICAL", "HIGH"),
            resource_counts=count_by_file(plan.resources),
            location=_location,
            fence=fence,
            least_privilege=LEAST_PRIVILEGE,
            max_suggestions=10,
            max_readings=80,
        )
    )
