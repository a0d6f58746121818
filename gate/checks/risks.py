"""One severity per risk (``policies/risks.yaml``): checkov's CloudFormation and Terraform twins and our own
policies that report the same risk are rated the same, and two findings of one risk on one resource are shown
as one finding that keeps every check id (``Finding.same_risk``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from gate import yaml_safe
from gate.errors import GateError
from gate.models import CheckReport, Finding, Severity
from gate.paths import builtin_policy_dir

# which finding of a risk stays in front: ours carry the fix, docs and compliance mapping
_TOOL_ORDER = {"policies": 0, "checkov": 1}


@dataclass(frozen=True)
class Risk:
    id: str
    severity: Severity
    title: str
    checks: tuple[str, ...]


@lru_cache(maxsize=1)
def risks() -> dict[str, Risk]:
    """Check id -> its risk."""
    path = builtin_policy_dir() / "risks.yaml"
    raw = yaml_safe.safe_load(path.read_text(encoding="utf-8")) or {}
    by_check: dict[str, Risk] = {}
    try:
        for risk_id, body in raw.items():
            risk = Risk(str(risk_id), Severity.parse(body["severity"]), str(body["title"]), tuple(body["checks"]))
            for check_id in risk.checks:
                if check_id in by_check:
                    raise ValueError(f"{check_id} is in both {by_check[check_id].id} and {risk.id}")
                by_check[check_id] = risk
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        fix = "give each risk a severity, a title and its checks (each check in one risk)"
        raise GateError(f"bad risk table: {exc}", source=str(path), fix=fix) from exc
    return by_check


def unify(reports: list[CheckReport]) -> list[CheckReport]:
    """Rate every finding of a known risk at the risk's severity; keep one finding per (risk, file, resource)
    and name the others in its ``same_risk`` (the reports that lose one say how many, in their detail)."""
    table = risks()
    rated = [
        report.model_copy(update={"findings": tuple(_rate(f, table) for f in report.findings)}) for report in reports
    ]
    groups: dict[tuple[str, str | None, str], list[tuple[int, Finding]]] = {}
    for index, report in enumerate(rated):
        for finding in report.findings:
            if finding.risk and finding.resource:
                groups.setdefault((finding.risk, finding.file, finding.resource), []).append((index, finding))
    keep: dict[int, Finding] = {}  # id(finding) -> the finding shown in its place
    dropped: set[int] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        ordered = sorted(members, key=lambda m: (_TOOL_ORDER.get(m[1].tool, 9), m[1].check_id))
        front = ordered[0][1]
        others = tuple(dict.fromkeys(f.check_id for _, f in ordered[1:] if f.check_id != front.check_id))
        keep[id(front)] = front.model_copy(update={"same_risk": others})
        dropped.update(id(f) for _, f in ordered[1:])
    out: list[CheckReport] = []
    for report in rated:
        findings = tuple(keep.get(id(f), f) for f in report.findings if id(f) not in dropped)
        merged = len(report.findings) - len(findings)
        update: dict[str, object] = {"findings": findings}
        if merged:
            note = f"{merged} finding(s) shown once with another check's finding of the same risk"
            update["detail"] = f"{report.detail}; {note}" if report.detail else note
        out.append(report.model_copy(update=update))
    return out


def _rate(finding: Finding, table: dict[str, Risk]) -> Finding:
    risk = table.get(finding.check_id)
    if risk is None:
        return finding
    unknown = finding.tool == "policies" and finding.severity == Severity.INFO  # "could not verify": stays INFO
    return finding.model_copy(update={"risk": risk.id, "severity": finding.severity if unknown else risk.severity})
