"""``devops-gate apply --plan gate-plan.json [--env NAME]``: deploy exactly the reviewed plan, watch, roll back.

Exit codes: 0 applied (or nothing to change), 1 refused by the guard, failed or rolled back, 2 bad input
(tampered plan, verdict not passed, unknown environment, held lock ...).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from gate.audit import AuditLog, FileAuditLog, S3AuditLog
from gate.cloud.aws import AwsTarget
from gate.commands import terraform_cli
from gate.commands.common import settings
from gate.config import GateConfig, TrackerState
from gate.deploy.apply import SUCCESSFUL, ApplyJob, apply_one
from gate.deploy.environments import deployments
from gate.deploy.verify import check_anchor, load_plan, plan_file_sha256, reviewed_template
from gate.errors import GateError
from gate.models import ApplyOutcome, GatePlan
from gate.publish.announce import announce
from gate.publish.tickets import approval_required, check_approval
from gate.redact import redact

ANCHOR_ENV = "GATE_PLAN_SHA256"
HELP = "apply a reviewed gate-plan.json: verify hashes, lock, execute, bake on alarms, roll back"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--plan", required=True, help="the reviewed gate-plan.json")
    parser.add_argument("--env", help="environment from .gate.yml 'environments:' (role, regions, stack prefix)")
    parser.add_argument("--template", help="the template file to deploy (default: the reviewed file next to the plan)")
    anchor = parser.add_mutually_exclusive_group()
    anchor.add_argument(
        "--expect-sha256",
        default=os.environ.get(ANCHOR_ENV) or None,
        help="the sha256 of the reviewed gate-plan.json (or its first 12+ hex digits), as 'devops-gate plan' printed "
        f"it (default: ${ANCHOR_ENV}, an anchor the CI system passes between its jobs); required",
    )
    anchor.add_argument(
        "--unanchored",
        action="store_true",
        help="local use only: apply without checking the plan file against a reviewed sha256 (anyone who can edit "
        "the file then chooses its verdict and template); loud, and recorded in the audit log",
    )
    parser.add_argument("--endpoint-url", help="AWS endpoint (e.g. a moto server); default aws.endpoint_url")
    parser.add_argument("--actor", default=os.environ.get("GITHUB_ACTOR") or _user(), help="who applies")
    parser.add_argument("--commit", default=os.environ.get("GITHUB_SHA"), help="the merged commit")
    parser.add_argument("--config", help="settings file (default: .gate.yml when present)")


UNANCHORED_WARNING = (
    "WARNING: --unanchored: gate-plan.json (sha256 {sha}) is applied WITHOUT checking it against a reviewed sha256. "
    "Its verdict, allowances and template are trusted as they are; this is recorded in the audit log. "
    "Never do this in CI."
)


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def base_target(config: GateConfig, endpoint_url: str | None) -> AwsTarget:
    endpoint = endpoint_url or config.aws.endpoint_url
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise GateError(f"endpoint {endpoint!r} is not a URL", fix="pass --endpoint-url http://host:port")
    return AwsTarget(region=config.aws.region, endpoint_url=endpoint)


def audit_log(config: GateConfig, target: AwsTarget) -> AuditLog:
    if config.deploy.audit_bucket:
        return S3AuditLog(target.client("s3"), config.deploy.audit_bucket, config.deploy.audit_prefix)
    return FileAuditLog(config.deploy.audit_path)


def say(line: str) -> None:
    print(line, flush=True)


def print_outcome(outcome: ApplyOutcome) -> None:
    print(f"devops-gate: {outcome.outcome.upper()} {outcome.stack_name} in {outcome.region} (run {outcome.run_id[:8]})")
    if outcome.alarm:
        print(f"  alarm {outcome.alarm.name} fired at {outcome.alarm.at}: {outcome.alarm.reason or 'no reason given'}")
    if outcome.rollback:
        print(f"  rollback: {outcome.rollback}")
    if outcome.detail:
        print(f"  {outcome.detail}")
    sys.stdout.flush()


class ApprovalMissing(GateError):
    """Apply needs a confirmed approval of exactly this plan, and there is none (exit 1, not bad input)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"not applied: {reason}", fix="approve the change ticket for this plan, then apply again")


def _verified(args: argparse.Namespace, config: GateConfig, log: AuditLog) -> tuple[GatePlan, str, str]:
    """The plan, its reviewed template and the plan file's sha256; a refusal is recorded in the audit log."""
    try:
        if args.expect_sha256:
            plan_sha = check_anchor(args.plan, args.expect_sha256)
        elif args.unanchored:
            plan_sha = plan_file_sha256(args.plan)
            log.append("apply-unanchored", plan=args.plan, actor=args.actor, plan_file_sha256=plan_sha)
            print(UNANCHORED_WARNING.format(sha=plan_sha), file=sys.stderr, flush=True)
        else:
            raise GateError(
                "apply needs the reviewed plan's sha256: without it, whoever can edit gate-plan.json chooses its "
                "verdict and its template",
                source=args.plan,
                fix=f"pass --expect-sha256 with the 'plan sha256' that 'devops-gate plan' printed on review (or set "
                f"${ANCHOR_ENV} in CI); for a local experiment only, --unanchored",
            )
        plan = load_plan(args.plan)
        approved = False
        if approval_required(config):
            check = check_approval(plan, config, args.env or "default")
            if not check.approved:
                raise ApprovalMissing(check.reason)
            say(f"approval: {check.reason}")
            approved = True
        return plan, reviewed_template(plan, args.plan, args.template, approved=approved), plan_sha
    except GateError as exc:
        log.append("apply-refused", plan=args.plan, actor=args.actor, reason=redact(exc.render()))
        raise


_TRACKED: dict[str, TrackerState] = {"applied": "deployed", "no-changes": "deployed", "rolled-back": "rolled-back"}


def _announce(plan: GatePlan, config: GateConfig, env: str | None, outcome: ApplyOutcome) -> None:
    """The change ticket and chat hear of the outcome (when configured); a delivery problem never changes it."""
    state = _TRACKED.get(outcome.outcome)
    if state is None:
        if config.jira is not None:
            say(f"ticket: not moved ({outcome.outcome} has no ticket state); see the audit log")
        return
    told = announce(plan, config, env or "default", state, detail=outcome.detail)
    for line in told.lines:
        say(line)
    for warning in told.warnings:
        print(f"warning: {redact(warning)}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    config = settings(args)
    base = base_target(config, args.endpoint_url)
    log = audit_log(config, base)
    # --- issue 15: a plan of a Terraform root applies its planfile (gate/deploy/terraform_apply.py); the lead
    # plugs this into apply_reviewed() as its Terraform backend at merge ---
    tf_code = terraform_cli.apply_if_terraform(args, config, log, say)
    if tf_code is not None:
        return tf_code
    # --- end issue 15 ---
    try:
        plan, template, plan_sha = _verified(args, config, log)
    except ApprovalMissing as exc:
        print(f"devops-gate: REFUSED {redact(exc.render())}", file=sys.stderr)
        return 1
    if args.env is None:
        base = AwsTarget(region=plan.region, endpoint_url=base.endpoint_url)
    # the logical name when an environment prefixes it (exactly once), else the stack the plan was made for
    stack_name = plan.base.logical_stack_name if plan.base and args.env else (plan.stack_name or config.stack_name)
    targets = deployments(config, args.env, base, stack_name, f"devops-gate-{args.actor}")
    say(f"devops-gate: applying plan {plan.bundle_sha256[:12]} (verdict {plan.verdict.decision}) as {args.actor}")
    for number, deployment in enumerate(targets, 1):
        job = ApplyJob(
            plan=plan,
            template=template,
            deployment=deployment.fresh(),
            deploy=config.deploy,
            audit=log,
            actor=args.actor,
            commit=args.commit or plan.context.head_sha,
            say=say,
            plan_file_sha256=plan_sha,
            anchored=bool(args.expect_sha256),
        )
        outcome = apply_one(job)
        print_outcome(outcome)
        _announce(plan, config, args.env, outcome)
        if outcome.outcome not in SUCCESSFUL:
            skipped = [d.target.region for d in targets[number:]]
            if skipped:
                say(f"stopped: not deploying to {', '.join(skipped)} after {outcome.outcome} in {outcome.region}")
            return 1
    return 0
