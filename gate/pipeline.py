"""The PR side, stage by stage: request -> spec -> IaC -> checks -> verdict -> outputs (gate-plan.json)."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

from gate import __version__
from gate.checks.base import CheckInput
from gate.checks.registry import run_checks
from gate.cloud.aws import AwsTarget
from gate.config import GateConfig
from gate.decide import apply_waivers, decide
from gate.deploy import changeset
from gate.errors import GateError
from gate.iac import bundle_sha256, make_file, resource_rows, write_bundle
from gate.interpret.offline import interpret
from gate.models import ChangeContext, ChangeRequest, GatePlan, IaCBundle, ResourceChange
from gate.report.comment import render_comment
from gate.report.sarif import render_sarif
from gate.spec import ChangeSpec
from gate.synth.cloudformation import render as render_cfn

PLAN_FILE = "gate-plan.json"
TEMPLATE_FILE = "template.yaml"
COMMENT_FILE = "comment.md"
SARIF_FILE = "results.sarif"


@dataclass(frozen=True)
class Run:
    """What every gate run shares: settings, the place it came from, and (optionally) the target account."""

    config: GateConfig
    context: ChangeContext
    target: AwsTarget | None = None
    today: dt.date | None = None

    @property
    def region(self) -> str:
        return self.target.region if self.target else self.config.aws.region


def synthesise(spec: ChangeSpec, region: str) -> IaCBundle:
    return IaCBundle(
        origin="synthesised", files=(make_file(TEMPLATE_FILE, "cloudformation", render_cfn(spec, region)),)
    )


def plan_request(request: ChangeRequest, run: Run) -> GatePlan:
    spec = interpret(request.text)
    return gate_bundle(synthesise(spec, run.region), run, request=request, spec=spec)


def gate_bundle(
    bundle: IaCBundle, run: Run, request: ChangeRequest | None = None, spec: ChangeSpec | None = None
) -> GatePlan:
    today = run.today or dt.datetime.now(dt.UTC).date()
    rows = resource_rows(bundle)
    with tempfile.TemporaryDirectory(prefix="devops-gate-") as tmp:
        workdir = Path(tmp)
        write_bundle(bundle, workdir)
        reports = run_checks(CheckInput(bundle=bundle, config=run.config, workdir=workdir, region=run.region))
    reports = apply_waivers(reports, run.config, today)
    verdict = decide(reports, run.config, today)
    cfn_files = bundle.by_format("cloudformation")
    deployable = cfn_files[0] if len(cfn_files) == 1 else None
    changes: list[ResourceChange] = []
    if run.target is not None and deployable is not None:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
        _, changes = changeset.preview(run.target, run.config.stack_name, deployable.content, f"gate-plan-{stamp}")
    return GatePlan(
        gate_version=__version__,
        created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        context=run.context,
        request=request,
        spec=spec,
        iac=bundle,
        bundle_sha256=bundle_sha256(bundle),
        template_sha256=deployable.sha256 if deployable else None,
        stack_name=run.config.stack_name if deployable else None,
        region=run.region,
        resources=tuple(rows),
        changes=tuple(changes),
        checks=tuple(reports),
        verdict=verdict,
    )


def write_outputs(plan: GatePlan, out_dir: Path) -> dict[str, Path]:
    """Write gate-plan.json, the reviewed IaC, comment.md and results.sarif; return what was written."""
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
    plan_path.write_text(plan.model_dump_json(indent=2) + "\n", encoding="utf-8")
    written[PLAN_FILE] = plan_path
    comment = out_dir / COMMENT_FILE
    comment.write_text(render_comment(plan), encoding="utf-8")
    written[COMMENT_FILE] = comment
    sarif = out_dir / SARIF_FILE
    sarif.write_text(json.dumps(render_sarif(plan), indent=2) + "\n", encoding="utf-8")
    written[SARIF_FILE] = sarif
    return written
