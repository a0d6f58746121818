"""Plan and apply a Terraform root: ``terraform init`` + ``plan -out`` on the PR, ``terraform apply PLANFILE``
on merge, of exactly that planfile, or a refusal.

The PR side records in gate-plan.json (:class:`TerraformRun`) the planfile's sha256, a sha256 over the root's
Terraform files and the state's serial and lineage at plan time. The merge side refuses when the planfile is
not that one, the root's files changed since (the reviewed configuration is no longer what is merged), or the
state moved (another apply ran: the plan is stale; Terraform would refuse a stale planfile too, we say so
first, in our words). Backend and variables come from .gate.yml (``terraform.backend_config`` / ``variables``;
the S3 backend with a DynamoDB lock table is the production setup, see docs/terraform.md).

After the apply, the bake on the deploy alarms is CloudFormation's (:mod:`gate.deploy.bake`); on ALARM the
rollback applies the root's configuration at the plan's base commit (:mod:`gate.deploy.terraform_base`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal

from gate.audit import AuditLog
from gate.config import TerraformSettings
from gate.deploy import terraform_base
from gate.deploy.bake import Bake, undo
from gate.deploy.terraform_base import root_sha256
from gate.errors import GateError
from gate.iac import make_file
from gate.models import ApplyOutcome, GatePlan, IaCFile, TerraformRun
from gate.terraform.runner import Terraform

PLANFILE = "terraform.tfplan"


def planfile_sha(planfile: Path) -> str:
    return hashlib.sha256(planfile.read_bytes()).hexdigest()


def state_of(tf: Terraform, root: Path) -> tuple[int | None, str | None]:
    """(serial, lineage) of the root's state as the backend has it now; (None, None) when there is none yet."""
    out = tf.run(["state", "pull"], root).strip()
    if not out:
        return None, None
    try:
        state = json.loads(out)
    except json.JSONDecodeError as exc:
        raise GateError(f"terraform state pull gave no JSON ({exc})", source=str(root)) from exc
    serial = state.get("serial")
    return (int(serial) if serial is not None else None), state.get("lineage")


def terraform_for(settings: TerraformSettings, env: Mapping[str, str] | None = None) -> Terraform:
    return Terraform.found(mirror=settings.plugin_mirror, env=env)


def plan_root(
    root: str, settings: TerraformSettings, out_dir: Path, tf: Terraform, base: tuple[Path, str] | None = None
) -> tuple[TerraformRun, IaCFile]:
    """init + plan -out (the planfile next to gate-plan.json); the plan's JSON to gate, and what apply checks.
    ``base`` (repository, commit): the root's files there are saved beside it for a rollback."""
    folder = Path(root)
    root_sha256(folder)  # a folder, before terraform is run in it
    out_dir.mkdir(parents=True, exist_ok=True)
    planfile = out_dir.resolve() / PLANFILE
    backend = [f"-backend-config={k}={v}" for k, v in settings.backend_config.items()]
    tf.run(["init", "-no-color", "-input=false", *backend], folder)
    variables = [f"-var={k}={v}" for k, v in settings.variables.items()]
    tf.run(["plan", "-no-color", "-input=false", f"-out={planfile}", *variables], folder)
    data = tf.show_json(planfile, folder)
    serial, lineage = state_of(tf, folder)
    config_sha = root_sha256(folder)  # after init: its .terraform.lock.hcl is part of what was planned
    record = TerraformRun(
        root=root,
        planfile=PLANFILE,
        planfile_sha256=planfile_sha(planfile),
        config_sha256=config_sha,
        state_serial=serial,
        state_lineage=lineage,
        **(terraform_base.save(root, base, out_dir) if base else {}),
    )
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    return record, make_file(f"{folder.as_posix().rstrip('/')}/{PLANFILE}.json", "terraform-plan", text)


def _refuse(reason: str, source: str, fix: str) -> GateError:
    return GateError(reason, source=source, fix=fix)


def verify(plan: GatePlan, plan_path: str, tf: Terraform, approved: bool = False) -> Path:
    """The planfile to apply, after checking the verdict (a needs-approval one only when ``approved``), its sha256,
    the root's files and the state's serial. A moved state raises :class:`StalePlan`; anything else a GateError."""
    run = plan.terraform
    if run is None:
        raise _refuse("the plan holds no Terraform planfile", plan_path, "plan the root with 'check --tf-root'")
    if plan.verdict.decision != "pass" and not (approved and plan.verdict.decision == "needs-approval"):
        raise _refuse(
            f"the plan's verdict is '{plan.verdict.decision}', so it is not applied",
            plan_path,
            "resolve the verdict's reasons on the PR and plan again",
        )
    if any(f.redacted for f in plan.iac.files):
        raise _refuse(
            "the plan holds a secret (kept redacted), so it is never applied",
            plan_path,
            "move the secret out of the configuration (a sensitive variable from Secrets Manager), plan again",
        )
    planfile = Path(plan_path).parent / run.planfile
    try:
        digest = planfile_sha(planfile)
    except OSError as exc:
        fix = "keep it next to gate-plan.json"
        raise _refuse(f"cannot read the planfile ({exc.strerror})", str(planfile), fix) from exc
    if digest != run.planfile_sha256:
        raise _refuse(
            f"the planfile's sha256 {digest[:12]} is not the reviewed {run.planfile_sha256[:12]}",
            str(planfile),
            "apply the planfile that was reviewed, unchanged; or plan again and get it reviewed",
        )
    now = root_sha256(Path(run.root))
    if now != run.config_sha256:
        raise _refuse(
            "the root's Terraform files changed after the plan (what is merged is not what was reviewed)",
            run.root,
            "plan again on the merged configuration and get that plan reviewed",
        )
    serial, lineage = state_of(tf, Path(run.root))
    if (serial, lineage) != (run.state_serial, run.state_lineage):
        raise StalePlan(
            f"the state moved since the plan (serial {run.state_serial} -> {serial}"
            + (", another lineage" if lineage != run.state_lineage else "")
            + ")"
        )
    return planfile


class StalePlan(GateError):
    """The state changed after the plan: another apply ran; the reviewed plan no longer describes the change."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason, fix="plan again against the current state and get the new plan reviewed")


def apply_terraform(
    plan: GatePlan,
    plan_path: str,
    tf: Terraform,
    audit: AuditLog,
    actor: str,
    say: Callable[[str], None] = print,
    approved: bool = False,
    bake: Bake | None = None,
    settings: TerraformSettings | None = None,
) -> ApplyOutcome:
    """Apply exactly the reviewed planfile, or refuse (outcome ``refused`` / ``stale``); then bake on ``bake``'s
    alarms, and on ALARM apply the base commit's configuration (``rolled-back``). Every outcome is audited."""
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    run = plan.terraform
    root = run.root if run else "?"
    run_id = uuid.uuid4().hex
    facts = {"run_id": run_id, "stack_name": f"terraform:{root}", "region": plan.region, "root": root}
    result: Literal["applied", "stale", "failed", "refused", "rolled-back"]
    extra: dict[str, Any] = {}
    try:
        planfile = verify(plan, plan_path, tf, approved)
        busy = bake.refusal() if bake else None
        if busy:
            raise GateError(busy, fix="let the alarm recover (or fix what fires it), then apply again")
    except StalePlan as exc:
        result, detail = "stale", exc.render()
    except GateError as exc:
        result, detail = "refused", exc.render()
    else:
        say(f"devops-gate: terraform apply {planfile.name} in {root}")
        try:
            tf.run(["apply", "-no-color", "-input=false", str(planfile.resolve())], Path(root))
            result, detail = "applied", f"applied the reviewed planfile (sha256 {planfile_sha(planfile)[:12]})"
        except GateError as exc:
            result, detail = "failed", exc.render()
        fired = bake.watch() if bake and result == "applied" and run else None
        if fired and run:
            how = settings or TerraformSettings()
            undone = undo(fired, lambda: terraform_base.roll_back(run, plan_path, tf, how), audit, facts, say)
            result, detail = undone.outcome, f"{detail}; {undone.detail}"
            extra = {"alarm": undone.alarm, "rollback": undone.rollback}
    outcome = ApplyOutcome(
        run_id=run_id,
        stack_name=f"terraform:{root}",
        region=plan.region,
        outcome=result,
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        detail=detail,
        **extra,
    )
    if outcome.alarm:
        extra = {"alarm": outcome.alarm.model_dump(), "rollback": outcome.rollback}
    audit.append(f"terraform-{result}", actor=actor, root=root, plan=plan_path, detail=detail, run_id=run_id, **extra)
    return outcome
