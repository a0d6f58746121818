"""A ``/gate plan <text>`` comment that changes nothing keeps the reviewed plan as it is.

The comment's text is decided against the reviewed plan by the function ``devops-gate plan --previous`` uses
(:func:`gate.refine_plan.refine_spec`): the gate-plan.json whose sha256 the gate's sticky comment records for the
PR's head (from the PR's artifact, verified as ``--previous`` is), refined by the text. When that asks for what
the plan already holds, nothing is planned: the sticky comment and its plan record, the status and the check run
stay as they were, the reviewed outputs are copied to the output folder (so the artifact the workflow uploads
again holds the same gate-plan.json, byte for byte), and the comment gets the answer "no change".

A refinement that changes something, or one with no reviewed plan to decide against (none yet, a new head
commit, an edited request, other data-loss allowances), is planned as the PR always is: the body's request and
every refinement, in order, over the stack as deployed now (gate/publish/plan_job.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from gate.config import GateConfig
from gate.errors import GateError
from gate.models import ChangeContext, ChangeRequest, GatePlan
from gate.pipeline import Run
from gate.plan_file import load_previous
from gate.publish.artifact import recorded_plan
from gate.publish.job import Job
from gate.redact import redact
from gate.refine_plan import NoChange, refine_spec
from gate.report import markdown
from gate.report.comment import marker
from gate.vcs import PullInfo


def unchanged(
    job: Job, pull: PullInfo, request: ChangeRequest, context: ChangeContext, config: GateConfig, folder: Path
) -> tuple[Path, NoChange] | None:
    """The reviewed gate-plan.json (downloaded under ``folder``) and the answer, when the last refinement of
    ``request`` changes nothing in it; None when the PR is to be planned (the log says why)."""
    text = request.refinements[-1]
    settings = dataclasses.replace(job.settings, plan_file=None)  # 'plan:' names a file for the merge, not this
    try:
        path = recorded_plan(job.client, pull, settings, marker(settings.environment), job.log, folder, config.limits)
        previous = load_previous(path)
        why = _not_current(previous, pull, request, context)
        answer = None if why else refine_spec(previous, text, Run(config=config, context=context))
    except GateError as exc:
        why = exc.message
    if why is not None:
        job.log(f"devops-gate: the refinement is planned with the whole request: {why}")
        return None
    if not isinstance(answer, NoChange):
        job.log("devops-gate: the refinement changes the reviewed plan: planning the whole request again")
        return None
    return path, answer


def _not_current(previous: GatePlan, pull: PullInfo, request: ChangeRequest, context: ChangeContext) -> str | None:
    """Why ``previous`` is not the plan the refinement refines (None: it is)."""
    was, ctx = previous.request, previous.context
    if ctx.pr_number != pull.number or ctx.head_sha != pull.head_sha:
        return f"the reviewed plan is for #{ctx.pr_number} at {str(ctx.head_sha)[:12]}"
    if was is None or was.text != request.text:
        return "the change request was edited since the reviewed plan"
    before = request.refinements[:-1]  # refinements answered 'no change' since are in 'before', not in the plan
    if tuple(before[: len(was.refinements)]) != tuple(was.refinements):
        return "the refinements differ from the reviewed plan's"
    if tuple(ctx.allow_data_loss) != tuple(context.allow_data_loss):
        return "the data-loss allowances changed since the reviewed plan"
    return None


def reply(answer: NoChange, plan_path: Path, decision: str) -> str:
    """The answer on the PR: what was asked, and that the reviewed plan, its record and its verdict stay."""
    sha = hashlib.sha256(plan_path.read_bytes()).hexdigest()
    return (
        f"devops-gate: no change: {markdown.code(redact(answer.note.value))}: the reviewed plan already holds what "
        f"this asks for.\n\nThe reviewed plan is kept as it was ({markdown.code('gate-plan.json')} sha256 "
        f"{markdown.code(sha[:12])}, {decision.replace('-', ' ').upper()}): its comment, status and check run are "
        "unchanged, and merge applies that plan.\n"
    )
