"""Findings + what was assessed -> per-framework control results (pass / fail / waived / unknown).

A control is *assessed* when a check that maps to it ran over a resource type it reads (our rules name their
types; checkov ids have theirs in ``mappings.yaml``; the secrets check reads every file).  An assessed control
fails when a live finding maps to it, is waived when only waived findings do, is unknown when only findings the
gate could not verify statically do, and passes otherwise.  Controls no check assessed are not listed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from gate.checks import terraform_model
from gate.checks.least_privilege import IAM_TYPES
from gate.checks.policies import load_policy_rules
from gate.checks.policy_rules import PolicyRule
from gate.checks.secrets import COMPLIANCE as SECRET_TAGS
from gate.compliance.mappings import Tag, mappings, parse_tag
from gate.config import GateConfig
from gate.errors import GateError
from gate.models import CheckReport, ComplianceReport, ControlResult, Finding, FrameworkResult, ResourceRow, Severity

_UNVERIFIED = "could not verify statically"


def bundle_types(rows: Iterable[ResourceRow]) -> set[str]:
    """CloudFormation resource types in the bundle (Terraform types mapped to their CloudFormation names)."""
    out: set[str] = set()
    for row in rows:
        mapped = terraform_model.CFN_TYPE.get(row.type)
        out.add(mapped[0] if mapped else row.type)
    return out


def _applies(types: Iterable[str], present: set[str]) -> bool:
    return any(t == "*" or t in present for t in types) and bool(present)


def assessed_tags(
    reports: tuple[CheckReport, ...], rules: list[PolicyRule], present: set[str], config: GateConfig
) -> dict[str, set[str]]:
    """check id -> the tags it assessed in this run."""
    ran = {r.check for r in reports if r.status == "ran"}
    out: dict[str, set[str]] = defaultdict(set)
    if "policies" in ran:
        for rule in rules:
            if _applies(rule.resource_types, present):
                out[rule.id].update(rule.compliance)
    if "checkov" in ran:
        for check_id, mapping in mappings().checks.items():
            if check_id not in config.checks.checkov_skip and _applies(mapping.types, present):
                out[check_id].update(mapping.tags)
    if "secrets" in ran:
        out["secrets"].update(SECRET_TAGS)
    if "least-privilege" in ran and _applies(IAM_TYPES, present):
        out["least-privilege"].update(("PCI-DSS-7.2.1", "HIPAA-164.308(a)(4)", "AWS-WA-SEC03"))
    return out


def _finding_tags(finding: Finding) -> set[str]:
    tags = set(finding.compliance)
    for check_id in (finding.check_id, *finding.same_risk):  # one finding may stand for several checks
        mapped = mappings().checks.get(check_id)
        tags |= set(mapped.tags) if mapped else set()
    return tags


Status = Literal["pass", "fail", "waived", "unknown"]


def _status(findings: list[Finding]) -> Status:
    live = [f for f in findings if f.waived is None]
    if any(not f.title.startswith(_UNVERIFIED) for f in live):
        return "fail"
    if live:
        return "unknown"
    return "waived" if findings else "pass"


def build_compliance(
    reports: tuple[CheckReport, ...], rows: Iterable[ResourceRow], rules: list[PolicyRule], config: GateConfig
) -> ComplianceReport | None:
    frameworks = config.compliance.frameworks
    if not frameworks:
        return None
    data = mappings()
    present = bundle_types(rows)
    controls: dict[Tag, list[Finding]] = {}
    checks_of: dict[Tag, set[str]] = defaultdict(set)
    for check_id, tags in assessed_tags(reports, rules, present, config).items():
        for raw in tags:
            tag = parse_tag(raw)
            if tag is not None:
                controls.setdefault(tag, [])
                checks_of[tag].add(check_id)
    for report in reports:
        for finding in report.findings:
            if finding.severity == Severity.INFO and not finding.title.startswith(_UNVERIFIED):
                continue  # advice (a proposed narrower policy), not a control failure
            for raw in _finding_tags(finding):
                tag = parse_tag(raw)
                if tag is not None:
                    controls.setdefault(tag, []).append(finding)
                    checks_of[tag].add(finding.check_id)
    results: list[FrameworkResult] = []
    for key in frameworks:
        framework = data.frameworks[key]
        order = list(framework.controls)
        items = []
        for tag in sorted((t for t in controls if t.framework == key), key=lambda t: order.index(t.control)):
            found = controls[tag]
            items.append(
                ControlResult(
                    control=tag.control,
                    status=_status(found),
                    check_ids=tuple(sorted(checks_of[tag])),
                    resources=tuple(sorted({f.resource for f in found if f.resource})),
                )
            )
        counts = {s: sum(1 for c in items if c.status == s) for s in ("pass", "fail", "waived", "unknown")}
        results.append(
            FrameworkResult(
                framework=key,
                name=framework.name,
                passed=counts["pass"],
                failed=counts["fail"],
                waived=counts["waived"],
                unknown=counts["unknown"],
                controls=tuple(items),
            )
        )
    return ComplianceReport(frameworks=tuple(results))


def control_title(framework: str, control: str) -> str:
    return mappings().frameworks[framework].controls.get(control, "")


def compliance_for(
    reports: tuple[CheckReport, ...], rows: Iterable[ResourceRow], config: GateConfig
) -> ComplianceReport | None:
    """The report for the configured frameworks (None when none are configured)."""
    if not config.compliance.frameworks:
        return None
    try:
        rules = load_policy_rules(config.policy_dirs)
    except GateError:
        rules = load_policy_rules(())  # the policies check already reported the bad folder (and blocked)
    return build_compliance(reports, rows, rules, config)
