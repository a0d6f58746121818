"""The PR side, stage by stage: request -> spec -> IaC -> checks -> verdict -> outputs (gate-plan.json)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from gate import __version__, request_spec
from gate.checks import baseline
from gate.checks.base import CheckInput
from gate.checks.registry import prewarm, run_checks
from gate.checks.secrets import add_request_findings
from gate.cloud.aws import AwsTarget
from gate.compliance.build import compliance_for
from gate.compliance.render import write_compliance
from gate.config import GateConfig
from gate.cost.compute import cost_of_bundle
from gate.cost.git_base import GitBase
from gate.decide import apply_waivers, decide, waiver_records
from gate.deploy import base, changeset, stacks
from gate.deploy.guard import data_loss_report
from gate.deploy.watch import alarm_arns
from gate.errors import GateError
from gate.iac import bundle_sha256, make_file, resource_rows, workdir_for, write_bundle
from gate.interpret.choose import interpret_request
from gate.limits import check_bundle, check_request, check_resources
from gate.models import ChangeContext, ChangeRequest, GatePlan, IaCBundle, IaCFormat, ResourceChange
from gate.progress import NO_PROGRESS, Progress
from gate.redact import redact, redact_data
from gate.remediate.patch import suggestions, write_fixed
from gate.report.comment import render_comment
from gate.report.html import REPORT_FILE, write_report
from gate.report.sarif import render_sarif
from gate.spec import ChangeSpec
from gate.synth import cfn_yaml, delta
from gate.synth.cloudformation import template_for
from gate.synth.terraform import render as render_tf
from gate.terraform import plan_json, plan_redact
from gate.timings import Timings

PLAN_FILE = "gate-plan.json"
TEMPLATE_FILE = "template.yaml"
TERRAFORM_FILE = "main.tf"
BOTH_FORMATS: tuple[IaCFormat, ...] = ("cloudformation", "terraform")
_NAMES = {"cloudformation": "CloudFormation", "terraform": "Terraform"}
COMMENT_FILE = "comment.md"
SARIF_FILE = "results.sarif"


@dataclass(frozen=True)
class Run:
    """What every gate run shares: settings, the place it came from, and (optionally) the target account."""

    config: GateConfig
    context: ChangeContext
    target: AwsTarget | None = None
    today: dt.date | None = None
    # the same paths at the PR's base ref: 'before' for cost, and the findings already there (new_findings_only)
    cost_base: GitBase | None = None
    progress: Progress = NO_PROGRESS  # what the CLI shows while a step runs
    environment: str | None = None  # the .gate.yml environment planned against (its stack prefix, once)
    timings: Timings = field(default_factory=Timings)  # seconds per stage, kept in gate-plan.json
    unchanged: tuple[str, ...] = ()  # files under the given paths not gated (check --changed-only)

    @property
    def region(self) -> str:
        return self.target.region if self.target else self.config.aws.region

    @property
    def stack_name(self) -> str:
        """The stack as deployed: built by the one function apply uses too."""
        return stacks.deployed_name(self.config, self.environment)

    @property
    def deployed_config(self) -> GateConfig:
        """The settings with ``stack_name`` as deployed, for stages that read the stack by that name."""
        return self.config.model_copy(update={"stack_name": self.stack_name})


def synthesise(
    spec: ChangeSpec,
    region: str,
    formats: tuple[IaCFormat, ...] = BOTH_FORMATS,
    deployed: base.Deployed | None = None,
) -> IaCBundle:
    """The spec as CloudFormation (template.yaml) and/or Terraform (main.tf), from the same synthesisers. The
    template is laid over the ``deployed`` stack (only what the request changes is new) and stores the spec."""
    files = []
    if "cloudformation" in formats:
        old = deployed.parsed if deployed else None
        template = delta.merge(template_for(spec, region), old, delta.stored_spec(old), spec)
        files.append(make_file(TEMPLATE_FILE, "cloudformation", cfn_yaml.dump(delta.with_stored_spec(template, spec))))
    if "terraform" in formats:
        files.append(make_file(TERRAFORM_FILE, "terraform", render_tf(spec, region)))
    if not files:
        raise GateError("no IaC format chosen", fix="use --format cloudformation, terraform or both")
    return IaCBundle(origin="synthesised", files=tuple(files))


def plan_request(
    request: ChangeRequest,
    run: Run,
    previous_spec: ChangeSpec | None = None,
    formats: tuple[IaCFormat, ...] = BOTH_FORMATS,
) -> GatePlan:
    """Interpret the request (body, then each refinement) as a change to the deployed stack's spec (or to
    ``previous_spec``, when given), synthesise it over the deployed template, then gate it."""
    check_request("\n".join((request.text, *request.refinements)), run.config.limits)
    prewarm(formats, run.config.checks.enabled)  # checkov imports in its worker while we interpret and synthesise
    deployed = deployed_stack(run) if "cloudformation" in formats else None
    start = previous_spec or delta.stored_spec(deployed.parsed if deployed else None)
    # a secret in the request never reaches the interpreter (or an LLM), the spec or the generated IaC
    refinements = tuple(redact(t) for t in request.refinements)
    with run.progress.step("interpreting the request"), run.timings.stage("interpret"):
        spec = request_spec.build((redact(request.text),), start, interpreter(run), refinements)
    return plan_spec(request, spec, run, formats, deployed)


def interpreter(run: Run) -> request_spec.Interpret:
    """The interpreter of this run's settings: text (and the spec it changes, if any) -> spec."""

    def interpret(text: str, previous: ChangeSpec | None) -> ChangeSpec:
        return interpret_request(text, run.config, run.region, previous=previous)

    return interpret


def plan_spec(
    request: ChangeRequest,
    spec: ChangeSpec,
    run: Run,
    formats: tuple[IaCFormat, ...] = BOTH_FORMATS,
    deployed: base.Deployed | None = None,
) -> GatePlan:
    """The interpreted ``spec`` of ``request``, synthesised (over the ``deployed`` template) and gated."""
    with run.progress.step(f"synthesising {' and '.join(_NAMES[f] for f in formats)}"), run.timings.stage("synthesise"):
        bundle = synthesise(spec, run.region, formats, deployed)
    return gate_bundle(bundle, run, request=request, spec=spec, deployed=deployed)


def deployed_stack(run: Run) -> base.Deployed | None:
    """The stack as deployed now (None when planning without an AWS endpoint)."""
    return base.read(run.target, run.stack_name) if run.target is not None else None


def gate_bundle(
    bundle: IaCBundle,
    run: Run,
    request: ChangeRequest | None = None,
    spec: ChangeSpec | None = None,
    deployed: base.Deployed | None = None,
) -> GatePlan:
    today = run.today or dt.datetime.now(dt.UTC).date()
    check_bundle(bundle, run.config.limits)
    rows = resource_rows(bundle)
    check_resources(rows, run.config.limits)
    with tempfile.TemporaryDirectory(prefix="devops-gate-") as tmp:
        workdir = workdir_for(Path(tmp), bundle)
        write_bundle(bundle, workdir)
        checked = CheckInput(bundle=bundle, config=run.config, workdir=workdir, region=run.region)
        with run.timings.stage("checks"):
            reports = run_checks(checked, run.progress, run.timings)
        if run.cost_base is not None and baseline.enabled(run.config, bundle):  # only what the PR adds can block
            with run.timings.stage("checks.baseline"):
                at_base = baseline.base_reports(run.cost_base, run.config, run.region, run.progress)
            reports = baseline.mark(reports, at_base, run.cost_base.label)
        # cost before the change set: the base is the stack as deployed, not one in review
        cost = None
        if run.config.cost.enabled:  # 'before': the stack as deployed, under its deployed name
            with run.progress.step("estimating the cost"), run.timings.stage("cost"):
                cost = cost_of_bundle(bundle, run.deployed_config, run.region, workdir, run.target, run.cost_base)
    if request is not None:  # a secret typed into the request is reported, then never stored or echoed
        reports = add_request_findings(reports, "\n".join((request.text, *request.refinements)), request.origin)
        refined = tuple(redact(t) for t in request.refinements)
        request = request.model_copy(update={"text": redact(request.text), "refinements": refined})
    reports = apply_waivers(reports, run.config, today)
    bundle = _without_secrets(bundle)
    cfn_files = bundle.by_format("cloudformation")
    deployable = cfn_files[0] if len(cfn_files) == 1 else None
    changes: list[ResourceChange] = []
    change_set_id: str | None = None
    if run.target is not None and deployable is not None and deployed is None:
        deployed = deployed_stack(run)
    if run.target is not None and deployable is not None:
        # change set -> replacement (AWS's answer, else resource schemas) -> data-loss guard, before the verdict
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:6]
        with run.progress.step(f"previewing the change set on {run.stack_name}"), run.timings.stage("change-set"):
            triggers = alarm_arns(run.target, run.config.deploy)
            change_set_id, changes = changeset.preview(
                run.target,
                run.stack_name,
                deployable.content,
                f"gate-plan-{stamp}",
                rollback_triggers=triggers,
                parameters=run.config.parameters,
            )
    previewed = run.target is not None and deployable is not None
    tf_plans = bundle.by_format("terraform-plan")
    if tf_plans:  # a Terraform plan's JSON says what changes: its resource_changes are the change set
        changes = [c for f in tf_plans for c in plan_json.resource_changes(plan_json.plan_of(f))]
        previewed = True
    guarded = data_loss_report(changes if previewed else None, run.context.allow_data_loss)
    if len(tf_plans) == 1:  # the finding points at the plan it comes from
        located = tuple(f.model_copy(update={"file": tf_plans[0].path}) for f in guarded.findings)
        guarded = guarded.model_copy(update={"findings": located})
    reports.append(guarded)
    # parts of the request not built (not-applied) or not understood: the plan needs a person, never passes
    not_applied = (
        tuple(
            a.value if a.field == "not-applied" else f"not understood: {a.value}"
            for a in spec.assumptions
            if a.field in ("not-applied", "not-understood")
        )
        if spec
        else ()
    )
    # settings an LLM chose that no words of the request ask for (gate.interpret.llm_spans): built, so a person looks
    unasked = tuple(
        f"{a.value} on {a.resource}" for a in (spec.assumptions if spec else ()) if a.field == "not-in-request"
    )
    with run.timings.stage("decide"):
        verdict = decide(reports, run.config, today, cost=cost, not_applied=not_applied, unasked=unasked)
        compliance = compliance_for(tuple(reports), rows, run.config)
        fixes = suggestions(bundle, tuple(f for r in reports for f in r.findings))
        waivers = waiver_records(reports, run.config, today)
    return GatePlan(
        gate_version=__version__,
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        context=run.context,
        request=request,
        spec=spec,
        iac=bundle,
        bundle_sha256=bundle_sha256(bundle),
        template_sha256=deployable.sha256 if deployable else None,
        stack_name=run.stack_name if deployable else None,
        region=run.region,
        resources=tuple(rows),
        changes=tuple(changes),
        checks=tuple(reports),
        cost=cost,
        verdict=verdict,
        change_set_id=change_set_id,
        parameters=dict(run.config.parameters) if deployable else {},
        compliance=compliance,
        suggestions=fixes,
        waivers=waivers,
        base=base.record(deployed, run.stack_name, run.config.stack_name, run.environment, run.region)
        if deployable
        else None,
        unchanged=run.unchanged,
        timings=run.timings.seconds(),
        peak_memory_mb=run.timings.peak_memory(),
    )


def _without_secrets(bundle: IaCBundle) -> IaCBundle:
    """The bundle as stored in gate-plan.json: a file with a secret in it (found by the secrets check, or by the
    redaction patterns even when that check is off) is kept redacted (its sha256 stays that of the reviewed file),
    so the plan artifact never carries the secret, and such a plan is never applied."""
    files = []
    for f in bundle.files:
        # a Terraform plan's JSON prints sensitive values in clear: they are masked by Terraform's own marks too
        clean = redact(plan_redact.redact_plan(f.content) if f.format == "terraform-plan" else f.content)
        files.append(f.model_copy(update={"content": clean, "redacted": True}) if clean != f.content else f)
    return bundle.model_copy(update={"files": tuple(files)})


def write_outputs(plan: GatePlan, out_dir: Path) -> dict[str, Path]:
    """Write gate-plan.json, the reviewed IaC, comment.md, results.sarif and report.html; return what was written."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GateError(
            f"cannot create the output folder ({exc.strerror})",
            source=str(out_dir),
            fix="pass --out with a writable folder",
        ) from exc
    written: dict[str, Path] = {}
    if plan.iac.origin == "synthesised":
        write_bundle(plan.iac, out_dir)
        written.update({f.path: out_dir / f.path for f in plan.iac.files})
    plan_path = out_dir / PLAN_FILE
    written[PLAN_FILE] = plan_path  # written last, with the time the outputs took (its place in the list first)
    started = time.perf_counter()
    comment = out_dir / COMMENT_FILE
    comment.write_text(redact(render_comment(plan)), encoding="utf-8")
    written[COMMENT_FILE] = comment
    sarif = out_dir / SARIF_FILE
    sarif.write_text(json.dumps(redact_data(render_sarif(plan)), indent=2) + "\n", encoding="utf-8")
    written[SARIF_FILE] = sarif
    written[REPORT_FILE] = write_report(plan, out_dir)
    written.update(write_compliance(plan, out_dir))
    written.update(write_fixed(plan, out_dir))
    timings = {**plan.timings, "render": round(time.perf_counter() - started, 3)}
    # the last line of defence: whatever a tool quoted back (a finding's title, a reason) is redacted as well
    data = redact_data(plan.model_copy(update={"timings": timings}).model_dump(mode="json"))
    plan_path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return written
