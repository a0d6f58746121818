"""On merge, a reviewed plan whose stack moved since review (another PR was applied first) is never applied
blind: the PR is re-planned against the stack as it is now, and the re-plan is applied only when it makes
exactly the changes that were reviewed and passes (``deploy.stale_plans``); otherwise apply is refused with
"stale plan: re-plan the PR" and the new plan is on the PR for review."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gate.deploy import base
from gate.errors import GateError
from gate.models import ResourceChange
from gate.plan_file import load_plan
from gate.publish.job import Job, job_config, job_target
from gate.publish.plan_job import plan_pr
from gate.report import markdown
from gate.vcs import PullInfo


def reason(job: Job, plan_path: Path) -> str | None:
    """Why the reviewed plan is stale on the stack as deployed now; None when it is still valid (or applied)."""
    plan = load_plan(plan_path)
    config = job_config(job.settings)
    target = job_target(job.settings, config)
    files = plan.iac.by_format("cloudformation")
    if target is None or plan.stack_name is None or len(files) != 1:
        return None  # apply itself refuses what it cannot check
    now = base.read(replace(target, region=plan.region), plan.stack_name)
    verdict, why = base.freshness(plan, files[0].content, now)
    return why if verdict in ("stale", "unknown") else None


def _delta(changes: tuple[ResourceChange, ...]) -> list[tuple[str, str, str]]:
    return sorted((c.action, c.logical_id, c.type) for c in changes)


def _listed(changes: tuple[ResourceChange, ...]) -> str:
    return ", ".join(f"{c.action} {markdown.code(c.logical_id)}" for c in changes) or "no change"


def replan(job: Job, pull: PullInfo, plan_path: Path, why: str) -> Path:
    """Re-plan the merged PR; the path of a re-plan that may be applied, else GateError ('stale plan')."""

    settings, client = job.settings, job.client
    reviewed = load_plan(plan_path)
    job.log(f"devops-gate: stale plan: {why}; re-planning #{pull.number} against the stack as deployed now")
    client.create_comment(
        pull.number,
        f"devops-gate: the reviewed plan is stale: {markdown.escape(why)}. Re-planning this pull request against "
        "the stack as it is now.\n",
    )
    plan_pr(job, pull.number)
    new_path = Path(settings.out) / plan_path.name
    fresh = load_plan(new_path)
    same = _delta(fresh.changes) == _delta(reviewed.changes)
    policy = job_config(settings).deploy.stale_plans
    if policy == "replan-and-apply-if-same" and same and fresh.verdict.decision == "pass":
        client.create_comment(
            pull.number,
            f"devops-gate: the re-plan makes exactly the reviewed change ({_listed(fresh.changes)}) and passes: "
            "applying it.\n",
        )
        return new_path
    differs = (
        f"the re-plan makes {_listed(fresh.changes)}, the reviewed plan {_listed(reviewed.changes)}"
        if not same
        else f"the re-plan's verdict is {fresh.verdict.decision}"
        if fresh.verdict.decision != "pass"
        else "deploy.stale_plans is 'refuse'"
    )
    raise GateError(
        f"stale plan: re-plan the PR ({why}; {differs})",
        fix="review the new plan in the gate's comment on the pull request; apply it with a new pull request "
        "(or 'devops-gate apply' on the new gate-plan.json with its sha256)",
    )
