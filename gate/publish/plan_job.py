"""The plan job of ``devops-gate action``: plan the PR's change request (or a ``/gate plan`` refinement) and gate
the hand-written IaC the PR changes (read through the API at the head commit, never checked out); write the
outputs, publish the sticky comment (with a hidden record of the reviewed plan's sha256) and the
``devops-gate/plan (ENV)`` status or check run. A PR with both gets both plans in one comment and the stricter
verdict; the request's plan is the one applied on merge. A PR with neither gets a success, 'nothing to gate'.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

from gate.config import GateConfig
from gate.errors import GateError
from gate.intake import actions
from gate.intake.github_event import change_section, parse_command
from gate.intake.pr_iac import PullIaC, read_pull_iac
from gate.models import ChangeContext, ChangeRequest, GatePlan
from gate.pipeline import PLAN_FILE, Run, gate_bundle, plan_request, write_outputs
from gate.plan_file import load_plan
from gate.publish import locking
from gate.publish.announce import announce
from gate.publish.checks import CheckRunReport, error_check, log_findings, nothing_check, plan_check, verdict_out
from gate.publish.comment import plan_record, publish, sticky_comments
from gate.publish.contexts import plan_context
from gate.publish.facts import Link
from gate.publish.iac_comment import (
    HAND_WRITTEN_DIR,
    combine,
    files_section,
    nothing_body,
    nothing_status,
    status_reason,
    stricter,
)
from gate.publish.job import Job, job_config, job_target
from gate.publish.refine_pr import reply, unchanged
from gate.report import markdown
from gate.report.comment import marker, render_comment
from gate.vcs import WRITE_PERMISSIONS, PullInfo, StatusState

ALLOW_DATA_LOSS_LABEL = "gate:allow-data-loss"
_STATES: dict[str, StatusState] = {"pass": "success", "needs-approval": "pending", "blocked": "failure"}


def _context(job: Job, pull: PullInfo, allows: tuple[str, ...], label_allows: bool) -> ChangeContext:
    values: dict[str, Any] = {
        "source": "github",
        "event_name": job.event_name,
        "repository": job.client.repository,
        "pr_number": pull.number,
        "pr_url": pull.html_url,
        "head_sha": pull.head_sha,
        "base_ref": pull.base_ref,
        "actor": (job.payload.get("sender") or {}).get("login"),
        "is_fork": pull.is_fork,
        "labels": pull.labels,
    }
    allowed = (*allows, "*") if label_allows else allows
    return ChangeContext(**values, allow_data_loss=allowed)


def data_loss_label_allows(job: Job, pull: PullInfo) -> bool:
    """Whether the ``gate:allow-data-loss`` label counts: only when whoever added it last has write access.

    Adding a label needs only triage permission, while ``/gate allow-data-loss`` needs write; the label must not be
    the cheaper way round. Who added it comes from the PR's ``labeled`` events, not from the event payload.
    """
    if ALLOW_DATA_LOSS_LABEL not in pull.labels:
        return False
    actor = job.client.label_added_by(pull.number, ALLOW_DATA_LOSS_LABEL)
    if actor and job.client.permission(actor) in WRITE_PERMISSIONS:
        job.log(f"devops-gate: label {ALLOW_DATA_LOSS_LABEL} added by {actor} (write access): data loss allowed")
        return True
    job.log(
        f"devops-gate: label {ALLOW_DATA_LOSS_LABEL} ignored: added by {actor or 'an unknown user'}, who has no "
        "write access (a maintainer can re-add it, or comment '/gate allow-data-loss <id>')"
    )
    return False


def data_loss_allows(job: Job, pr: int) -> tuple[str, ...]:
    """Logical ids allowed by '/gate allow-data-loss <id>' comments from people with write access."""
    allowed: list[str] = []
    permissions: dict[str, bool] = {}
    for comment in job.client.list_comments(pr):
        parsed = parse_command(comment.body)
        if parsed.result != "command" or parsed.name != "allow-data-loss":
            continue
        if comment.author not in permissions:
            permissions[comment.author] = job.client.permission(comment.author) in WRITE_PERMISSIONS
        if permissions[comment.author] and parsed.argument not in allowed:
            allowed.append(parsed.argument)
    return tuple(allowed)


def plan_pr(job: Job, pr: int, refinement: str | None = None) -> int:
    settings, client = job.settings, job.client
    pull = client.get_pull(pr)
    sticky_marker = marker(settings.environment)
    try:
        config = job_config(settings)
        context = _context(job, pull, data_loss_allows(job, pr), data_loss_label_allows(job, pull))
        request = _request(job, pull, refinement)
    except GateError as exc:
        _cannot_plan(job, pull, exc)
        raise
    if refinement and request is not None:  # one that changes nothing keeps the reviewed plan, status and check run
        kept = keep_reviewed(job, pull, request, context, config)
        if kept is not None:
            return kept
    if settings.publish_as != "checks":
        client.set_status(
            pull.head_sha,
            plan_context(settings.environment),
            "pending",
            "devops-gate is planning this change",
            settings.run_url,
        )
    try:
        iac = read_pull_iac(client, pull, settings.iac_paths, job.log)
        # A fork PR is planned offline: no AWS call is made for text that came from outside the repository.
        target = None if pull.is_fork else job_target(settings, config)
        if request is not None:
            locking.hold(job, config, target, pull.number, context.actor or "unknown")
        plan = plan_request(request, Run(config=config, context=context, target=target)) if request else None
        # hand-written IaC is gated as 'devops-gate check' gates it: no change-set preview (which stack a file
        # belongs to is not the gate's to guess), cost against the same paths at the PR's base commit
        hand = gate_bundle(iac.bundle, Run(config=config, context=context, cost_base=iac.base)) if iac.bundle else None
    except GateError as exc:
        _cannot_plan(job, pull, exc)
        raise
    primary = plan if plan is not None else hand
    if primary is None:
        return _nothing_to_gate(job, pull, iac, sticky_marker)
    also = hand if plan is not None else None  # a PR with both: the hand-written plan next to the request's
    written = write_outputs(primary, Path(settings.out))
    if also is not None:
        write_outputs(also, Path(settings.out) / HAND_WRITTEN_DIR)
    plan_sha = hashlib.sha256(written[PLAN_FILE].read_bytes()).hexdigest()
    full = render_comment(primary, settings.environment, run_url=settings.run_url)
    if also is not None:
        full = combine(
            full, render_comment(also, settings.environment, run_url=settings.run_url), primary, also, settings.out
        )
    if iac.gated or iac.removed:
        full += files_section(iac)
    first, _, rest = full.partition("\n")
    body = f"{first}\n{plan_record(plan_sha, pull.head_sha)}\n{rest}"
    where = f"the full report is in [the job summary]({settings.run_url})" if settings.run_url else "see gate-out/"
    posted = publish(client, pr, body, sticky_marker, settings.comment_mode, settings.bot_login, full_report=where)
    reason, decision = status_reason(primary, also), stricter(primary, also)
    check = plan_check(
        primary, also, settings.environment, decision, f"Comment: {posted.html_url}" if posted.html_url else None
    )
    publish_verdict(job, pull.head_sha, _STATES[decision], reason, check)
    _report(job, primary, written[PLAN_FILE], full, posted.html_url, also)
    return max(primary.verdict.exit_code, also.verdict.exit_code if also is not None else 0)


def keep_reviewed(
    job: Job, pull: PullInfo, request: ChangeRequest, context: ChangeContext, config: GateConfig
) -> int | None:
    """A '/gate plan <text>' that changes nothing (gate/publish/refine_pr.py): the reviewed outputs, byte for
    byte, in the output folder (the workflow uploads them again), the answer on the PR, the outputs of the
    reviewed plan; no status, check run, sticky comment or announcement. None: the PR is to be planned."""
    settings = job.settings
    out = Path(settings.out)
    with tempfile.TemporaryDirectory(prefix="devops-gate-reviewed-") as folder:
        found = unchanged(job, pull, request, context, config, Path(folder))
        if found is None:
            return None
        path, answer = found
        try:
            shutil.copytree(path.parent, out, dirs_exist_ok=True)
        except OSError as exc:
            raise GateError(
                f"cannot write the output folder ({exc})", source=str(out), fix="pass a writable out"
            ) from exc
    plan = answer.previous
    also = load_plan(out / HAND_WRITTEN_DIR / PLAN_FILE) if (out / HAND_WRITTEN_DIR / PLAN_FILE).is_file() else None
    decision = stricter(plan, also)
    job.client.create_comment(pull.number, reply(answer, out / PLAN_FILE, decision))
    stickies = sticky_comments(job.client, pull.number, marker(settings.environment), settings.bot_login)
    delta, estimate = cost_outputs(plan)
    for name, value in (
        ("verdict", decision),
        ("plan-path", str(out / PLAN_FILE)),
        ("cost-delta", delta),
        ("cost-estimate", estimate),
        ("comment-url", (stickies[-1].html_url if stickies else None) or ""),
    ):
        actions.set_output(name, value, job.env)
    actions.append_summary(f"devops-gate: no change: the reviewed plan is kept as it was ({decision}).", job.env)
    job.log(f"devops-gate: no change: {answer.note.value[:100]!r}: the reviewed plan is kept as it was")
    job.log(verdict_line(plan, also, settings.out))  # the log's last line: the step's verdict
    return max(plan.verdict.exit_code, also.verdict.exit_code if also is not None else 0)


def _cannot_plan(job: Job, pull: PullInfo, exc: GateError) -> None:
    """The sticky comment says why (its plan record goes: nothing is reviewed), and a failure verdict."""
    settings, sticky_marker = job.settings, marker(job.settings.environment)
    body = f"{sticky_marker}\n## ⛔ devops-gate: cannot plan this pull request\n\n{markdown.escape(exc.render())}\n"
    publish(job.client, pull.number, body, sticky_marker, settings.comment_mode, settings.bot_login)
    publish_verdict(job, pull.head_sha, "failure", exc.message, error_check("plan", settings.environment, exc.message))


def _nothing_to_gate(job: Job, pull: PullInfo, iac: PullIaC, sticky_marker: str) -> int:
    """No change request and no IaC change: a success status; an earlier sticky comment is updated to say so
    (its plan record goes with it, so an old plan is not applied on merge), and a '/gate plan' gets that answer;
    no new comment otherwise."""
    settings, client = job.settings, job.client
    text = nothing_status(iac)
    url: str | None = None
    asked = job.event_name == "issue_comment"
    if asked or sticky_comments(client, pull.number, sticky_marker, settings.bot_login):
        body = nothing_body(sticky_marker, iac)
        url = publish(client, pull.number, body, sticky_marker, settings.comment_mode, settings.bot_login).html_url
    publish_verdict(job, pull.head_sha, "success", text, nothing_check(settings.environment, text))
    for name in ("plan-path", "cost-delta", "cost-estimate"):
        actions.set_output(name, "", job.env)
    actions.set_output("verdict", "nothing-to-gate", job.env)
    actions.set_output("comment-url", url or "", job.env)
    actions.append_summary(f"devops-gate: {text}.", job.env)
    job.log(f"devops-gate: {text}")
    return 0


def publish_verdict(job: Job, sha: str, state: StatusState, description: str, check: CheckRunReport) -> None:
    settings = job.settings
    verdict_out(
        job.client,
        settings.publish_as,
        settings.run_url,
        job.log,
        sha,
        plan_context(settings.environment),
        state,
        description,
        check,
    )


def dispatch_plan(job: Job) -> int:
    """workflow_dispatch without a PR: plan the 'request' input; outputs and summary only."""
    text = ((job.payload.get("inputs") or {}).get("request") or job.settings.request or "").strip()
    if not text:
        raise GateError("workflow_dispatch plan needs a change request", fix="set the 'request' input, or 'pr'")
    config = job_config(job.settings)
    context = ChangeContext(source="github", event_name=job.event_name, repository=job.client.repository)
    plan = plan_request(ChangeRequest(text=text, origin="cli"), Run(config, context, job_target(job.settings, config)))
    written = write_outputs(plan, Path(job.settings.out))
    _report(
        job,
        plan,
        written[PLAN_FILE],
        render_comment(plan, job.settings.environment, run_url=job.settings.run_url),
        None,
    )
    return plan.verdict.exit_code


def _request(job: Job, pull: PullInfo, refinement: str | None) -> ChangeRequest | None:
    """The PR's request: the body's '## Change request' section, then every '/gate plan <text>' refinement by a
    writer, in order (so a push re-plans to the same result); None when there is neither (only IaC is gated)."""
    refinements = list(refinements_of(job, pull.number))
    if refinement and (not refinements or refinements[-1] != refinement):
        refinements.append(refinement)  # the comment being handled, when the listing does not show it yet
    text = change_section(pull.body)
    if text is None:
        if not refinements:
            job.log("devops-gate: the pull request body has no '## Change request' section")
            return None
        first, *rest = refinements
        return ChangeRequest(text=first, origin="comment", refinements=tuple(rest))
    return ChangeRequest(text=text, origin="pr-body", refinements=tuple(refinements))


def refinements_of(job: Job, pr: int) -> tuple[str, ...]:
    """'/gate plan <text>' comments by people with write access, oldest first."""
    found: list[str] = []
    permissions: dict[str, bool] = {}
    for comment in job.client.list_comments(pr):
        parsed = parse_command(comment.body)
        if parsed.result != "command" or parsed.name != "plan" or not parsed.argument:
            continue
        if comment.author not in permissions:
            permissions[comment.author] = job.client.permission(comment.author) in WRITE_PERMISSIONS
        if permissions[comment.author]:
            found.append(parsed.argument)
    return tuple(found)


def cost_outputs(plan: GatePlan) -> tuple[str, str]:
    """The ``cost-delta`` and ``cost-estimate`` outputs, as the comment's cost headline says it: no figure when
    nothing was priced (the comment says "not estimated", never $0.00); with some resources not estimated, the
    priced part's change and ``partial``."""
    cost = plan.cost
    if cost is None or (cost.lines and not cost.priced):
        return "", "not-estimated"
    return f"{cost.monthly_delta:.2f}", "partial" if cost.not_estimated else "estimated"


def _report(
    job: Job, plan: GatePlan, plan_path: Path, full_comment: str, comment_url: str | None, also: GatePlan | None = None
) -> None:
    """Outputs, job summary, annotations and announcements. ``also``: the hand-written plan of a PR that has a
    change request too; it counts toward the verdict output and is annotated, but only ``plan`` is announced."""
    delta, estimate = cost_outputs(plan)
    actions.set_output("verdict", stricter(plan, also), job.env)
    actions.set_output("plan-path", str(plan_path), job.env)
    actions.set_output("cost-delta", delta, job.env)
    actions.set_output("cost-estimate", estimate, job.env)
    actions.set_output("comment-url", comment_url or "", job.env)
    actions.append_summary(full_comment, job.env)
    for line in log_findings(plan, also, job.settings.publish_as, job.settings.environment):
        job.log(line)
    # the change ticket and chat (when configured); a delivery problem goes to the outbox, never into the verdict
    links: tuple[Link, ...] = (Link(title="pull request", url=plan.context.pr_url),) if plan.context.pr_url else ()
    links += (Link(title="gate comment", url=comment_url),) if comment_url else ()
    told = announce(plan, job_config(job.settings), job.settings.environment, links=links)
    for line in (*told.lines, *(f"warning: {w}" for w in told.warnings)):
        job.log(line)
    job.log(verdict_line(plan, also, job.settings.out))  # the log's last line: the step's verdict


def verdict_line(plan: GatePlan, also: GatePlan | None, out: str) -> str:
    """The step's verdict, last in the log: with a change request and hand-written IaC, the stricter of the two
    (the status, the check run and the ``verdict`` output say the same), then each plan's own."""
    counted = f"{len(plan.resources)} resources"
    if also is not None:
        counted = (
            f"change request: {plan.verdict.decision}, {len(plan.resources)} resources; "
            f"hand-written IaC: {also.verdict.decision}, {len(also.resources)} resources"
        )
    return f"devops-gate: {stricter(plan, also)} ({counted}); outputs in {out}"
