"""Findings as a reviewer reads them on a big PR: by file, then by resource, then by check, counts first.

Several findings of one check on one resource (cfn-lint reporting three properties) are one row with a count
and their lines; files are ordered by their worst finding, resources and rows by severity.  ``limit`` caps the
rows rendered so ``comment.md`` fits GitHub's 65,536 characters; the rest are counted, and are all in SARIF and
``gate-plan.json``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gate.models import Finding, Severity


@dataclass
class Row:
    severity: Severity
    check_ids: tuple[str, ...]  # the check, then the other checks of the same risk
    title: str
    tool: str
    lines: list[int] = field(default_factory=list)
    count: int = 0
    waived: str | None = None
    remediation: str | None = None
    docs_url: str | None = None


@dataclass
class ResourceGroup:
    resource: str  # '-' for findings on the file as a whole
    rows: list[Row] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(r.count for r in self.rows)


@dataclass
class FileGroup:
    file: str
    resources: list[ResourceGroup] = field(default_factory=list)

    @property
    def rows(self) -> list[Row]:
        return [row for group in self.resources for row in group.rows]

    @property
    def has_open(self) -> bool:
        return any(not r.waived for r in self.rows)

    @property
    def worst(self) -> Severity:
        return max((r.severity for r in self.rows if not r.waived), default=Severity.INFO)

    def counts(self) -> str:
        """'3 high, 1 medium; 1 waived'"""
        by: dict[Severity, int] = {}
        waived = 0
        for row in self.rows:
            if row.waived:
                waived += row.count
            else:
                by[row.severity] = by.get(row.severity, 0) + row.count
        text = ", ".join(f"{n} {sev.name.lower()}" for sev, n in sorted(by.items(), reverse=True))
        return text + (f"{'; ' if text else ''}{waived} waived" if waived else "")


@dataclass
class FindingsView:
    files: list[FileGroup]
    total_rows: int
    shown_rows: int
    resources: int

    @property
    def hidden_rows(self) -> int:
        return self.total_rows - self.shown_rows


@dataclass
class CheckSummary:
    check_id: str
    severity: Severity
    title: str
    count: int
    resources: int


def group(findings: tuple[Finding, ...] | list[Finding], limit: int | None = None) -> FindingsView:
    files: dict[str, dict[str, dict[tuple[str, ...], Row]]] = {}
    for f in sorted(findings, key=lambda f: (f.waived is not None, -f.severity, f.check_id, f.line or 0)):
        ids = (f.check_id, *f.same_risk)
        by_resource = files.setdefault(f.file or "(the change request)", {})
        rows = by_resource.setdefault(f.resource or "-", {})
        row = rows.setdefault(
            (*ids, f.waived or ""),
            Row(f.severity, ids, f.title, f.tool, waived=f.waived, remediation=f.remediation, docs_url=f.docs_url),
        )
        row.count += 1
        if f.line:
            row.lines.append(f.line)
    groups = [
        FileGroup(path, [ResourceGroup(res, list(rows.values())) for res, rows in by_resource.items()])
        for path, by_resource in files.items()
    ]
    for g in groups:
        g.resources.sort(key=lambda r: (-max(row.severity for row in r.rows), r.resource))
    groups.sort(key=lambda g: (-g.worst, g.file))
    total = sum(len(g.rows) for g in groups)
    shown = 0
    if limit is not None:
        for g in groups:
            for res in g.resources:
                keep = max(0, min(len(res.rows), limit - shown))
                res.rows = res.rows[:keep]
                shown += keep
            g.resources = [r for r in g.resources if r.rows]
        groups = [g for g in groups if g.resources]
    else:
        shown = total
    resources = len({(f.file, f.resource) for f in findings if f.resource})
    return FindingsView(groups, total, shown, resources)


def by_check(findings: tuple[Finding, ...] | list[Finding]) -> list[CheckSummary]:
    """Open findings per check, most frequent first (the table a big PR starts with)."""
    out: dict[str, CheckSummary] = {}
    seen: dict[str, set[tuple[str | None, str | None]]] = {}
    for f in findings:
        if f.waived:
            continue
        entry = out.setdefault(f.check_id, CheckSummary(f.check_id, f.severity, f.title, 0, 0))
        entry.count += 1
        seen.setdefault(f.check_id, set()).add((f.file, f.resource))
        entry.resources = len(seen[f.check_id])
    return sorted(out.values(), key=lambda c: (-c.severity, -c.count, c.check_id))
