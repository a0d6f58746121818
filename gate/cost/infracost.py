"""The infracost wrapper for Terraform: run ``infracost breakdown --format json`` and read its JSON (the
``Root`` document of infracost's published schema), never its text output.

Used when an ``infracost`` binary is on PATH and ``INFRACOST_API_KEY`` is set; otherwise the built-in
estimator prices Terraform too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from gate.cost.estimator import summarise
from gate.cost.resources import kind_of
from gate.errors import GateError
from gate.models import CostComponent, CostLine, CostRecommendation, CostReport


def available() -> str | None:
    """The infracost binary to use, or None (not on PATH, or no API key)."""
    binary = shutil.which("infracost")
    return binary if binary and os.environ.get("INFRACOST_API_KEY") else None


def run_breakdown(binary: str, folder: Path, usage_file: str | None = None, timeout: float = 300.0) -> dict[str, Any]:
    cmd = [binary, "breakdown", "--path", str(folder), "--format", "json", "--no-color"]
    if usage_file:
        cmd += ["--usage-file", usage_file]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GateError(f"infracost did not finish in {timeout:.0f} s", source="infracost") from exc
    except OSError as exc:
        raise GateError(f"cannot run infracost ({exc.strerror})", source=binary) from exc
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise GateError(f"infracost exited with {proc.returncode}: {last}", source="infracost")
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise GateError(f"infracost did not print JSON ({exc.msg})", source="infracost") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("projects"), list):
        raise GateError("infracost JSON has no 'projects' list", source="infracost")
    return doc


def _money(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return float(round(Decimal(str(value)), 4))
    except InvalidOperation:
        return None


def _components(resource: dict[str, Any], prefix: str = "") -> list[CostComponent]:
    out = [
        CostComponent(
            name=f"{prefix}{c.get('name', '?')}",
            unit=str(c.get("unit", "")),
            monthly_quantity=_money(c.get("monthlyQuantity")),
            unit_price=_money(c.get("price")),
            monthly_cost=_money(c.get("monthlyCost")),
        )
        for c in resource.get("costComponents") or []
    ]
    for sub in resource.get("subresources") or []:
        out.extend(_components(sub, f"{prefix}{sub.get('name', '?')}: "))
    return out


def _resources(breakdown: Any) -> dict[str, dict[str, Any]]:
    items = breakdown.get("resources") if isinstance(breakdown, dict) else None
    return {str(r.get("name")): r for r in items or [] if isinstance(r, dict)}


def report_from_json(
    doc: dict[str, Any],
    *,
    region: str,
    expected: dict[str, str] | None = None,
    usage_file: str | None = None,
    recommendations: tuple[CostRecommendation, ...] = (),
) -> CostReport:
    """Turn infracost's JSON into a CostReport. ``expected`` (address -> type) lists the Terraform resources
    in the bundle, so one infracost leaves out is reported as not estimated instead of vanishing."""
    lines: list[CostLine] = []
    seen: set[str] = set()
    for project in doc.get("projects") or []:
        past, now = _resources(project.get("pastBreakdown")), _resources(project.get("breakdown"))
        for name in [*now, *(n for n in past if n not in now)]:
            seen.add(name)
            before, after = past.get(name), now.get(name)
            m_before = _money(before.get("monthlyCost")) if before else 0.0
            m_after = _money(after.get("monthlyCost")) if after else 0.0
            usage_based = (before is not None and m_before is None) or (after is not None and m_after is None)
            current = after or before or {}
            lines.append(
                CostLine(
                    logical_id=name,
                    type=str(current.get("resourceType") or name.split(".")[0]),
                    change="add"
                    if before is None
                    else "remove"
                    if after is None
                    else ("same" if m_before == m_after else "modify"),
                    monthly_before=m_before if before is not None else None,
                    monthly_after=m_after if after is not None else None,
                    monthly_delta=None if usage_based else round((m_after or 0.0) - (m_before or 0.0), 2),
                    components=tuple(_components(current)),
                    not_estimated="infracost: the cost depends on usage; add it to the usage file"
                    if usage_based
                    else None,
                )
            )
    free = 0
    for address, rtype in (expected or {}).items():
        if address in seen:
            continue
        if kind_of(rtype) == "free":
            free += 1
        else:
            lines.append(
                CostLine(
                    logical_id=address,
                    type=rtype,
                    change="add",
                    not_estimated="infracost returned no price for it (unsupported or free)",
                )
            )
    version = doc.get("version", "?")
    report = summarise(
        lines,
        source="infracost",
        currency=str(doc.get("currency") or "USD"),
        region=region,
        base_label="infracost past breakdown" if any(p.get("pastBreakdown") for p in doc["projects"]) else "empty",
        free=free,
        price_table_date=str(doc.get("timeGenerated") or "") or None,
        price_table_source=f"infracost Cloud Pricing API (JSON format {version})",
        usage_file=usage_file,
        recommendations=recommendations,
    )
    total = _money(doc.get("totalMonthlyCost"))
    if total is not None and abs(total - report.monthly_after) > 0.01 and not report.not_estimated:
        detail = f"infracost's total {total:.2f} differs from the sum of its resources {report.monthly_after:.2f}"
        report = report.model_copy(update={"detail": detail})
    return report
