"""The typed objects that flow between the pipeline's stages (see STYLE.md, "one pipeline, one contract").

``GatePlan`` is the contract: written as ``gate-plan.json`` on the PR side, its JSON schema committed in
``schema/gate-plan.schema.json``, and the only thing the merge side trusts.  Every output format (comment,
SARIF, job summary, ticket) is derived from it.
"""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gate.spec import ChangeSpec

PLAN_FORMAT_VERSION = 1


class Severity(enum.IntEnum):
    """Ordered severities; a threshold compares with ``>=``."""

    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            names = ", ".join(s.name.lower() for s in cls)
            raise ValueError(f"unknown severity {value!r}; use one of {names}") from None


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChangeContext(_Frozen):
    """Where a change comes from: the CI event, repository and pull request, or a local run."""

    source: Literal["cli", "github", "codepipeline"] = "cli"
    event_name: str | None = None
    repository: str | None = None
    pr_number: int | None = None
    pr_url: str | None = None
    head_sha: str | None = None
    base_ref: str | None = None
    actor: str | None = None
    is_fork: bool = False
    labels: tuple[str, ...] = ()


class ChangeRequest(_Frozen):
    """The natural-language request and where it was found."""

    text: str
    origin: str = Field(description="cli, pr-body, comment, or file:<path>")


IaCFormat = Literal["cloudformation", "terraform"]


class IaCFile(_Frozen):
    path: str
    format: IaCFormat
    sha256: str
    content: str


class IaCBundle(_Frozen):
    """The infrastructure code under review: synthesised from a spec, or written by hand in the PR."""

    origin: Literal["synthesised", "hand-written"]
    files: tuple[IaCFile, ...]

    def by_format(self, fmt: str) -> tuple[IaCFile, ...]:
        return tuple(f for f in self.files if f.format == fmt)


class ResourceRow(_Frozen):
    """One resource in the plan, for tables and change sets."""

    logical_id: str
    type: str
    file: str
    spec_name: str | None = None
    depends_on: tuple[str, ...] = ()


class Finding(_Frozen):
    check_id: str
    tool: str
    severity: Severity
    title: str
    resource: str | None = None
    file: str | None = None
    line: int | None = None
    remediation: str | None = None
    docs_url: str | None = None
    compliance: tuple[str, ...] = ()
    waived: str | None = Field(default=None, description="waiver reason when a waiver in .gate.yml covers it")


class CheckReport(_Frozen):
    """What one check did. A check that could not run is reported, never silently skipped."""

    check: str
    status: Literal["ran", "error", "not-applicable"]
    detail: str | None = None
    findings: tuple[Finding, ...] = ()
    seconds: float = 0.0


class ResourceChange(_Frozen):
    """One line of a CloudFormation change set (or its equivalent)."""

    logical_id: str
    type: str
    action: Literal["Add", "Modify", "Remove", "Import", "Dynamic"]
    replacement: Literal["True", "False", "Conditional", "Unknown"] = "Unknown"
    replacement_source: Literal["aws", "schema", "none"] = "none"
    details: tuple[str, ...] = ()


class Verdict(_Frozen):
    decision: Literal["pass", "needs-approval", "blocked"]
    reasons: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return 0 if self.decision == "pass" else 1


class GatePlan(_Frozen):
    """``gate-plan.json``: everything that was reviewed, and the verdict."""

    format_version: int = PLAN_FORMAT_VERSION
    gate_version: str
    created_at: str
    context: ChangeContext
    request: ChangeRequest | None = None
    spec: ChangeSpec | None = None
    iac: IaCBundle
    bundle_sha256: str = Field(description="sha256 over every reviewed file (path and content hash)")
    template_sha256: str | None = Field(
        default=None, description="sha256 of the one CloudFormation template that apply will deploy, if any"
    )
    stack_name: str | None = None
    region: str
    resources: tuple[ResourceRow, ...]
    changes: tuple[ResourceChange, ...] = ()
    checks: tuple[CheckReport, ...]
    verdict: Verdict

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for report in self.checks for f in report.findings)
