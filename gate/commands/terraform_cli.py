"""``apply`` of a plan made of a Terraform root (``check --tf-root``): the same anchor as for CloudFormation
(``--expect-sha256`` of gate-plan.json, or ``--unanchored``), then :mod:`gate.deploy.terraform_apply`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from gate.audit import AuditLog
from gate.config import GateConfig
from gate.deploy import terraform_apply
from gate.deploy.verify import check_anchor, load_plan, plan_file_sha256
from gate.errors import GateError
from gate.redact import redact


def apply_if_terraform(
    args: argparse.Namespace, config: GateConfig, log: AuditLog, say: Callable[[str], None]
) -> int | None:
    """The exit code of applying the plan's Terraform planfile; None when the plan is not a Terraform root's."""
    try:
        plan = load_plan(args.plan)
    except GateError:
        return None  # the CloudFormation path reports (and audits) an unreadable plan
    if plan.terraform is None:
        return None
    try:
        if args.expect_sha256:
            check_anchor(args.plan, args.expect_sha256)
        elif args.unanchored:
            log.append(
                "apply-unanchored", plan=args.plan, actor=args.actor, plan_file_sha256=plan_file_sha256(args.plan)
            )
        else:
            raise GateError(
                "apply needs the reviewed plan's sha256",
                source=args.plan,
                fix="pass --expect-sha256 with the 'plan sha256' printed on review (or --unanchored, locally)",
            )
    except GateError as exc:
        log.append("apply-refused", plan=args.plan, actor=args.actor, reason=redact(exc.render()))
        raise
    tf = terraform_apply.terraform_for(config.terraform)
    outcome = terraform_apply.apply_terraform(plan, args.plan, tf, log, args.actor, say)
    print(f"devops-gate: {outcome.outcome.upper()} {outcome.stack_name} (run {outcome.run_id[:8]})")
    if outcome.detail:
        print(f"  {redact(outcome.detail)}", file=sys.stderr if outcome.outcome != "applied" else sys.stdout)
    return 0 if outcome.outcome == "applied" else 1
