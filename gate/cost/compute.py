"""The cost stage of the pipeline: an IaC bundle (and, when given, the deployed stack) -> CostReport.

- CloudFormation: always the built-in estimator. Base = the deployed stack's template when a target is
  given (``cloudformation get_template``), else empty.
- Terraform: infracost (JSON) when it is on PATH and ``INFRACOST_API_KEY`` is set; else the built-in estimator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gate.cloud.aws import AwsTarget
from gate.config import GateConfig
from gate.cost import infracost
from gate.cost.deployed import cpu_stats, fetch_stack
from gate.cost.estimator import Side, diff, price_cloudformation, price_terraform, summarise
from gate.cost.prices import empty_table, load_table
from gate.cost.recommendations import CpuStats, recommend
from gate.cost.usage import load_usage
from gate.errors import GateError
from gate.models import CostReport, IaCBundle, IaCFile
from gate.synth import cfn_yaml


def cost_of_bundle(
    bundle: IaCBundle,
    config: GateConfig,
    region: str,
    workdir: Path,
    target: AwsTarget | None = None,
) -> CostReport:
    settings = config.cost
    usage = load_usage(settings.usage_file)
    notes: list[str] = []
    try:
        table = load_table(region, settings.prices_dir)
    except GateError as exc:  # a region without a table: say so on every resource instead of failing the plan
        table = empty_table(region)
        notes.append(f"{exc.message} (fix: {exc.fix})")
    cfn_files, tf_files = bundle.by_format("cloudformation"), bundle.by_format("terraform")
    if bundle.origin == "synthesised" and cfn_files and tf_files:
        # two renderings of one spec: price the CloudFormation (the one deployed, with a stack as its base) once
        tf_files = ()
        notes.append("Terraform rendering of the same spec not counted twice")
    base: Side = {}
    base_label = "empty: no deployed stack to compare with"
    head: Side = {}
    for f in cfn_files:
        prefix = f"{f.path}:" if len(cfn_files) > 1 else ""
        head.update(price_cloudformation(cfn_yaml.load(f.content, f.path), table, usage, prefix))
    cpu: dict[str, CpuStats] = {}
    if target is not None and len(cfn_files) == 1:
        deployed = fetch_stack(target, config.stack_name)
        if deployed is None:
            base_label = f"empty: stack {config.stack_name} does not exist yet"
        else:
            base_label = f"deployed stack {config.stack_name}"
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
    tf_report: CostReport | None = None
    if tf_files:
        binary = infracost.available()
        if binary:
            try:
                doc = infracost.run_breakdown(binary, workdir, settings.usage_file)
                tf_report = infracost.report_from_json(
                    doc, region=region, expected=_tf_addresses(tf_files), usage_file=usage.source
                )
            except GateError as exc:
                notes.append(f"{exc.message}; the built-in estimator priced the Terraform instead")
        if tf_report is None:
            for f in tf_files:
                head.update(price_terraform(_parse_tf(f), table, usage))
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
        base_label=base_label if cfn_files else tf_report.base,
        free=report.free_resources + tf_report.free_resources,
        price_table_date=tf_report.price_table_date,
        price_table_source=(tf_report.price_table_source or "infracost")
        + (f"; CloudFormation: {report.price_table_source}" if cfn_files else ""),
        usage_file=usage.source,
        recommendations=recs,
        detail="; ".join(notes) or None,
    )


def _parse_tf(f: IaCFile) -> dict[str, Any]:
    from hcl2.api import loads as hcl_loads

    try:
        parsed = hcl_loads(f.content)
    except Exception as exc:  # hcl2 raises lark errors of several types
        raise GateError(f"is not valid Terraform: {str(exc).splitlines()[0]}", source=f.path) from exc
    return dict(parsed)


def _tf_addresses(files: tuple[IaCFile, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in files:
        for block in _parse_tf(f).get("resource", []) or []:
            for rtype, instances in block.items():
                for name in instances:
                    out[f"{rtype}.{name}"] = rtype
    return out
