"""Apply on merge, for ``devops-gate action``: find the merged PR's reviewed plan, verify it against the record
in the gate's own sticky comment, and apply it with :func:`gate.deploy.spine.apply_reviewed` (the same function
``devops-gate apply`` calls). Only for a merged PR (on a push: the PR whose merge commit is the pushed commit),
never for a fork PR. The outcome is the ``devops-gate/apply (ENV)`` status and/or the ``devops-gate apply (ENV)``
check run (``publish-as``), with what failed and why.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import NoReturn

from gate.config import load_config
from gate.deploy.spine import Outcome, RunSettings, apply_reviewed
from gate.errors import GateError
from gate.intake import actions
from gate.intake.route import Route
from gate.publish import artifact as reviewed
from gate.publish import locking, stale
from gate.publish.checks import CheckRunReport, apply_check, check_name, error_check, verdict_out
from gate.publish.contexts import apply_context
from gate.publish.job import Job
from gate.publish.merge_ports import ticket_ports
from gate.report import markdown
from gate.report.comment import marker
from gate.vcs import PullInfo, StatusState


def _publish(job: Job, sha: str, state: StatusState, text: str, check: CheckRunReport | None) -> None:
    """The apply's commit status and/or check run (``publish-as``); ``check`` None: a status only (pending)."""
    settings = job.settings
    context = apply_context(settings.environment)
    if check is None:
        if settings.publish_as != "checks":
            job.client.set_status(sha, context, state, text, settings.run_url)
        return
    verdict_out(
        job.client,
        settings.publish_as,
        settings.run_url,
        job.log,
        sha,
        context,
        state,
        text,
        check,
    )


def _failed(job: Job, sha: str, message: str) -> None:
    _publish(job, sha, "failure", message, error_check("apply", job.settings.environment, message))


def apply_merged(job: Job, decision: Route) -> int:
    settings, client = job.settings, job.client
    pull = _merged_pull(job, decision)
    if pull is None:
        job.log("devops-gate: no merged pull request for this commit; nothing to apply")
        return 0
    status_sha = decision.sha or pull.merge_commit_sha or pull.head_sha
    if pull.is_fork:
        message = "never applies a pull request from a fork; re-open it from a branch of this repository"
        _failed(job, status_sha, message)
        client.create_comment(pull.number, f"devops-gate: not applied: {message}.\n")
        job.log(f"devops-gate: refused: #{pull.number} comes from a fork")
        return 1
    _publish(job, status_sha, "pending", "applying the reviewed plan", None)
    try:
        config = load_config(settings.config_path)[0]
        with tempfile.TemporaryDirectory(prefix="devops-gate-reviewed-") as folder:  # the artifacts go with it
            sticky = marker(settings.environment)
            plan_path = reviewed.reviewed_plan(client, pull, settings, sticky, job.log, Path(folder), config.limits)
            if _hand_written(plan_path):
                return _not_deployed(job, pull, status_sha)
            stale_because = stale.reason(job, plan_path)  # another change was applied since review: re-plan first
            if stale_because is not None:
                plan_path = stale.replan(job, pull, plan_path, stale_because)
            # reviewed_plan matched the file to the sha256 recorded in the gate's own comment: apply checks it again
            anchor = hashlib.sha256(plan_path.read_bytes()).hexdigest()
            approvers, announcer = ticket_ports(config, job.log, job.log)
            run = RunSettings(
                config=config,
                actor=job.env.get("GITHUB_ACTOR") or pull.author or "github-actions",
                expect_sha256=anchor,
                endpoint_url=settings.endpoint_url,
                commit=job.env.get("GITHUB_SHA") or status_sha,
                approvers=approvers,
                announcer=announcer,
                say=job.log,
                warn=job.log,
            )
            outcome = apply_reviewed(plan_path, run)
    except GateError as exc:
        _failed(job, status_sha, exc.message)
        client.create_comment(pull.number, f"devops-gate: not applied: {markdown.escape(exc.render())}\n")
        locking.release(job, pull.number, "merged")
        raise
    locking.release(job, pull.number, "merged")
    _report(job, pull, status_sha, outcome)
    return outcome.exit_code


def _report(job: Job, pull: PullInfo, sha: str, outcome: Outcome) -> None:
    """The outcome on the commit (status and/or check run), on the PR (a comment) and in the outputs."""
    state: StatusState = "success" if outcome.ok else "failure"
    text = "applied the reviewed plan" if outcome.ok else outcome.summary()
    check = apply_check(job.settings.environment, outcome, outcome.plan_file_sha256)
    _publish(job, sha, state, text, check)
    where = (
        f" (check run '{check_name('apply', job.settings.environment)}')"
        if job.settings.publish_as != "statuses"
        else ""
    )
    job.client.create_comment(pull.number, f"devops-gate: {markdown.escape(text)}{where if not outcome.ok else ''}.\n")
    actions.set_output("verdict", "applied" if outcome.ok else f"apply-{outcome.status}", job.env)


def _hand_written(plan_path: Path) -> bool:
    """Whether the reviewed plan gated a PR's hand-written IaC (no change request): its files belong to stacks the
    gate does not know (``stack_name`` is the stack of the plans it synthesises), so merge never deploys them."""
    origin = (json.loads(plan_path.read_text(encoding="utf-8")).get("iac") or {}).get("origin")
    return bool(origin == "hand-written")


def _not_deployed(job: Job, pull: PullInfo, status_sha: str) -> int:
    text = "nothing to apply: the reviewed plan gated hand-written IaC, which its own pipeline deploys"
    check = CheckRunReport(check_name("apply", job.settings.environment), "success", text, text)
    _publish(job, status_sha, "success", text, check)
    job.client.create_comment(
        pull.number,
        f"devops-gate: {text}. To deploy it with the gate instead, run `devops-gate apply --plan` on the "
        "reviewed plan from this pull request's artifact.\n",
    )
    actions.set_output("verdict", "nothing-to-apply", job.env)
    job.log(f"devops-gate: #{pull.number}: {text}")
    return 0


def _merged_pull(job: Job, decision: Route) -> PullInfo | None:
    """The merged PR to apply, or ``None`` when nothing asks for an apply (a push that no PR merged).

    Apply runs only for a merged PR: a named PR (``pull_request`` closed, ``workflow_dispatch`` with ``pr``) must be
    merged; a push applies only the PR whose merge commit *is* the pushed commit, never an older PR that merely
    contains it (that would re-apply an old plan over newer changes). Anything else is refused with a failure
    ``devops-gate/apply (ENV)`` status and a :class:`GateError`.
    """
    if decision.pr is not None:
        pull = job.client.get_pull(decision.pr)
        if not pull.merged:
            _refuse(
                job,
                decision.sha or pull.head_sha,
                f"pull request #{pull.number} is not merged; devops-gate applies only merged pull requests",
                "merge the pull request after the gate passed; apply then runs on the merge",
            )
        return pull
    if decision.sha is None:
        if job.event_name == "workflow_dispatch":
            raise GateError("workflow_dispatch apply needs a pull request", fix="set the 'pr' input to its number")
        return None
    merged = [p for p in job.client.pulls_for_commit(decision.sha) if p.merged]
    exact = [p for p in merged if p.merge_commit_sha == decision.sha]
    if exact:
        return exact[0]
    if merged:
        numbers = ", ".join(f"#{p.number}" for p in merged)
        _refuse(
            job,
            decision.sha,
            f"commit {decision.sha[:12]} is not the merge commit of {numbers}; an older plan is never re-applied",
            "apply runs on the push that merges the pull request; to apply again, open a new pull request",
        )
    return None


def _refuse(job: Job, sha: str, message: str, fix: str) -> NoReturn:
    _failed(job, sha, message)
    job.log(f"devops-gate: refused: {message}")
    raise GateError(message, fix=fix)
