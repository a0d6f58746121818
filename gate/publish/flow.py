"""What ``devops-gate action`` does for each routed GitHub event, against the VCS port: the event is routed
(:mod:`gate.intake.route`) to one job, each in its own module:

- plan: :mod:`gate.publish.plan_job` (the PR's change request and hand-written IaC);
- command: :mod:`gate.publish.comment_commands` (``/gate ...`` comments, for writers only);
- apply: :mod:`gate.publish.merge_apply` (on merge, the merged PR's reviewed plan, through
  :func:`gate.deploy.spine.apply_reviewed`);
- release: the PR's plan lock (:mod:`gate.publish.locking`); drift: :mod:`gate.deploy.drift`.
"""

from __future__ import annotations

from gate.intake.route import route
from gate.publish import locking
from gate.publish.comment_commands import handle_comment
from gate.publish.job import ActionSettings, Job, job_config, job_target
from gate.publish.listing import listed_once
from gate.publish.merge_apply import apply_merged
from gate.publish.plan_job import dispatch_plan, plan_pr
from gate.publish.settle import TrackedStatuses

__all__ = ["ActionSettings", "Job", "run_job"]


def run_job(job: Job) -> int:
    """Run the job; a run that fails never leaves a status it set to ``pending`` behind (see settle.py), and the
    PR's comments are listed once for the whole run (see listing.py)."""
    given = job.client
    tracked = TrackedStatuses(given)
    job.client = listed_once(tracked.client)
    try:
        return _run_job(job)
    except Exception as exc:
        tracked.settle(exc, job.log)
        raise
    finally:
        job.client = given  # a later run of the same job lists the comments afresh


def _run_job(job: Job) -> int:
    decision = route(job.event_name, job.payload, job.settings.dispatch_mode, job.settings.plan_drafts)
    job.log(f"devops-gate: {job.event_name}: {decision.reason} -> {decision.job}")
    if decision.job == "plan":
        if decision.pr is None:
            return dispatch_plan(job)
        return plan_pr(job, decision.pr)
    if decision.job == "command":
        return handle_comment(job)
    if decision.job == "apply":
        return apply_merged(job, decision)
    if decision.job == "release" and decision.pr is not None:
        locking.release(job, decision.pr, "closed without merging")
        return 0
    if decision.job == "drift":
        from gate.deploy.drift import report_drift  # boto's drift calls: only for a drift run

        return report_drift(job_config(job.settings), job_target(job.settings, None), job.log)
    return 0
