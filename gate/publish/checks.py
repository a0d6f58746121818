"""GitHub check runs: one per job and environment (``devops-gate plan (prod)``), with the verdict as its
conclusion, a summary, and annotations on the repository's own files.

A commit status says pass/fail in 140 characters; a check run carries the verdict (needs-approval is
``action_required``), the counts and the cost, and puts each finding on the line of the file it is about.
Annotations are sent 50 a request (GitHub's limit), the most severe first. Findings on a *generated* plan are
about ``template.yaml``/``main.tf``, files that are not in the repository: they point at the PR's change request
instead (its ``changes/*.md`` file when it came from one), or, when the request is the PR description, are
listed in the check run's text. ``publish-as`` chooses check runs, commit statuses or both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

from gate.errors import GateError
from gate.intake import actions
from gate.models import Finding, GatePlan, Severity
from gate.vcs import (
    ANNOTATIONS_PER_REQUEST,
    Annotation,
    AnnotationLevel,
    CheckConclusion,
    CheckRunReport,
    StatusState,
    VcsClient,
)

if TYPE_CHECKING:
    from gate.deploy.spine import Outcome

__all__ = ["ANNOTATIONS_PER_REQUEST", "Annotation", "CheckRunReport", "check_name", "plan_check"]

PublishAs = Literal["checks", "statuses", "both"]
PUBLISH_AS: tuple[PublishAs, ...] = ("checks", "statuses", "both")

CONCLUSIONS: dict[str, CheckConclusion] = {"pass": "success", "needs-approval": "action_required", "blocked": "failure"}
_TITLE_LIMIT = 255
_TEXT_LIMIT = 65_535
# GitHub shows 10 annotations of each level per step: the job log carries no more than that.
LOG_ANNOTATIONS_PER_LEVEL = 10


def parse_publish_as(value: str) -> PublishAs:
    for choice in PUBLISH_AS:
        if value.strip() == choice:
            return choice
    raise GateError(
        f"unknown publish-as {value!r}",
        source="publish-as",
        fix="use checks (check runs; needs 'checks: write'), statuses (commit statuses) or both",
    )


def check_name(job: Literal["plan", "apply"], environment: str) -> str:
    """``devops-gate plan (prod)``: the same job and environment as the ``devops-gate/plan (prod)`` status."""
    return f"devops-gate {job} ({environment})"


def _level(severity: Severity) -> AnnotationLevel:
    return "failure" if severity >= Severity.HIGH else "warning" if severity >= Severity.MEDIUM else "notice"


def _message(f: Finding, generated_in: str | None) -> str:
    where = f" (resource {f.resource})" if f.resource else ""
    text = f"{f.severity.name} {f.title}{where}"
    if generated_in:
        text += f"\nFound in the plan generated from this change request ({generated_in})."
    if f.remediation:
        text += f"\nFix: {f.remediation}"
    if f.docs_url:
        text += f"\nSee {f.docs_url}"
    return text


def _live(plan: GatePlan) -> list[Finding]:
    """Unwaived findings, the most severe first (stable within a severity)."""
    return sorted((f for f in plan.findings if not f.waived), key=lambda f: -int(f.severity))


def place_findings(plan: GatePlan) -> tuple[list[Annotation], list[Finding]]:
    """The findings that can be put on a line of a file in the repository, and those that cannot."""
    placed: list[Annotation] = []
    elsewhere: list[Finding] = []
    hand_written = {f.path for f in plan.iac.files} if plan.iac.origin == "hand-written" else set()
    origin = plan.request.origin if plan.request else ""
    request_file = origin.removeprefix("file:") if origin.startswith("file:") else None
    for f in _live(plan):
        path = (f.file or "").removeprefix("./").lstrip("/")
        title = f"{f.tool} {f.check_id}"
        if path in hand_written:
            placed.append(Annotation(path, max(f.line or 1, 1), _level(f.severity), title, _message(f, None)))
        elif request_file:
            generated = path or "the generated template"
            placed.append(Annotation(request_file, 1, _level(f.severity), title, _message(f, generated)))
        else:
            elsewhere.append(f)
    return placed, elsewhere


def _counts(findings: list[Finding]) -> str:
    by = {s: sum(1 for f in findings if f.severity == s) for s in reversed(Severity)}
    parts = [f"{n} {s.name.lower()}" for s, n in by.items() if n]
    return ", ".join(parts) if parts else "none"


def _cost(plan: GatePlan) -> str:
    cost = plan.cost
    if cost is None:
        return "not estimated"
    sign = "+" if cost.monthly_delta >= 0 else "-"
    return (
        f"{sign}{abs(cost.monthly_delta):,.2f} {cost.currency}/month "
        f"({cost.monthly_before:,.2f} → {cost.monthly_after:,.2f}, {cost.source})"
    )


def _section(label: str, plan: GatePlan) -> str:
    reasons = "; ".join(plan.verdict.reasons) or "no blocking findings"
    findings = _live(plan)
    waived = sum(1 for f in plan.findings if f.waived)
    return (
        f"**{label}: {plan.verdict.decision}** — {reasons}\n\n"
        f"- resources: {len(plan.resources)}\n"
        f"- findings: {_counts(findings)}" + (f" ({waived} waived)" if waived else "") + "\n"
        f"- cost: {_cost(plan)}\n"
    )


def _unplaced(label: str, findings: list[Finding]) -> str:
    rows = "\n".join(
        f"- **{f.severity.name}** `{f.tool} {f.check_id}` {f.title}"
        + (f" (resource `{f.resource}`)" if f.resource else "")
        for f in findings
    )
    return f"### {label}: findings on the generated plan\n\n{rows}\n"


def plan_check(
    primary: GatePlan, also: GatePlan | None, environment: str, decision: str, details: str | None = None
) -> CheckRunReport:
    """The ``devops-gate plan (ENV)`` check run of a PR's plan (``also``: its hand-written plan beside the
    request's); ``decision`` is the stricter verdict of the two."""
    plans = [("change request" if primary.request else "hand-written IaC", primary)]
    if also is not None:
        plans.append(("hand-written IaC", also))
    placed: list[Annotation] = []
    text_parts: list[str] = []
    for label, plan in plans:
        on_files, unplaced = place_findings(plan)
        placed.extend(on_files)
        if unplaced:
            where = "the PR description" if plan.request and plan.request.origin == "pr-body" else "the request"
            text_parts.append(_unplaced(label, unplaced) + f"\n(The request came from {where}: no file to annotate.)\n")
    # the most severe first across both plans
    order = {"failure": 0, "warning": 1, "notice": 2}
    placed.sort(key=lambda a: order[a.level])
    summary = "\n".join(_section(label, plan) for label, plan in plans)
    if details:
        summary += f"\n{details}\n"
    text = "\n".join(text_parts)[:_TEXT_LIMIT] or None
    return CheckRunReport(
        name=check_name("plan", environment),
        conclusion=CONCLUSIONS[decision],
        title=f"{decision}: " + ("; ".join(primary.verdict.reasons) or "no blocking findings"),
        summary=summary[:_TEXT_LIMIT],
        text=text,
        annotations=tuple(placed),
    )


def nothing_check(environment: str, text: str) -> CheckRunReport:
    return CheckRunReport(name=check_name("plan", environment), conclusion="success", title=text, summary=text)


def error_check(job: Literal["plan", "apply"], environment: str, message: str) -> CheckRunReport:
    """A check run for a job that could not run (bad input, GitHub or AWS refused): a failure with the reason."""
    return CheckRunReport(
        name=check_name(job, environment),
        conclusion="failure",
        title=f"cannot {job}: {message}"[:_TITLE_LIMIT],
        summary=message[:_TEXT_LIMIT],
    )


def verdict_out(
    client: VcsClient,
    publish_as: PublishAs,
    run_url: str | None,
    log: Callable[[str], None],
    sha: str,
    context: str,
    state: StatusState,
    description: str,
    check: CheckRunReport,
) -> None:
    """The verdict as a commit status and/or a check run (``publish-as``). With ``both``, a token without
    ``checks: write`` still gets the status, and the refusal is logged as a warning."""
    if publish_as != "checks":
        client.set_status(sha, context, state, description, run_url)
    if publish_as == "statuses":
        return
    try:
        client.publish_check_run(sha, check, run_url)
    except GateError as exc:
        if publish_as == "checks":
            raise
        log(actions.annotation("warning", f"{exc.message}; the commit status is set (grant 'checks: write')"))


_LOG_ORDER = {"error": 0, "warning": 1, "notice": 2}


def _log_level(line: str) -> str:
    return line[2:].split(" ", 1)[0].split(":", 1)[0]


def log_findings(plan: GatePlan, also: GatePlan | None, publish_as: PublishAs, environment: str) -> list[str]:
    """The job log's workflow commands for the findings: none when the check run carries them as annotations;
    with statuses only, at most 10 per level (what GitHub shows per step), the most severe first, and a count
    of the rest."""
    findings = _live(plan) + (_live(also) if also else [])
    if not findings:
        return []
    if publish_as != "statuses":
        return [
            f"devops-gate: {len(findings)} finding(s) annotated in the check run '{check_name('plan', environment)}'"
        ]
    lines = [*actions.plan_annotations(plan), *(actions.plan_annotations(also) if also else ())]
    shown: list[str] = []
    per_level: dict[str, int] = {}
    for line in sorted(lines, key=lambda text: _LOG_ORDER.get(_log_level(text), 3)):
        level = _log_level(line)
        per_level[level] = per_level.get(level, 0) + 1
        if per_level[level] <= LOG_ANNOTATIONS_PER_LEVEL:
            shown.append(line)
    if len(shown) < len(lines):
        shown.append(f"devops-gate: {len(lines) - len(shown)} more finding(s) in the PR comment and results.sarif")
    return shown


def apply_check(environment: str, outcome: Outcome, plan_sha: str | None) -> CheckRunReport:
    """The ``devops-gate apply (ENV)`` check run of the merge-side apply: success when every stack applied (or
    had nothing to change), ``action_required`` when it was refused for a missing approval, else failure; the
    summary has one line per stack and what failed (the stack's events or status reason)."""
    conclusion: CheckConclusion = "success" if outcome.ok else "failure"
    if outcome.status == "refused" and not outcome.outcomes:
        conclusion = "action_required"  # an approval is missing: approving it is the action
    rows = [
        f"- **{o.outcome}** `{o.stack_name}` in {o.region}" + (f": {o.detail}" if o.detail else "")
        for o in outcome.outcomes
    ]
    anchor = f"plan sha256 `{plan_sha[:12]}`" if plan_sha else "the reviewed plan"
    summary = f"{outcome.summary()}\n\n{anchor}\n" + ("\n" + "\n".join(rows) + "\n" if rows else "")
    return CheckRunReport(
        name=check_name("apply", environment),
        conclusion=conclusion,
        title=outcome.summary()[:_TITLE_LIMIT],
        summary=summary[:_TEXT_LIMIT],
    )
