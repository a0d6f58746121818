"""The cost stage of the pipeline: an IaC bundle (and, when given, the deployed stack) -> CostReport.

The base ('before'), first that applies:
- CloudFormation: the deployed stack's template when a target is given and the bundle has one template
  (``cloudformation get_template``); then the git base (:mod:`gate.cost.git_base`) when there is one; else empty.
- Terraform: the git base when there is one; else empty.

Pricing: CloudFormation always with the built-in estimator. Terraform with infracost (JSON) when it is on PATH
and ``INFRACOST_API_KEY`` is set (the git base then priced by infracost too); else the built-in estimator.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from gate.checks.cfn_template import checked_template
from gate.cloud.aws import AwsTarget
from gate.config import GateConfig
from gate.cost import infracost
from gate.cost.deployed import cpu_stats, fetch_stack
from gate.cost.estimator import Side, diff, price_cloudformation, price_terraform, summarise
from gate.cost.git_base import GitBase
from gate.cost.prices import PriceTable, empty_table, load_table
from gate.cost.recommendations import CpuStats, recommend
from gate.cost.usage import Usage, load_usage
from gate.errors import GateError
from gate.iac import write_bundle
from gate.models import CostReport, IaCBundle, IaCFile
from gate.terraform.parse import parse_file


def cost_of_bundle(
    bundle: IaCBundle,
    config: GateConfig,
    region: str,
    workdir: Path,
    target: AwsTarget | None = None,
    git_base: GitBase | None = None,
) -> CostReport:
    settings = config.cost
    usage = load_usage(settings.usage_file)
    notes: list[str] = []
    try:
        table = load_table(region, settings.prices_dir)
    except GateError as exc:  # a region without a table: say so on every resource instead of failing the plan
        table = empty_table(region)
        notes.append(f"{exc.message} (fix: {exc.fix})")
    cfn_files = bundle.by_format("cloudformation")
    tf_files = tuple(f for f in bundle.by_format("terraform") if f.role == "root")  # modules: priced by a plan
    if bundle.origin == "synthesised" and cfn_files and tf_files:
        # two renderings of one spec: price the CloudFormation (the one deployed, with a stack as its base) once
        tf_files = ()
        notes.append("Terraform rendering of the same spec not counted twice")
    deployed_base = target is not None and len(cfn_files) == 1
    base_cfn = git_base.by_format("cloudformation") if git_base is not None and not deployed_base else ()
    base_tf = git_base.by_format("terraform") if git_base is not None else ()
    prefixed = len({f.path for f in (*cfn_files, *base_cfn)}) > 1  # one key per file and resource, both sides
    base: Side = _price_cfn(base_cfn, prefixed, table, usage)
    head: Side = _price_cfn(cfn_files, prefixed, table, usage)
    cfn_label = git_base.label if git_base is not None else "empty: no deployed stack to compare with"
    cpu: dict[str, CpuStats] = {}
    if target is not None and deployed_base:
        deployed = fetch_stack(target, config.stack_name)
        if deployed is None:
            cfn_label = f"empty: stack {config.stack_name} does not exist yet"
        else:
            cfn_label = f"deployed stack {config.stack_name}"
            base = price_cloudformation(deployed.template, table, usage)
            instances = {
                lid: pid
                for lid, pid in deployed.physical_ids.items()
                if lid in head and head[lid].resource.kind == "ec2" and pid.startswith("i-")
            }
            try:
                cpu = cpu_stats(target, instances)
            except GateError as exc:
                notes.append(f"No right-sizing: {exc.message}")
    base_label = cfn_label
    if git_base is not None and deployed_base and (tf_files or base_tf):
        base_label = f"{cfn_label} for CloudFormation, {git_base.label} for Terraform"
    tf_report: CostReport | None = None
    if tf_files:
        binary = infracost.available()
        if binary:
            try:
                doc = _infracost(binary, workdir, base_tf if git_base is not None else None, settings.usage_file)
                tf_report = infracost.report_from_json(
                    doc, region=region, expected=_tf_addresses(tf_files), usage_file=usage.source
                )
            except GateError as exc:
                notes.append(f"{exc.message}; the built-in estimator priced the Terraform instead")
        if tf_report is None:
            for f in tf_files:
                head.update(price_terraform(_parse_tf(f), table, usage))
    if tf_report is None:
        for f in base_tf:
            base.update(price_terraform(_parse_tf(f), table, usage))
    plans = bundle.by_format("terraform-plan")
    if plans:  # a Terraform plan's JSON carries its own base: the state it was planned against
        from gate.cost.tfplan import price_plans

        plan_base, plan_head = price_plans(plans, table, usage)
        base.update(plan_base)
        head.update(plan_head)
        base_label = "the Terraform state the plan was made against" if not (cfn_files or tf_files) else base_label
    recs = recommend(head, table, usage, cpu, settings.rightsizing_cpu_percent)
    report = diff(
        base,
        head,
        table=table,
        region=region,
        base_label=base_label,
        usage=usage,
        recommendations=recs,
        detail="; ".join(notes) or None,
    )
    if tf_report is None:
        return report
    return summarise(
        [*report.lines, *tf_report.lines],
        source="infracost",
        currency=tf_report.currency,
        region=region,
        base_label=base_label if cfn_files or git_base is not None else tf_report.base,
        free=report.free_resources + tf_report.free_resources,
        price_table_date=tf_report.price_table_date,
        price_table_source=(tf_report.price_table_source or "infracost")
        + (f"; CloudFormation: {report.price_table_source}" if cfn_files else ""),
        usage_file=usage.source,
        recommendations=recs,
        detail="; ".join(notes) or None,
    )


def _price_cfn(files: tuple[IaCFile, ...], prefixed: bool, table: PriceTable, usage: Usage) -> Side:
    side: Side = {}
    for f in files:
        prefix = f"{f.path}:" if prefixed else ""
        side.update(price_cloudformation(checked_template(f.content, f.path).template, table, usage, prefix))
    return side


def _infracost(
    binary: str, workdir: Path, base_tf: tuple[IaCFile, ...] | None, usage_file: str | None
) -> dict[str, Any]:
    """infracost's breakdown of head; with a git base, the base's breakdown as its ``pastBreakdown`` (what
    ``infracost diff --compare-to`` reads), so the lines say before and after."""
    doc = infracost.run_breakdown(binary, workdir, usage_file)
    if base_tf is None or not doc["projects"]:
        return doc
    past: dict[str, Any] = {"projects": []}
    if base_tf:
        with tempfile.TemporaryDirectory(prefix="devops-gate-base-") as tmp:
            write_bundle(IaCBundle(origin="hand-written", files=base_tf), Path(tmp))
            past = infracost.run_breakdown(binary, Path(tmp), usage_file)
    # one project for the whole bundle (it is one folder): resources line up by address, whatever the project
    project = {
        "name": doc["projects"][0].get("name", "bundle"),
        "breakdown": {"resources": _all_resources(doc)},
        "pastBreakdown": {"resources": _all_resources(past)},
    }
    return dict(doc, projects=[project])


def _all_resources(doc: dict[str, Any]) -> list[Any]:
    return [r for p in doc["projects"] for r in ((p.get("breakdown") or {}).get("resources") or [])]


def _parse_tf(f: IaCFile) -> dict[str, Any]:
    return parse_file(f)


def _tf_addresses(files: tuple[IaCFile, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in files:
        for block in _parse_tf(f).get("resource", []) or []:
            for rtype, instances in block.items():
                for name in instances:
                    out[f"{rtype}.{name}"] = rtype
    return out
