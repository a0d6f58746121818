"""``.gate.yml`` -> frozen, validated settings.

Parse, then validate: a bad file is refused with the file, the key and the fix.  Config is read from the
base branch in CI (never from the PR under review); see docs in README.md.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from gate.errors import GateError
from gate.models import Severity
from gate.textfile import read_bounded

DEFAULT_CONFIG_FILE = ".gate.yml"
MAX_CONFIG_BYTES = 1024 * 1024
MAX_CONFIG_DEPTH = 32  # .gate.yml nests 4 levels; deeper is not a settings file


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AwsSettings(_Section):
    region: str = "us-east-1"
    endpoint_url: str | None = Field(
        default=None, description="AWS endpoint (a moto server, LocalStack); real AWS when unset"
    )


CheckName = Literal["cfn-lint", "checkov", "policies", "secrets", "least-privilege"]
CHECK_NAMES: tuple[CheckName, ...] = ("cfn-lint", "checkov", "policies", "secrets", "least-privilege")


class CheckSettings(_Section):
    enabled: tuple[CheckName, ...] = Field(default=CHECK_NAMES, description="the checks that run, in this order")
    allow_no_checks: bool = Field(
        default=False, description="allow 'enabled: []' (a gate that checks nothing); refused unless set"
    )
    checkov_skip: tuple[str, ...] = Field(default=(), description="checkov check ids not to run")
    cfn_lint_ignore: tuple[str, ...] = Field(default=(), description="cfn-lint rule ids not to report")

    @model_validator(mode="after")
    def _some_check(self) -> CheckSettings:
        if not self.enabled and not self.allow_no_checks:
            raise ValueError(
                "is empty, so nothing would be checked and every change would pass: list the checks to run "
                f"({', '.join(CHECK_NAMES)}), or set checks.allow_no_checks: true if that is really meant"
            )
        return self


class LimitSettings(_Section):
    """Bounds on what one run reads (``limits:``): input past a limit is refused with exit 2, never half-read."""

    request_bytes: int = Field(default=64 * 1024, ge=1, description="change request text (UTF-8 bytes)")
    event_bytes: int = Field(default=25 * 1024 * 1024, ge=1, description="webhook payload file (GitHub's cap)")
    template_bytes: int = Field(default=4 * 1024 * 1024, ge=1, description="one IaC file (CloudFormation's 1 MB x4)")
    total_iac_bytes: int = Field(default=16 * 1024 * 1024, ge=1, description="all IaC files of one run together")
    resources: int = Field(default=2500, ge=1, description="resources in one run (CloudFormation allows 500/stack)")
    artifact_bytes: int = Field(default=256 * 1024 * 1024, ge=1, description="a plan artifact, uncompressed")
    artifact_ratio: int = Field(default=200, ge=1, description="largest uncompressed/compressed ratio of a member")


class Thresholds(_Section):
    fail_on: Severity = Severity.HIGH
    approval_on: Severity | None = Severity.MEDIUM
    new_findings_only: bool | None = Field(
        default=None,
        description="findings also present at the base ref (same check, same resource) do not block; unset: on "
        "for hand-written IaC with a base ref (--base-ref / GITHUB_BASE_REF), off for generated plans",
    )

    @field_validator("fail_on", "approval_on", mode="before")
    @classmethod
    def _severity(cls, value: object) -> object:
        if isinstance(value, str):
            return Severity.parse(value)
        return value


class Waiver(_Section):
    check_id: str
    resource: str | None = None
    reason: str = Field(min_length=3)
    expires: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD; an expired waiver fails")

    @field_validator("expires", mode="before")
    @classmethod
    def _date(cls, value: object) -> object:
        # a YAML date (from a loader other than parse_config's, which keeps dates as text) is accepted as well
        return value.isoformat() if isinstance(value, dt.date) else value

    @field_validator("expires")
    @classmethod
    def _real_date(cls, value: str) -> str:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            year, month, _ = (int(part) for part in value.split("-"))
            hint = f", e.g. {_last_day(year, month)}" if 1 <= month <= 12 and 1 <= year < 9999 else ""
            raise ValueError(f"{value} is not a calendar date: write a day that exists as YYYY-MM-DD{hint}") from None
        return value

    @property
    def expires_on(self) -> dt.date:
        return dt.date.fromisoformat(self.expires)


def _last_day(year: int, month: int) -> str:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).isoformat()


class CostThreshold(_Section):
    limit: float = Field(ge=0, description="USD per month, or percent for percent_increase")
    action: Literal["block", "approval"] = "approval"


class CostThresholds(_Section):
    monthly_delta_usd: CostThreshold | None = Field(default=None, description="monthly increase in USD")
    percent_increase: CostThreshold | None = Field(default=None, description="monthly increase in percent of base")
    monthly_total_usd: CostThreshold | None = Field(default=None, description="monthly total after the change")


class CostSettings(_Section):
    enabled: bool = True
    usage_file: str | None = Field(default=None, description="usage estimates, like infracost's usage.yml")
    prices_dir: str | None = Field(
        default=None, description="folder of <region>.json price tables (from 'prices refresh'); bundled when unset"
    )
    rightsizing_cpu_percent: float = Field(default=10.0, ge=0, le=100, description="avg CPU below this: right-size")
    thresholds: CostThresholds = CostThresholds()


TrackerState = Literal["blocked", "needs-approval", "approved", "deployed", "rolled-back"]
_ENV_VAR_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
JiraFact = Literal[
    "environment", "state", "verdict", "cost_delta", "findings", "findings_count", "pr_url", "plan_sha256", "repository"
]


class JiraSettings(_Section):
    """One change ticket per PR and environment (credentials: JIRA_USER + JIRA_API_TOKEN, or JIRA_PAT)."""

    server: str = Field(pattern=r"^https?://", description="Jira base URL, e.g. https://acme.atlassian.net")
    project: str = Field(pattern=r"^[A-Z][A-Z0-9_]{1,254}$", description="project key, e.g. OPS")
    issue_type: str = "Task"
    labels: tuple[str, ...] = Field(default=(), description="extra labels on every ticket (no spaces)")
    fields: dict[JiraFact, str] = Field(
        default_factory=dict, description="our fact -> Jira field id (customfield_10050) or field name"
    )
    transitions: dict[TrackerState, str] = Field(
        default_factory=dict, description="our state -> the name of the workflow transition that reaches it"
    )
    approved_statuses: tuple[str, ...] = Field(default=("Approved",), description="statuses that mean approved")
    auto_approve_on_pass: bool = Field(default=True, description="a passing plan moves the ticket to approved")
    require_approval_before_apply: bool = False
    timeout_seconds: float = Field(default=15.0, gt=0)


class NotificationTarget(_Section):
    kind: Literal["slack", "teams", "webhook"]
    url_env: str = Field(description="NAME of the environment variable holding the webhook URL (never the URL)")
    card: Literal["adaptive", "messagecard"] = Field(default="adaptive", description="Teams only: card format")

    @field_validator("url_env")
    @classmethod
    def _env_name(cls, value: str) -> str:
        if not re.match(_ENV_VAR_NAME, value):
            raise ValueError(
                "must be the NAME of an environment variable that holds the webhook URL (e.g. SLACK_WEBHOOK_URL), "
                "never the URL itself: webhook URLs are secrets"
            )
        return value


class EnvNotifications(_Section):
    events: tuple[TrackerState, ...] = ("blocked", "approved", "deployed", "rolled-back")
    targets: tuple[NotificationTarget, ...] = ()
    attempts: int = Field(default=3, ge=1, le=10, description="tries per message before it goes to the outbox")
    timeout_seconds: float = Field(default=10.0, gt=0)


class DeploySettings(_Section):
    """The merge side: bake, alarms, lock and audit log (``deploy:`` in .gate.yml)."""

    bake_minutes: float = Field(default=10.0, ge=0, description="watch the alarms this long after the stack is done")
    poll_seconds: float = Field(default=15.0, gt=0, description="how often to poll alarms and stack status")
    alarms: tuple[str, ...] = Field(default=(), description="CloudWatch alarm names to watch during the bake")
    alarm_tags: dict[str, str] = Field(
        default_factory=dict, description="also watch every alarm carrying all these tags (a tag selector)"
    )
    lock_table: str = Field(default="devops-gate-locks", pattern=r"^[A-Za-z0-9_.-]{3,255}$")
    create_lock_table: bool = Field(default=True, description="create the DynamoDB lock table when missing")
    lock_ttl_minutes: float = Field(default=30.0, gt=0, description="a lock not renewed this long is stale")
    lock_wait_seconds: float = Field(default=0.0, ge=0, description="wait this long for a held lock, then fail")
    stack_timeout_minutes: float = Field(default=60.0, gt=0)
    audit_path: str = Field(default=".gate-state/audit.jsonl", description="local JSONL audit log")
    audit_bucket: str | None = Field(default=None, description="S3 bucket for the audit log (instead of the file)")
    audit_prefix: str = "devops-gate/audit/"
    state_dir: str = Field(default=".gate-state", description="previous templates saved before each apply")
    stale_plans: Literal["replan-and-apply-if-same", "refuse"] = Field(
        default="replan-and-apply-if-same",
        description="on merge, a plan whose stack moved since review is re-planned; its re-plan is applied only when "
        "it makes exactly the reviewed changes and passes ('refuse': never applied, the PR is re-planned)",
    )
    plan_lock: bool = Field(
        default=True,
        description="a PR's plan holds a lock on its stack and environment until it is merged or closed (or a writer "
        "comments '/gate unlock'); another PR's plan is then blocked and says who holds it",
    )


class EnvironmentSettings(_Section):
    """One deployment environment: account role, regions in order, stack name prefix."""

    role_arn: str | None = Field(
        default=None, pattern=r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$", description="assumed through STS"
    )
    regions: tuple[str, ...] = Field(min_length=1, description="deployed in this order; stops at the first failure")
    stack_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9-]{0,64}$")


ComplianceFramework = Literal["hipaa", "pci-dss", "cis-aws", "aws-wa-security"]


class ComplianceSettings(_Section):
    frameworks: tuple[ComplianceFramework, ...] = Field(
        default=(), description="frameworks to report on (comment table, compliance.md/.json); none when empty"
    )


class LlmSettings(_Section):
    """The LLM interpreter (litellm); off unless a model is set. The API key comes from the environment only."""

    model: str | None = Field(
        default=None,
        max_length=200,
        pattern=r"^[A-Za-z0-9._:/@+-]+$",
        description="any litellm model string (openai/gpt-4o, anthropic/..., bedrock/..., ollama/...); unset: offline",
    )
    max_attempts: int = Field(default=3, ge=1, le=10, description="tries before the gate fails closed")
    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    timeout_seconds: float = Field(default=60.0, gt=0, le=600)


class ProjectSettings(_Section):
    """One Terraform project (``projects:`` as Atlantis writes it): a root folder scanned on its own."""

    dir: str = Field(min_length=1, description="the root folder, relative to the repository top ('.' for the top)")
    name: str | None = Field(default=None, description="shown in reports; the folder when unset")

    @field_validator("dir")
    @classmethod
    def _relative(cls, value: str) -> str:
        if value.startswith("/") or ".." in value.split("/"):
            raise ValueError("must be a folder inside the repository, relative to its top (e.g. live/prod)")
        return value.rstrip("/") or "."


class TerraformSettings(_Section):
    download_external_modules: bool = Field(
        default=False,
        description="let checkov download registry/git modules not in .terraform/modules (needs network)",
    )
    time_budget_seconds: float = Field(
        default=1800.0, gt=0, description="stop scanning further projects after this long; they are not evaluated"
    )
    root: str | None = Field(
        default=None, description="a Terraform root 'check --tf-root' plans when no folder is given (terraform plan)"
    )
    backend_config: dict[str, str] = Field(
        default_factory=dict,
        description="-backend-config KEY=VALUE for terraform init (the S3 backend: bucket, key, region, "
        "dynamodb_table for the lock)",
    )
    variables: dict[str, str] = Field(default_factory=dict, description="-var NAME=VALUE for plan (never secrets)")
    plugin_mirror: str | None = Field(
        default=None,
        description="a provider filesystem mirror (terraform providers mirror DIR) for terraform the gate runs",
    )


class GateConfig(_Section):
    version: Literal[1] = 1
    stack_name: str = Field(default="devops-gate-change", pattern=r"^[A-Za-z][A-Za-z0-9-]{0,127}$")
    parameters: dict[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,255}$")], str] = Field(
        default_factory=dict,
        description="CloudFormation stack parameters (name -> value) the change set is planned and applied with; "
        "never secrets: use dynamic references ({{resolve:secretsmanager:...}}) in the template",
    )
    aws: AwsSettings = AwsSettings()
    checks: CheckSettings = CheckSettings()
    limits: LimitSettings = LimitSettings()
    thresholds: Thresholds = Thresholds()
    policy_dirs: tuple[str, ...] = Field(
        default=(), description="extra policy folders (org rules, e.g. .gate/policies), read from the base branch"
    )
    waivers: tuple[Waiver, ...] = ()
    compliance: ComplianceSettings = ComplianceSettings()
    cost: CostSettings = CostSettings()
    llm: LlmSettings = LlmSettings()
    jira: JiraSettings | None = Field(default=None, description="change tickets; off when unset")
    notifications: dict[str, EnvNotifications] = Field(
        default_factory=dict, description="environment name ('default' without --env) -> chat/webhook targets"
    )
    deploy: DeploySettings = DeploySettings()
    projects: tuple[ProjectSettings, ...] = Field(
        default=(),
        description="Terraform roots to scan (as Atlantis projects); unset: detected (backend/provider blocks, "
        "terraform.tfvars), examples and nested modules left out",
    )
    terraform: TerraformSettings = TerraformSettings()
    environments: dict[str, EnvironmentSettings] = Field(
        default_factory=dict, description="environment name -> account role, regions and stack prefix"
    )


def load_config(path: str | None) -> tuple[GateConfig, str | None]:
    """Load ``path``, or ``.gate.yml`` when it exists, or the defaults. Returns the settings and the file used."""
    if path is None:
        if not Path(DEFAULT_CONFIG_FILE).is_file():
            return GateConfig(), None
        path = DEFAULT_CONFIG_FILE
    fix = "pass --config with a readable .gate.yml, or leave it out to use the defaults"
    text = read_bounded(path, MAX_CONFIG_BYTES, "the config file", fix, "keep .gate.yml to settings")
    return parse_config(text, path), path


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML with dates kept as text: an impossible date (2027-02-30) then fails validation under its own key,
    instead of failing inside the YAML reader with no key at all."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_ConfigLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def parse_config(text: str, source: str) -> GateConfig:
    try:
        raw = yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise GateError(f"is not valid YAML{where}", source=source, fix="correct the YAML syntax") from exc
    except RecursionError as exc:
        raise GateError(
            "nests too deeply to be a settings file", source=source, fix="see README, 'Configuration'"
        ) from exc
    if _depth(raw) > MAX_CONFIG_DEPTH:
        raise GateError(
            f"nests deeper than {MAX_CONFIG_DEPTH} levels, which no setting does", source=source, fix="see README"
        )
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise GateError("must be a YAML mapping of settings", source=source, fix="see README.md, 'Configuration'")
    try:
        return GateConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        extra = f" (and {exc.error_count() - 1} more problem(s))" if exc.error_count() > 1 else ""
        raise GateError(
            f"key '{key}': {first['msg'].removeprefix('Value error, ')}{extra}",
            source=source,
            fix="correct that key; README.md 'Configuration' lists every key and its allowed values",
        ) from exc


def _depth(node: object, level: int = 0) -> int:
    """How deep ``node`` nests (iteratively bounded: stops counting past MAX_CONFIG_DEPTH)."""
    if level > MAX_CONFIG_DEPTH or not isinstance(node, dict | list):
        return level
    children = node.values() if isinstance(node, dict) else node
    return max((_depth(child, level + 1) for child in children), default=level + 1)
