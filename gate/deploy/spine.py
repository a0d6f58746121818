"""The merge side's one spine: ``apply_reviewed(plan, run) -> Outcome``.

The CLI (``devops-gate apply``), the GitHub flow (apply on merge) and the CodePipeline worker (``Mode: apply``)
all call this one function; none of them builds an argv to call a command. In order:

1. **anchor**: gate-plan.json must be byte for byte the reviewed file (``run.expect_sha256``), or the run says
   ``unanchored`` (local use only, loud, audited);
2. **approvals**: every :class:`Approver` the caller brings (a Jira ticket, a CodePipeline manual-approval
   action) that is required for the plan must confirm exactly this plan; a refusal is an ``apply-refused``
   record and exit 1, a confirmation an ``apply-approved`` record;
3. **reviewed IaC**: the backend (:mod:`gate.deploy.backend`, CloudFormation today) hands back the reviewed
   template after checking every hash and the verdict;
4. **deploy**: each environment's regions in order (:mod:`gate.deploy.environments`), through the backend;
   the first that does not succeed stops the rest; each outcome is announced (``run.announcer``: ticket, chat).

Bad input (a tampered plan, an unknown environment, a held lock ...) raises :class:`GateError` (exit 2) after an
``apply-refused`` record; everything else is in the returned :class:`Outcome`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, Protocol

from gate.audit import AuditLog, FileAuditLog, S3AuditLog
from gate.cloud.aws import AwsTarget
from gate.config import GateConfig
from gate.deploy.apply import SUCCESSFUL
from gate.deploy.backend import IacBackend, backend_for
from gate.deploy.environments import deployments
from gate.deploy.job import ApplyJob, Reviewed
from gate.deploy.verify import check_anchor, plan_file_sha256
from gate.errors import GateError
from gate.models import ApplyOutcome, GatePlan
from gate.plan_file import load_plan
from gate.redact import redact

UNANCHORED_WARNING = (
    "WARNING: --unanchored: gate-plan.json (sha256 {sha}) is applied WITHOUT checking it against a reviewed sha256. "
    "Its verdict, allowances and template are trusted as they are; this is recorded in the audit log. "
    "Never do this in CI."
)
ANCHOR_ENV = "GATE_PLAN_SHA256"


@dataclass(frozen=True)
class Approval:
    """One approver's answer for one plan: ``source`` (jira, codepipeline), who approved, and why (or why not)."""

    approved: bool
    reason: str
    source: str
    approver: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)

    def record(self) -> dict[str, Any]:
        return {"source": self.source, "approver": self.approver, "reason": self.reason, **self.facts}


class Approver(Protocol):
    """A port to whatever approves a change outside the gate (a change ticket, a pipeline approval stage)."""

    def required_for(self, plan: GatePlan) -> bool:
        """Whether this approver must confirm ``plan`` before it is applied."""
        ...

    def confirm(self, plan: GatePlan, environment: str) -> Approval:
        """The approval of exactly ``plan``; GateError when the approver cannot be asked (fail closed)."""
        ...


class Announcer(Protocol):
    """Tells the outside world (ticket, chat) what an apply did; its problems never change the outcome."""

    def outcome(self, plan: GatePlan, environment: str, outcome: ApplyOutcome) -> None:
        """Tell of ``outcome``; say what was told (and warn of any delivery problem) in the run's log."""
        ...


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _stdout(line: str) -> None:
    print(line, flush=True)


@dataclass(frozen=True)
class RunSettings:
    """How to apply: the settings, the anchor, where (``env``, ``endpoint_url``), who, and the ports."""

    config: GateConfig
    actor: str
    expect_sha256: str | None = None  # the reviewed gate-plan.json's sha256 (or a prefix of 12+ hex digits)
    unanchored: bool = False  # local use only: no anchor (loud, audited)
    env: str | None = None  # an environment of .gate.yml; None: the plan's own stack and region
    endpoint_url: str | None = None  # an AWS endpoint (moto); default aws.endpoint_url
    target: AwsTarget | None = None  # the account itself, credentials included (the demo's moto); default: above
    template: str | None = None  # the template file to check (default: the reviewed file next to the plan)
    commit: str | None = None  # the merged commit
    approvers: tuple[Approver, ...] = ()
    announcer: Announcer | None = None
    reapply_rolled_back: bool = False  # apply a plan this stack already rolled back (audited)
    say: Callable[[str], None] = _stdout
    warn: Callable[[str], None] = _stderr


Status = Literal["applied", "refused", "failed"]


@dataclass(frozen=True)
class Outcome:
    """What ``apply_reviewed`` did: ``applied`` (every deployment succeeded, or had nothing to do), ``refused``
    (an approval is missing, or a deployment was refused: stale, rolled back before, guard, alarm) or
    ``failed``; ``reason`` says what failed and why (the stack's events or status reason)."""

    status: Status
    plan_file_sha256: str | None = None
    outcomes: tuple[ApplyOutcome, ...] = ()
    reason: str | None = None
    approvals: tuple[Approval, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "applied"

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def summary(self) -> str:
        """One line for a status, a check run title or a pipeline result."""
        if self.ok:
            done = ", ".join(f"{o.outcome} {o.stack_name} in {o.region}" for o in self.outcomes) or "nothing to do"
            return f"applied the reviewed plan: {done}"
        return f"{'not applied' if self.status == 'refused' else 'apply failed'}: {self.reason or 'no reason given'}"


def base_target(config: GateConfig, endpoint_url: str | None) -> AwsTarget:
    endpoint = endpoint_url or config.aws.endpoint_url
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise GateError(f"endpoint {endpoint!r} is not a URL", fix="pass --endpoint-url http://host:port")
    return AwsTarget(region=config.aws.region, endpoint_url=endpoint)


def audit_log(config: GateConfig, target: AwsTarget) -> AuditLog:
    if config.deploy.audit_bucket:
        return S3AuditLog(target.client("s3"), config.deploy.audit_bucket, config.deploy.audit_prefix)
    return FileAuditLog(config.deploy.audit_path)


def describe(outcome: ApplyOutcome) -> list[str]:
    run = outcome.run_id[:8]
    lines = [f"devops-gate: {outcome.outcome.upper()} {outcome.stack_name} in {outcome.region} (run {run})"]
    if outcome.alarm:
        why = outcome.alarm.reason or "no reason given"
        lines.append(f"  alarm {outcome.alarm.name} fired at {outcome.alarm.at}: {why}")
    if outcome.rollback:
        lines.append(f"  rollback: {outcome.rollback}")
    if outcome.detail:
        lines.append(f"  {outcome.detail}")
    return lines


@dataclass(frozen=True)
class _Verified:
    plan: GatePlan
    reviewed: Reviewed
    plan_sha: str
    backend: IacBackend
    approvals: tuple[Approval, ...]


class _Refused(Exception):
    def __init__(self, approval: Approval) -> None:
        super().__init__(approval.reason)
        self.approval = approval


def _anchor(path: str, run: RunSettings, log: AuditLog) -> str:
    if run.expect_sha256:
        return check_anchor(path, run.expect_sha256)
    if run.unanchored:
        plan_sha = plan_file_sha256(path)
        log.append("apply-unanchored", plan=path, actor=run.actor, plan_file_sha256=plan_sha)
        run.warn(UNANCHORED_WARNING.format(sha=plan_sha))
        return plan_sha
    raise GateError(
        "apply needs the reviewed plan's sha256: without it, whoever can edit gate-plan.json chooses its "
        "verdict and its template",
        source=path,
        fix=f"pass --expect-sha256 with the 'plan sha256' that 'devops-gate plan' printed on review (or set "
        f"${ANCHOR_ENV} in CI); for a local experiment only, --unanchored",
    )


def _approvals(plan: GatePlan, run: RunSettings, log: AuditLog, path: str) -> tuple[Approval, ...]:
    environment = run.env or "default"
    confirmed: list[Approval] = []
    for approver in run.approvers:
        if not approver.required_for(plan):
            continue
        approval = approver.confirm(plan, environment)
        if not approval.approved:
            raise _Refused(approval)
        run.say(f"approval: {approval.reason}")
        log.append(
            "apply-approved", plan=path, actor=run.actor, plan_sha256=plan.bundle_sha256, approval=approval.record()
        )
        confirmed.append(approval)
    return tuple(confirmed)


def _verify(path: str, run: RunSettings, log: AuditLog) -> _Verified:
    """The plan, its reviewed template and the plan file's sha256; a refusal is recorded in the audit log."""
    try:
        plan_sha = _anchor(path, run, log)
        plan = load_plan(path)
        backend = backend_for(plan, path)
        approvals = _approvals(plan, run, log, path)
        reviewed = backend.reviewed(plan, path, run.template, bool(approvals))
        return _Verified(plan, reviewed, plan_sha, backend, approvals)
    except _Refused as refused:
        reason = redact(f"not applied: {refused.approval.reason}")
        log.append("apply-refused", plan=path, actor=run.actor, reason=reason)
        raise
    except GateError as exc:
        log.append("apply-refused", plan=path, actor=run.actor, reason=redact(exc.render()))
        raise


def apply_reviewed(plan: str | Path, run: RunSettings) -> Outcome:
    """Apply the reviewed gate-plan.json at ``plan`` as ``run`` says (see the module's docstring)."""
    path = str(plan)
    config = run.config
    base = run.target or base_target(config, run.endpoint_url)
    log = audit_log(config, base)
    try:
        verified = _verify(path, run, log)
    except _Refused as refused:
        reason = f"{refused.approval.reason} (approve it, then apply again)"
        run.warn(f"devops-gate: REFUSED not applied: {redact(reason)}")
        return Outcome("refused", reason=reason, approvals=(refused.approval,))
    reviewed = verified.plan
    if run.env is None:
        base = replace(base, region=reviewed.region)
    # the logical name when an environment prefixes it (exactly once), else the stack the plan was made for
    logical = reviewed.base.logical_stack_name if reviewed.base and run.env else None
    stack_name = logical or reviewed.stack_name or config.stack_name
    targets = deployments(config, run.env, base, stack_name, f"devops-gate-{run.actor}")
    verdict = reviewed.verdict.decision
    run.say(f"devops-gate: applying plan {reviewed.bundle_sha256[:12]} (verdict {verdict}) as {run.actor}")
    approval = {"approvals": [a.record() for a in verified.approvals]} if verified.approvals else None
    done: list[ApplyOutcome] = []
    for number, deployment in enumerate(targets, 1):
        job = ApplyJob(
            plan=reviewed,
            reviewed=verified.reviewed,
            deployment=deployment.fresh(),
            deploy=config.deploy,
            audit=log,
            actor=run.actor,
            commit=run.commit or reviewed.context.head_sha,
            say=run.say,
            plan_file_sha256=verified.plan_sha,
            anchored=bool(run.expect_sha256),
            approval=approval,
            reapply_rolled_back=run.reapply_rolled_back,
            plan_path=path,
            terraform=config.terraform,
        )
        outcome = verified.backend.apply(job)
        done.append(outcome)
        for line in describe(outcome):
            run.say(line)
        if run.announcer is not None:
            run.announcer.outcome(reviewed, run.env or "default", outcome)
        if outcome.outcome not in SUCCESSFUL:
            skipped = [d.target.region for d in targets[number:]]
            if skipped:
                run.say(f"stopped: not deploying to {', '.join(skipped)} after {outcome.outcome} in {outcome.region}")
            status: Status = "refused" if outcome.outcome in ("refused", "stale") else "failed"
            where = f"{outcome.outcome} {outcome.stack_name} in {outcome.region}"
            reason = f"{where}: {outcome.detail}" if outcome.detail else where
            return Outcome(status, verified.plan_sha, tuple(done), reason, verified.approvals)
    return Outcome("applied", verified.plan_sha, tuple(done), None, verified.approvals)
