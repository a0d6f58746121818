"""The typed objects that flow between the pipeline's stages (see STYLE.md, "one pipeline, one contract").

``GatePlan`` is the contract: written as ``gate-plan.json`` on the PR side, its JSON schema committed in
``schema/gate-plan.schema.json``, and the only thing the merge side trusts.  Every output format (comment,
SARIF, job summary, ticket) is derived from it.  The cost stage's objects are in ``gate/models_cost.py`` and
re-exported here, so every one of them is imported from ``gate.models``.
"""

from __future__ import annotations

import enum
from typing import Literal

from pydantic import Field

from gate.models_base import _Frozen
from gate.models_cost import CostComponent as CostComponent
from gate.models_cost import CostLine as CostLine
from gate.models_cost import CostRecommendation as CostRecommendation
from gate.models_cost import CostReport as CostReport
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
    allow_data_loss: tuple[str, ...] = Field(
        default=(),
        description="logical ids whose removal or replacement may lose data ('*': all); from --allow-data-loss, "
        "the gate:allow-data-loss label or '/gate allow-data-loss <id>' comments by writers",
    )


class ChangeRequest(_Frozen):
    """The natural-language request and where it was found."""

    text: str
    origin: str = Field(description="cli, pr-body, comment, or file:<path>")
    refinements: tuple[str, ...] = Field(
        default=(),
        description="accepted '/gate plan <text>' refinements, in order, applied after text (a push re-plans them)",
    )


IaCFormat = Literal["cloudformation", "terraform", "terraform-plan"]  # terraform-plan: terraform show -json


class IaCFile(_Frozen):
    path: str
    format: IaCFormat
    sha256: str = Field(description="sha256 of the file as reviewed (before any redaction of content)")
    content: str
    redacted: bool = Field(
        default=False,
        description="content holds a secret and is stored redacted; such a plan is never applied",
    )
    role: Literal["root", "module"] = Field(
        default="root",
        description="module: Terraform a project calls (a local source or .terraform/modules), scanned through "
        "the module call, not as a project of its own",
    )


class ModuleCall(_Frozen):
    """A ``module`` block of a project (or of a module it calls), and the folder its source was read from."""

    address: str = Field(description="module.<name>, nested as module.<a>.module.<b>")
    source: str
    file: str = Field(description="the file with the module block")
    line: int | None = None
    dir: str | None = Field(default=None, description="the module's folder in the bundle; None: not evaluated")
    not_evaluated: str | None = Field(default=None, description="why the module could not be read")


class TerraformProject(_Frozen):
    """One Terraform root (a folder planned on its own, as Atlantis projects are), scanned once."""

    dir: str = Field(description="the folder, as the bundle's file paths name it ('.' for the top)")
    name: str
    reason: str = Field(description="why it is a project: given, configured, or the block/file that marks a root")
    modules: tuple[ModuleCall, ...] = ()


class NotEvaluated(_Frozen):
    """Terraform the gate did not scan, and why (a module it cannot read, an example that is not a project)."""

    path: str = Field(description="a folder, or module.<name> in <file>:<line>")
    reason: str


class IaCBundle(_Frozen):
    """The infrastructure code under review: synthesised from a spec, or written by hand in the PR."""

    origin: Literal["synthesised", "hand-written"]
    files: tuple[IaCFile, ...]
    projects: tuple[TerraformProject, ...] = Field(
        default=(), description="Terraform roots; empty: every folder with root Terraform files is one"
    )
    not_evaluated: tuple[NotEvaluated, ...] = ()

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
    defined_in: str | None = Field(
        default=None,
        description="file:line of the resource inside a Terraform module (file and line are the module call's)",
    )
    remediation: str | None = None
    docs_url: str | None = None
    compliance: tuple[str, ...] = ()
    waived: str | None = Field(default=None, description="waiver reason when a waiver in .gate.yml covers it")
    risk: str | None = Field(default=None, description="the risk it reports (policies/risks.yaml), which sets severity")
    same_risk: tuple[str, ...] = Field(
        default=(), description="other check ids that found the same risk on the same resource (shown once, here)"
    )


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


class ControlResult(_Frozen):
    """One framework control: failed (a live finding maps to it), passed (assessed, nothing found), waived
    (only waived findings) or unknown (only findings the gate could not verify statically)."""

    control: str
    status: Literal["pass", "fail", "waived", "unknown"]
    check_ids: tuple[str, ...] = ()
    resources: tuple[str, ...] = Field(default=(), description="resources with findings for this control")


class FrameworkResult(_Frozen):
    framework: str
    name: str
    passed: int = 0
    failed: int = 0
    waived: int = 0
    unknown: int = 0
    controls: tuple[ControlResult, ...] = ()


class ComplianceReport(_Frozen):
    """Per-framework pass/fail of the controls the reviewed change touches (``compliance.frameworks``)."""

    frameworks: tuple[FrameworkResult, ...] = ()


class Suggestion(_Frozen):
    """A concrete fix for hand-written IaC: replace lines ``start_line``..``end_line`` of ``file`` (a GitHub
    suggestion block on those lines); ``diff`` is the same change as a unified diff."""

    file: str
    start_line: int
    end_line: int
    resource: str
    check_ids: tuple[str, ...]
    replacement: str
    diff: str


class WaiverRecord(_Frozen):
    """A waiver from .gate.yml as it stood in this run (every waiver shows in the comment)."""

    check_id: str
    resource: str | None = None
    reason: str
    expires: str
    status: Literal["active", "expired", "unused"]
    matched: int = Field(default=0, description="findings it covered")


class StackBase(_Frozen):
    """The deployed stack a plan was made against. The plan is valid only against this base: apply refuses it
    ('stale plan') when the stack moved since, and reports 'already applied' when it runs the reviewed template."""

    stack_name: str = Field(description="the stack as deployed (environment prefix included)")
    logical_stack_name: str = Field(description="stack_name of .gate.yml, before any environment prefix")
    environment: str | None = Field(default=None, description="the .gate.yml environment planned against")
    region: str
    state: Literal["no-stack", "deployed", "unknown"] = Field(
        description="unknown: planned without an AWS endpoint, the stack was not read"
    )
    template_sha256: str | None = Field(default=None, description="sha256 of the deployed template's text")
    parameters_sha256: str | None = Field(default=None, description="sha256 of the deployed parameter values")
    stack_status: str | None = None
    managed: tuple[str, ...] = Field(default=(), description="spec resources the deployed stack holds")
    unmanaged: tuple[str, ...] = Field(
        default=(), description="logical ids in the deployed stack not managed by the spec, kept as they are"
    )


class TerraformRun(_Frozen):
    """A Terraform root the gate planned itself: what apply must find unchanged to apply exactly this plan."""

    root: str = Field(description="the root folder, as given (relative to where the gate ran)")
    planfile: str = Field(description="the binary planfile 'terraform plan -out' wrote, next to gate-plan.json")
    planfile_sha256: str
    config_sha256: str = Field(description="sha256 over the root's Terraform files (path and content) at plan time")
    state_serial: int | None = Field(default=None, description="the state's serial at plan time (None: no state)")
    state_lineage: str | None = None
    base_commit: str | None = Field(
        default=None, description="the PR's base commit; a rollback after an alarm applies the root as it was there"
    )
    base_config: str | None = Field(
        default=None, description="the folder next to gate-plan.json holding the root's files at base_commit"
    )
    base_config_sha256: str | None = Field(
        default=None, description="sha256 over base_config's files (path and content); empty: no root at the base"
    )


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
    cost: CostReport | None = None
    verdict: Verdict
    change_set_id: str | None = Field(default=None, description="the reviewed CloudFormation change set, if created")
    change_set_type: Literal["CREATE", "UPDATE", "IMPORT"] | None = Field(
        default=None, description="IMPORT: the reviewed change set adopts resources (apply never re-creates it)"
    )
    parameters: dict[str, str] = Field(
        default_factory=dict, description="stack parameters the change set was reviewed with; apply uses exactly these"
    )
    compliance: ComplianceReport | None = Field(default=None, description="when compliance.frameworks is set")
    suggestions: tuple[Suggestion, ...] = Field(default=(), description="fixes for hand-written IaC")
    waivers: tuple[WaiverRecord, ...] = Field(default=(), description="every waiver in .gate.yml and its status")
    base: StackBase | None = Field(
        default=None, description="the deployed stack the plan was made against (apply refuses a stale plan)"
    )
    terraform: TerraformRun | None = Field(
        default=None, description="the Terraform root planned with 'terraform plan -out' (apply applies that planfile)"
    )
    unchanged: tuple[str, ...] = Field(
        default=(),
        description="IaC files under the given paths that the change does not touch (check --changed-only): not "
        "gated, listed so the comment can say so",
    )
    timings: dict[str, float] = Field(
        default_factory=dict,
        description="wall seconds per stage of the run that made this plan, measured in-process (interpret, "
        "synthesise, checks.<id>, checks.checkov.import/scan/wait, cost, decide, render); not reviewed content",
    )
    peak_memory_mb: dict[str, float] = Field(
        default_factory=dict,
        description="peak resident memory per process of that run, in MB: 'gate', and 'checkov-worker' when "
        "checkov ran in its own process",
    )

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for report in self.checks for f in report.findings)


class AlarmFired(_Frozen):
    """A watched CloudWatch alarm that went to ALARM during the bake."""

    name: str
    at: str = Field(description="UTC ISO time the alarm's state changed")
    reason: str | None = None


class ApplyOutcome(_Frozen):
    """What ``devops-gate apply`` did to one stack in one region (also written to the audit log)."""

    run_id: str
    stack_name: str
    region: str
    environment: str | None = None
    outcome: Literal["applied", "no-changes", "already-applied", "rolled-back", "failed", "refused", "stale"]
    change_type: Literal["CREATE", "UPDATE"] | None = None
    change_set_id: str | None = None
    changes: tuple[ResourceChange, ...] = ()
    started_at: str
    finished_at: str
    alarm: AlarmFired | None = None
    rollback: str | None = Field(default=None, description="how the gate rolled back, when it did")
    detail: str | None = None
