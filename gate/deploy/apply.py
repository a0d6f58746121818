"""The merge side for one stack in one region: lock -> report interrupted runs -> change set (the reviewed one,
or re-created from the reviewed template) -> data-loss guard -> execute -> wait -> bake -> roll back on ALARM.

Every step that touches the account is in the audit log first: ``apply-started`` (with the changes and the
saved previous template), ``apply-executed`` (the stack operation ended), ``rollback``, ``apply-finished``.
A run killed in between leaves ``apply-started`` without ``apply-finished``; the next run on that stack
reports it (and records ``apply-interrupted``) before doing anything.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from gate.audit import now, rolled_back_runs, unfinished_applies
from gate.cloud.aws import AWS_ERRORS, aws_error, aws_reason
from gate.deploy import base, changeset, guard, replacement, watch
from gate.deploy.bake import Bake, undo
from gate.deploy.changeset import ChangeSet
from gate.deploy.job import ApplyJob
from gate.deploy.lock import StackLock
from gate.deploy.rollback import roll_back
from gate.deploy.stackwait import EventPrinter, wait_for_stack
from gate.errors import GateError
from gate.models import AlarmFired, ApplyOutcome, ResourceChange
from gate.synth import cfn_yaml

SUCCESSFUL = ("applied", "no-changes", "already-applied")
ROLLED_BACK_FIX = (
    "fix what made the alarm fire and open a new pull request (a new plan); to apply this one again anyway, "
    "run 'devops-gate apply --reapply-rolled-back' (recorded in the audit log)"
)


def _changes_json(changes: list[ResourceChange]) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in changes]


class _Run:
    def __init__(self, job: ApplyJob) -> None:
        self.job = job
        self.run_id = uuid.uuid4().hex
        self.started_at = now()
        self.target = job.deployment.target
        self.stack = job.deployment.stack_name
        self.cfn = self.target.client("cloudformation")
        self.lock = StackLock(
            self.target,
            job.deploy.lock_table,
            self.stack,
            owner=f"{job.actor} (run {self.run_id[:8]})",
            ttl_seconds=job.deploy.lock_ttl_minutes * 60,
            create_table=job.deploy.create_lock_table,
        )
        self.notes: list[str] = []

    def facts(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "stack_name": self.stack,
            "region": self.target.region,
            "environment": self.job.deployment.environment,
        }

    def outcome(self, outcome: str, cs: ChangeSet | None = None, **extra: Any) -> ApplyOutcome:
        detail = "; ".join([*self.notes, *([extra.pop("detail")] if extra.get("detail") else [])]) or None
        extra.pop("detail", None)
        return ApplyOutcome(
            run_id=self.run_id,
            stack_name=self.stack,
            region=self.target.region,
            environment=self.job.deployment.environment,
            outcome=outcome,
            change_type=cs.change_type if cs else None,
            change_set_id=cs.id if cs else None,
            changes=tuple(cs.changes) if cs else (),
            started_at=self.started_at,
            finished_at=now(),
            detail=detail,
            **extra,
        )

    # -- steps ---------------------------------------------------------------------------------------------

    def report_interrupted(self) -> None:
        for rec in unfinished_applies(self.job.audit, self.stack, self.target.region):
            where = (
                "after the stack operation ended, during the bake (the change is live and was not fully watched)"
                if rec.get("executed")
                else "before the stack operation was seen to end"
            )
            status = changeset.stack_status(self.cfn, self.stack) or "no stack"
            message = (
                f"previous apply {str(rec.get('run_id'))[:8]} by {rec.get('actor')} started {rec.get('at')} "
                f"was interrupted {where}; it never recorded an outcome. Stack {self.stack} is now {status}"
            )
            self.job.say(f"WARNING: {message}")
            self.notes.append(message)
            self.job.audit.append(
                "apply-interrupted", interrupted_run_id=rec.get("run_id"), stack_status=status, **self.facts()
            )
            if status.endswith("_IN_PROGRESS"):
                raise GateError(
                    f"stack {self.stack} is still {status} after an interrupted apply",
                    fix="wait for the operation to end (CloudFormation console), then apply again",
                )

    def against_rollbacks(self) -> ApplyOutcome | None:
        """A plan this stack already applied and rolled back (its alarms rejected it) is not applied again
        unless asked explicitly (``--reapply-rolled-back``): after the rollback the stack is back on the plan's
        base, so nothing else would stop it."""
        job = self.job
        earlier = rolled_back_runs(job.audit, self.stack, self.target.region, job.plan.bundle_sha256)
        if not earlier:
            return None
        last = earlier[-1]
        alarm = (last.get("alarm") or {}).get("name") or "an alarm"
        when = f"run {str(last.get('run_id'))[:8]} at {last.get('finished_at')}"
        if job.reapply_rolled_back:
            job.say(f"WARNING: re-applying plan {job.plan.bundle_sha256[:12]}, rolled back by {when} ({alarm})")
            job.audit.append(
                "apply-reapply-rolled-back", **self.facts(), actor=job.actor, rolled_back_run_id=last.get("run_id")
            )
            return None
        reason = (
            f"plan {job.plan.bundle_sha256[:12]} was applied to {self.stack} and rolled back ({when}: {alarm} "
            "fired); it is not applied again"
        )
        self.job.say(f"REFUSED: {reason}. Fix: {ROLLED_BACK_FIX}")
        job.audit.append(
            "apply-refused",
            **self.facts(),
            actor=job.actor,
            reason=reason,
            rolled_back_run_id=last.get("run_id"),
        )
        return self.outcome("refused", detail=reason)

    def against_base(self) -> ApplyOutcome | None:
        """Applied at most once, and only on the base it was planned on (gate.deploy.base)."""
        now = base.read(self.target, self.stack)
        verdict, why = base.freshness(self.job.plan, self.job.template, now)
        if verdict == "applied":
            self.job.say(f"already applied: {why}; nothing to do")
            return self.finish(self.outcome("already-applied", detail=f"already applied: {why}"))
        if verdict in ("stale", "unknown"):
            reason = f"stale plan: re-plan the PR ({why})"
            self.job.say(f"REFUSED: {reason}. Fix: {base.STALE_FIX}")
            self.job.audit.append("apply-refused", **self.facts(), actor=self.job.actor, reason=reason, stale=True)
            return self.outcome("stale", detail=reason)
        return None

    def change_set(self, previous: str | None, triggers: list[str]) -> ChangeSet:
        plan = self.job.plan
        reusable = plan.change_set_id and self.stack == plan.stack_name and self.target.region == plan.region
        why = f"was planned for {plan.stack_name} in {plan.region}"  # and not for this stack and region
        if reusable and plan.change_set_id:
            reviewed = self._reviewed_change_set(plan.change_set_id, previous)
            if isinstance(reviewed, ChangeSet):
                return reviewed
            self.job.say(f"the reviewed change set {reviewed}")
            why = reviewed
        if plan.change_set_type == "IMPORT":
            self.refuse_import(why)
        if not plan.change_set_id:
            self.job.say("the plan has no change set (planned without an AWS endpoint); creating one now")
        self.job.say(f"creating a change set for {self.stack} in {self.target.region} from the reviewed template")
        return changeset.create(
            self.target,
            self.stack,
            self.job.template,
            f"gate-apply-{self.run_id[:12]}",
            triggers,
            timeout=self.job.deploy.stack_timeout_minutes * 60,
            description=f"devops-gate apply {self.run_id[:8]}",
            parameters=plan.parameters,
        )

    def refuse_import(self, why: str) -> None:
        """An IMPORT plan applies only its reviewed change set: re-created, it would create what already exists."""
        reason = f"the reviewed IMPORT change set {why}; one re-created from the template would try to create "
        reason += f"resources that already exist, so {self.stack} in {self.target.region} is not changed"
        self.refuse(reason, import_plan=True)
        raise GateError(reason, fix=f"run 'devops-gate import --stack {self.job.plan.stack_name}' again and review it")

    def _reviewed_change_set(self, change_set_id: str, previous: str | None) -> ChangeSet | str:
        try:
            desc = self.cfn.describe_change_set(ChangeSetName=change_set_id, StackName=self.stack)
        except ClientError as exc:
            if "does not exist" not in str(exc) and "ChangeSetNotFound" not in str(exc):
                raise aws_error(exc, "reading the reviewed change set", self.target) from exc
            return "is gone (deleted or expired)"
        status, execution = desc.get("Status"), desc.get("ExecutionStatus")
        if status != "CREATE_COMPLETE" or execution != "AVAILABLE":
            return f"is {status}/{execution}, not executable"
        body = self.cfn.get_template(ChangeSetName=change_set_id, StackName=self.stack)["TemplateBody"]
        reviewed = cfn_yaml.load(self.job.template, "the reviewed template")
        if not body:  # moto answers an empty body for YAML change sets; a change set's template never changes
            self.job.say("the endpoint does not return the change set's template; relying on its immutable id")
        elif changeset.parse_template(body, "the change set's template") != reviewed:
            return "holds another template than the reviewed one"
        changes = [changeset.to_change(c) for c in changeset.wait_ready(self.cfn, change_set_id, 60)]
        old = cfn_yaml.load(previous, "the deployed template") if previous else None
        changes = replacement.annotate(changes, old, reviewed, self.target.region)
        self.job.say(
            f"executing the reviewed change set {change_set_id.split('/')[-2] if '/' in change_set_id else ''}"
        )
        return ChangeSet(
            id=change_set_id,
            change_type="UPDATE" if previous else "CREATE",
            changes=changes,
            stack_id=desc.get("StackId"),
        )

    def save_previous(self, previous: str | None) -> str | None:
        if previous is None:
            return None
        folder = Path(self.job.deploy.state_dir) / "previous"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.stack}-{self.target.region}-{self.run_id[:12]}.template"
        path.write_text(previous, encoding="utf-8")
        return str(path)

    def execute(self, cs: ChangeSet) -> tuple[bool, str, list[str]]:
        say = self.job.say
        stack_ref = cs.stack_id or self.stack
        printer = EventPrinter(self.cfn, stack_ref, say)
        try:
            printer.skip_existing()
            say(f"executing change set ({cs.change_type}, {len(cs.changes)} change(s)) on {self.stack}")
            self.cfn.execute_change_set(ChangeSetName=cs.id, StackName=self.stack)
        except AWS_ERRORS as exc:
            raise aws_error(exc, f"executing the change set on {self.stack}", self.target) from exc
        waited = wait_for_stack(
            self.target,
            stack_ref,
            say,
            self.job.deploy.stack_timeout_minutes * 60,
            self.job.deploy.poll_seconds,
            printer=printer,
            tick=self.lock.renew,
        )
        say(f"stack {self.stack}: {waited.status}")
        failures = waited.failures
        if not waited.ok and not failures:  # no failed resource event: the stack's own reason says what failed
            failures = [why] if (why := self.status_reason(stack_ref)) else []
        return waited.ok, waited.status, failures

    def status_reason(self, stack_ref: str) -> str | None:
        try:
            stacks = self.cfn.describe_stacks(StackName=stack_ref).get("Stacks") or [{}]
        except AWS_ERRORS as exc:  # a failed create may be gone already: say why there is no reason
            return f"its status reason could not be read ({aws_reason(exc)})"
        reason = stacks[0].get("StackStatusReason")
        return str(reason) if reason else None

    # -- the whole run -------------------------------------------------------------------------------------

    def run(self) -> ApplyOutcome:
        job, say = self.job, self.job.say
        say(
            f"== {self.stack} in {self.target.region}"
            + (f" ({job.deployment.environment})" if job.deployment.environment else "")
        )
        self.lock.acquire(job.deploy.lock_wait_seconds, say)
        started = False
        cs: ChangeSet | None = None
        try:
            self.report_interrupted()
            settled = self.against_rollbacks() or self.against_base()
            if settled is not None:
                return settled
            bake = Bake.prepare(self.target, job.deploy, say)
            busy = bake.refusal()
            if busy:
                return self.refuse(busy)
            try:
                previous = changeset.deployed_template(self.cfn, self.stack)
                # what a rollback redeploys with the previous template (parameters are part of what ran)
                previous_parameters = changeset.deployed_parameters(self.cfn, self.stack) if previous else {}
            except AWS_ERRORS as exc:
                raise aws_error(exc, f"reading the deployed template of {self.stack}", self.target) from exc
            cs = self.change_set(previous, watch.rollback_triggers(bake.alarms).arns)
            blocked = guard.blocking(cs.changes, job.plan.context.allow_data_loss)
            if blocked:
                return self.refuse("; ".join(f.title for f in blocked), cs)
            saved = self.save_previous(previous)
            job.audit.append(
                "apply-started",
                **self.facts(),
                plan_sha256=job.plan.bundle_sha256,
                plan_file_sha256=job.plan_file_sha256,
                anchored=job.anchored,
                approval=job.approval,
                template_sha256=job.plan.template_sha256,
                actor=job.actor,
                commit=job.commit,
                pr_url=job.plan.context.pr_url,
                change_set_id=cs.id,
                change_type=cs.change_type,
                changes=_changes_json(cs.changes),
                previous_template=saved,
                previous_parameters=previous_parameters,
            )
            started = True
            if not cs.changes:
                say(f"no changes: stack {self.stack} already runs the reviewed template")
                return self.finish(self.outcome("no-changes", cs))
            ok, status, failures = self.execute(cs)
            job.audit.append("apply-executed", **self.facts(), stack_status=status, failures=failures)
            if not ok:
                why = "; ".join(failures) or "no reason in the stack events"
                return self.finish(self.outcome("failed", cs, detail=f"stack ended in {status}: {why}"))
            fired = bake.watch(tick=self.lock.renew)
            if fired is None:
                return self.finish(self.outcome("applied", cs))
            return self.finish(self.rolled_back(cs, fired, previous, previous_parameters))
        except GateError as exc:
            if started:
                self.finish(self.outcome("failed", cs, detail=exc.render()))
            raise
        finally:
            self.release_lock()

    def release_lock(self) -> None:
        """Release the lock; a failure is one line and an audit record, never hiding what the apply did."""
        try:
            self.lock.release()
        except GateError as exc:
            ttl = self.job.deploy.lock_ttl_minutes
            print(f"devops-gate: WARNING: {exc.render()} (it expires after {ttl:g} min)", file=sys.stderr, flush=True)
            try:
                self.job.audit.append("lock-release-failed", **self.facts(), reason=exc.render())
            except GateError as problem:
                print(f"devops-gate: WARNING: not recorded in the audit log: {problem.render()}", file=sys.stderr)

    def rolled_back(
        self, cs: ChangeSet, fired: AlarmFired, previous: str | None, previous_parameters: dict[str, str]
    ) -> ApplyOutcome:
        deploy = self.job.deploy

        def redeploy() -> str:
            return roll_back(
                self.target,
                self.stack,
                previous,
                self.job.say,
                deploy.stack_timeout_minutes * 60,
                deploy.poll_seconds,
                tick=self.lock.renew,
                parameters=previous_parameters,
            )

        undone = undo(fired, redeploy, self.job.audit, self.facts(), self.job.say)
        return self.outcome(undone.outcome, cs, alarm=fired, rollback=undone.rollback, detail=undone.detail)

    def refuse(self, reason: str, cs: ChangeSet | None = None, **facts: Any) -> ApplyOutcome:
        self.job.say(f"REFUSED: {reason}")
        self.job.audit.append("apply-refused", **self.facts(), actor=self.job.actor, reason=reason, **facts)
        return self.outcome("refused", cs, detail=reason)

    def finish(self, outcome: ApplyOutcome) -> ApplyOutcome:
        self.job.audit.append("apply-finished", **outcome.model_dump(mode="json", exclude={"changes"}))
        return outcome


def apply_one(job: ApplyJob) -> ApplyOutcome:
    return _Run(job).run()
