"""The GitHub side of plan-time locks (gate/deploy/plan_lock.py): a PR's plan takes the lock of its stack and
environment, merge or close frees it, ``/gate unlock`` (writers) frees it whoever holds it."""

from __future__ import annotations

from gate.cloud.aws import AwsTarget
from gate.config import GateConfig
from gate.deploy import stacks
from gate.deploy.plan_lock import PlanLock
from gate.errors import GateError
from gate.publish.job import Job, job_config, job_target
from gate.report import markdown


def _lock(job: Job, config: GateConfig, target: AwsTarget) -> PlanLock:
    return PlanLock(target, config.deploy, stacks.deployed_name(config, None), job.settings.environment)


def hold(job: Job, config: GateConfig, target: AwsTarget | None, pr: int, actor: str) -> None:
    """Take the plan lock for ``pr``; GateError naming the holder when another PR holds it."""
    if target is None or not config.deploy.plan_lock:
        return
    lock = _lock(job, config, target)
    other = lock.take(pr, actor)
    if other is not None:
        raise GateError(
            f"stack {lock.stack} ({lock.environment}) is locked by {other.describe()}: its plan is under review on "
            "the same stack",
            fix=f"merge or close #{other.pr} first (its lock is freed then), or a writer comments '/gate unlock' "
            "to free it",
        )
    job.log(f"devops-gate: plan lock on {lock.stack} ({lock.environment}) held by #{pr}")


def release(job: Job, pr: int, why: str) -> None:
    """Free ``pr``'s plan lock (merged or closed); a failure to free it is reported, never fatal."""
    config = job_config(job.settings)
    target = job_target(job.settings, config)
    if target is None or not config.deploy.plan_lock:
        return
    try:
        freed = _lock(job, config, target).release(pr)
    except GateError as exc:
        job.log(f"devops-gate: warning: could not free the plan lock of #{pr}: {exc.render()}")
        return
    if freed is not None:
        job.log(f"devops-gate: plan lock of #{pr} freed ({why})")


def unlock(job: Job, pr: int, author: str) -> int:
    """'/gate unlock': free the stack's plan lock whoever holds it, and say whose it was."""
    config = job_config(job.settings)
    target = job_target(job.settings, config)
    if target is None or not config.deploy.plan_lock:
        job.client.create_comment(pr, "devops-gate: plan locks are off here (deploy.plan_lock, or no AWS target).\n")
        return 0
    lock = _lock(job, config, target)
    freed = lock.release()
    held = f"it was held by {freed.describe()}" if freed else "nobody held it"
    job.client.create_comment(
        pr,
        f"devops-gate: {markdown.code(author)} unlocked stack {markdown.code(lock.stack)}; {markdown.escape(held)}.\n",
    )
    return 0
