"""What ``devops-gate action`` does for each routed GitHub event, against the VCS port.

- plan: plan the PR's change request (or a ``/gate plan`` refinement) and gate the hand-written IaC the PR
  changes (read through the API at the head commit, never checked out); write the outputs, publish the sticky
  comment (with a hidden record of the reviewed plan's sha256) and the ``devops-gate/plan (ENV)`` status. A PR with
  both gets both plans in one comment and the stricter verdict; the request's plan is the one applied on merge.
  A PR with neither gets a success status, 'nothing to gate'.
- command: ``/gate ...`` comments, acted on only for people with write access.
- apply: on merge, apply the merged PR's reviewed plan (``merge_apply.py``).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gate.checks.checkov_check import severity_map
from gate.checks.policy_rules import PolicyRule, load_rules
from gate.cloud.aws import AwsTarget
from gate.config import GateConfig, load_config
from gate.errors import GateError
from gate.intake import actions
from gate.intake.github_event import CommentCommand, change_section, help_text, parse_command
from gate.intake.pr_iac import DEFAULT_IAC_PATHS, PullIaC, read_pull_iac
from gate.models import ChangeContext, ChangeRequest, GatePlan, Severity
from gate.paths import builtin_policy_dir
from gate.pipeline import PLAN_FILE, Run, gate_bundle, plan_request, write_outputs
from gate.publish import locking
from gate.publish.announce import announce
from gate.publish.checks import (
    CheckRunReport,
    PublishAs,
    error_check,
    log_findings,
    nothing_check,
    plan_check,
    verdict_out,
)
from gate.publish.comment import (
    DEFAULT_BOT_LOGIN,
    CommentMode,
    plan_record,
    publish,
    sticky_comments,
)
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
from gate.publish.merge_apply import apply_merged
from gate.publish.route import route
from gate.publish.settle import TrackedStatuses
from gate.publish.vcs import WRITE_PERMISSIONS, PullInfo, StatusState, VcsClient
from gate.report import markdown
from gate.report.comment import marker, render_comment

ALLOW_DATA_LOSS_LABEL = "gate:allow-data-loss"
_STATES: dict[str, StatusState] = {"pass": "success", "needs-approval": "pending", "blocked": "failure"}


@dataclass(frozen=True)
class ActionSettings:
    config_path: str | None = None
    out: str = "gate-out"
    fail_on: str | None = None
    comment_mode: CommentMode = "update"
    environment: str = "default"
    bot_login: str = DEFAULT_BOT_LOGIN
    plan_artifact: str = "gate-plan-pr-{pr}"
    plan_file: str | None = None
    request: str | None = None
    aws_region: str | None = None
    llm_model: str | None = None
    endpoint_url: str | None = None
    dispatch_mode: str = ""
    run_url: str | None = None
    iac_paths: tuple[str, ...] = DEFAULT_IAC_PATHS
    publish_as: PublishAs = "both"


@dataclass
class Job:
    client: VcsClient
    settings: ActionSettings
    event_name: str
    payload: dict[str, Any]
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    log: Callable[[str], None] = print


def run_job(job: Job) -> int:
    """Run the job; a run that fails never leaves a status it set to ``pending`` behind (see settle.py)."""
    tracked = TrackedStatuses(job.client)
    job.client = tracked.client
    try:
        return _run_job(job)
    except Exception as exc:
        tracked.settle(exc, job.log)
        raise


def _run_job(job: Job) -> int:
    decision = route(job.event_name, job.payload, job.settings.dispatch_mode)
    job.log(f"devops-gate: {job.event_name}: {decision.reason} -> {decision.job}")
    if decision.job == "plan":
        if decision.pr is None:
            return _dispatch_plan(job)
        return plan_pr(job, decision.pr)
    if decision.job == "command":
        return handle_comment(job)
    if decision.job == "apply":
        return apply_merged(job, decision)
    if decision.job == "release" and decision.pr is not None:
        locking.release(job, decision.pr, "closed without merging")
        return 0
    if decision.job == "drift":
        from gate.publish.drift import report_drift

        return report_drift(_config(job.settings), _target(job.settings, None), job.log)
    return 0


# configuration ------------------------------------------------------------------------------------------
def _config(settings: ActionSettings) -> GateConfig:
    config, _ = load_config(settings.config_path)
    if settings.fail_on:
        config = config.model_copy(
            update={"thresholds": config.thresholds.model_copy(update={"fail_on": Severity.parse(settings.fail_on)})}
        )
    if settings.llm_model:
        try:
            llm = type(config.llm).model_validate({**config.llm.model_dump(), "model": settings.llm_model})
        except ValidationError as exc:
            raise GateError("input 'llm-model' is not a litellm model string", fix="e.g. openai/gpt-4o") from exc
        config = config.model_copy(update={"llm": llm})
    if settings.aws_region:
        config = config.model_copy(update={"aws": config.aws.model_copy(update={"region": settings.aws_region})})
    return config


def _target(settings: ActionSettings, config: GateConfig | None) -> AwsTarget | None:
    """The AWS account to preview against: an endpoint (moto, LocalStack), or real AWS when credentials are set
    (aws-actions/configure-aws-credentials exports them); ``None`` plans offline (no change-set preview)."""
    config = config or _config(settings)
    endpoint = settings.endpoint_url or config.aws.endpoint_url
    if endpoint or os.environ.get("AWS_ACCESS_KEY_ID"):
        return AwsTarget(region=config.aws.region, endpoint_url=endpoint)
    return None


# plan ---------------------------------------------------------------------------------------------------
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
    if settings.publish_as != "checks":
        client.set_status(
            pull.head_sha,
            plan_context(settings.environment),
            "pending",
            "devops-gate is planning this change",
            settings.run_url,
        )
    sticky_marker = marker(settings.environment)
    try:
        config = _config(settings)
        context = _context(job, pull, data_loss_allows(job, pr), data_loss_label_allows(job, pull))
        request = _request(job, pull, refinement)
        iac = read_pull_iac(client, pull, settings.iac_paths, job.log)
        # A fork PR is planned offline: no AWS call is made for text that came from outside the repository.
        target = None if pull.is_fork else _target(settings, config)
        if request is not None:
            locking.hold(job, config, target, pull.number, context.actor or "unknown")
        plan = plan_request(request, Run(config=config, context=context, target=target)) if request else None
        # hand-written IaC is gated as 'devops-gate check' gates it: no change-set preview (which stack a file
        # belongs to is not the gate's to guess), cost against the same paths at the PR's base commit
        hand = gate_bundle(iac.bundle, Run(config=config, context=context, cost_base=iac.base)) if iac.bundle else None
    except GateError as exc:
        body = f"{sticky_marker}\n## ⛔ devops-gate: cannot plan this pull request\n\n{markdown.escape(exc.render())}\n"
        publish(client, pr, body, sticky_marker, settings.comment_mode, settings.bot_login)
        publish_verdict(
            job, pull.head_sha, "failure", exc.message, error_check("plan", settings.environment, exc.message)
        )
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
    for name, value in (("verdict", "nothing-to-gate"), ("plan-path", ""), ("cost-delta", ""), ("comment-url", url)):
        actions.set_output(name, value or "", job.env)
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


def _dispatch_plan(job: Job) -> int:
    """workflow_dispatch without a PR: plan the 'request' input; outputs and summary only."""
    text = ((job.payload.get("inputs") or {}).get("request") or job.settings.request or "").strip()
    if not text:
        raise GateError("workflow_dispatch plan needs a change request", fix="set the 'request' input, or 'pr'")
    config = _config(job.settings)
    context = ChangeContext(source="github", event_name=job.event_name, repository=job.client.repository)
    plan = plan_request(ChangeRequest(text=text, origin="cli"), Run(config, context, _target(job.settings, config)))
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


def _report(
    job: Job, plan: GatePlan, plan_path: Path, full_comment: str, comment_url: str | None, also: GatePlan | None = None
) -> None:
    """Outputs, job summary, annotations and announcements. ``also``: the hand-written plan of a PR that has a
    change request too; it counts toward the verdict output and is annotated, but only ``plan`` is announced."""
    cost = getattr(plan, "cost", None)
    delta = getattr(cost, "monthly_delta", None)
    actions.set_output("verdict", stricter(plan, also), job.env)
    actions.set_output("plan-path", str(plan_path), job.env)
    actions.set_output("cost-delta", f"{delta:.2f}" if isinstance(delta, int | float) else "", job.env)
    actions.set_output("comment-url", comment_url or "", job.env)
    actions.append_summary(full_comment, job.env)
    for line in log_findings(plan, also, job.settings.publish_as, job.settings.environment):
        job.log(line)
    decision = stricter(plan, also)
    job.log(f"devops-gate: {decision} ({len(plan.resources)} resources); outputs in {job.settings.out}")
    # the change ticket and chat (when configured); a delivery problem goes to the outbox, never into the verdict
    links: tuple[Link, ...] = (Link(title="pull request", url=plan.context.pr_url),) if plan.context.pr_url else ()
    links += (Link(title="gate comment", url=comment_url),) if comment_url else ()
    told = announce(plan, _config(job.settings), job.settings.environment, links=links)
    for line in (*told.lines, *(f"warning: {w}" for w in told.warnings)):
        job.log(line)


# commands -----------------------------------------------------------------------------------------------
def handle_comment(job: Job) -> int:
    issue, comment = job.payload.get("issue") or {}, job.payload.get("comment") or {}
    pr, author = int(issue["number"]), str((comment.get("user") or {}).get("login") or "")
    parsed = parse_command(comment.get("body"))
    if parsed.result == "ignore":
        job.log("devops-gate: not a /gate command; nothing to do")
        return 0
    if parsed.result == "reply":
        job.client.create_comment(pr, parsed.reply or help_text())
        return 0
    if job.client.permission(author) not in WRITE_PERMISSIONS:
        job.client.create_comment(pr, refusal(author, parsed))
        job.log(f"devops-gate: {author} has no write access; the command was refused")
        return 0
    try:
        job.client.react(int(comment["id"]), "eyes")  # an acknowledgement only: its failure stops nothing
    except GateError as exc:
        job.log(f"devops-gate: could not react to the comment: {exc.message}")
    if parsed.name == "plan":
        return plan_pr(job, pr, parsed.argument or None)
    if parsed.name == "unlock":
        return locking.unlock(job, pr, author)
    if parsed.name == "allow-data-loss":
        job.client.create_comment(
            pr,
            f"devops-gate: data loss on {markdown.code(parsed.argument)} is allowed by "
            f"{markdown.code(author)}; planning again.",
        )
        return plan_pr(job, pr)
    job.client.create_comment(pr, explain(parsed.argument, _config(job.settings)))
    return 0


def refusal(author: str, parsed: CommentCommand) -> str:
    return (
        f"Sorry {markdown.code(author)}, devops-gate runs {markdown.code('/gate ' + (parsed.name or ''))} only for "
        "people with write access to this repository. A maintainer can run it for you.\n"
    )


def explain(finding_id: str, config: GateConfig) -> str:
    rules: list[PolicyRule] = load_rules(builtin_policy_dir())
    for folder in config.policy_dirs:
        if Path(folder).is_dir():
            rules += load_rules(Path(folder))
    rule = next((r for r in rules if r.id.lower() == finding_id.lower()), None)
    if rule is not None:
        lines = [f"**{markdown.code(rule.id)}** ({rule.severity.name}): {markdown.escape(rule.title)}", ""]
        lines += [f"- applies to: {', '.join(markdown.code(t) for t in rule.resource_types)}"]
        if rule.remediation:
            lines.append(f"- how to fix: {markdown.escape(rule.remediation)}")
        if rule.compliance:
            lines.append(f"- compliance: {markdown.escape(', '.join(rule.compliance))}")
        if rule.docs:
            lines.append(f"- docs: <{rule.docs}>" if rule.docs.startswith("https://") else "")
        return "\n".join(line for line in lines if line is not None) + "\n"
    severity = severity_map().get(finding_id.upper())
    if finding_id.upper().startswith("CKV"):
        level = severity.name if severity else "MEDIUM (not rated by the gate)"
        return (
            f"**{markdown.code(finding_id.upper())}** is a checkov check, rated {level} by the gate "
            "(`policies/checkov-severity.yaml`). The finding's row in the gate's comment has its fix and a docs link.\n"
        )
    return f"devops-gate knows no finding {markdown.code(finding_id)}. {help_text()}"
