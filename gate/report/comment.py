"""The PR comment (and job summary), rendered from ``templates/comment.md.j2``."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote as urlquote

import jinja2

from gate.checks import baseline
from gate.cost import format as cost_format
from gate.iac import count_by_file
from gate.models import Finding, GatePlan, Severity, Suggestion
from gate.redact import find_secrets, redact
from gate.remediate.fixers import LEAST_PRIVILEGE
from gate.remediate.patch import fence
from gate.report import findings_view, markdown, spec_block, spec_text, templating
from gate.report.diagram.section import DiagramSection
from gate.report.diagram.section import section as diagram_section

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


_HUNK = re.compile(r"^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def suggestion_diff(s: Suggestion) -> str:
    """The fix's diff with the file's own line numbers (it is computed on the resource's lines alone)."""
    offset = s.start_line - 1

    def shift(match: re.Match[str]) -> str:
        old, old_n, new, new_n = match.groups()
        return f"@@ -{int(old) + offset}{old_n or ''} +{int(new) + offset}{new_n or ''} @@"

    return "".join(_HUNK.sub(shift, line) for line in s.diff.splitlines(keepends=True))


def has_secret(text: str) -> bool:
    return "[REDACTED:" in text or bool(find_secrets(text))


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
            "cost_headline": cost_format.report_headline,
            "suggestion_diff": suggestion_diff,
            "has_secret": has_secret,
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
    on_base = sum(1 for f in plan.findings if baseline.is_on_base(f))
    waived_total = sum(row[3] for row in by_severity) - on_base
    per_severity = ", ".join(f"**{n}** {name.lower()}" for name, _, n, _ in by_severity if n)
    summary = f"**{open_total}** open" + (f" ({per_severity})" if per_severity else "")
    if waived_total:
        summary += f"; **{waived_total}** waived (not counted)"
    if on_base:
        summary += f"; **{on_base}** already on the base branch (not counted)"
    return by_severity, summary


COMMENT_LIMIT = 65_536  # GitHub's limit for one comment; comment.md itself always fits
# (finding rows, fix text shown, resource rows, cost rows, check rows): each level cuts the comment further
_LEVELS: tuple[tuple[int | None, bool, int, int, int], ...] = (
    (None, True, 200, 60, 40),
    (300, True, 100, 40, 25),
    (120, False, 50, 25, 15),
    (40, False, 20, 10, 10),
    (0, False, 0, 0, 5),
)


def render_comment(
    plan: GatePlan, env_name: str = "default", limit: int = COMMENT_LIMIT, run_url: str | None = None
) -> str:
    """The comment, as complete as fits in ``limit`` characters: rows beyond a level are counted and left
    to SARIF and gate-plan.json (every finding is there). ``run_url``: the CI run whose artifact holds
    gate-out/ (report.html); the comment links it."""
    text = ""
    diagram = diagram_section(plan)  # the same at every level: drawn once, left out only at the last
    for level in _LEVELS:
        text = _render(plan, env_name, run_url, diagram, *level)
        if len(text) <= limit:
            return text
    return text[: limit - 200] + "\n\n_(cut to fit GitHub's comment size; everything is in gate-plan.json)_\n"


def terraform_summary(plan: GatePlan) -> str | None:
    """'1 to add, 0 to change, 0 to destroy' when the plan gated a Terraform plan's JSON, else None."""
    if not plan.iac.by_format("terraform-plan"):
        return None
    from gate.terraform.plan_json import summary

    return summary(plan.changes)


def _render(
    plan: GatePlan,
    env_name: str,
    run_url: str | None,
    diagram: DiagramSection | None,
    rows: int | None,
    with_fixes: bool,
    resource_rows: int,
    cost_rows: int,
    checks: int,
) -> str:
    _, summary = findings_summary(plan)
    return redact(  # secrets are never echoed, whatever field they came in through
        _env()
        .get_template("comment.md.j2")
        .render(
            plan=plan,
            marker=marker(env_name),
            icon=_ICONS[plan.verdict.decision],
            verdict_label=_LABELS[plan.verdict.decision],
            findings_total=len(plan.findings),
            severity_summary=summary,
            view=findings_view.group([f for f in plan.findings if not baseline.is_on_base(f)], rows),
            on_base=findings_view.group([f for f in plan.findings if baseline.is_on_base(f)], rows),
            checks_summary=findings_view.by_check(plan.findings),
            check_rows=checks,
            with_fixes=with_fixes,
            open_levels=("CRITICAL", "HIGH"),
            resource_counts=count_by_file(plan.resources),
            resource_total=len(plan.resources),
            resource_files=len({r.file for r in plan.resources}),
            resource_rows=resource_rows,
            cost_rows=cost_rows,
            location=_location,
            fence=fence,
            least_privilege=LEAST_PRIVILEGE,
            max_suggestions=10 if with_fixes else 3,
            diagram=diagram if rows != 0 else None,
            run_url=_url(run_url) if run_url else None,
            max_readings=80 if rows is None else min(rows, 80),
            terraform_plan=terraform_summary(plan),
        )
    )
