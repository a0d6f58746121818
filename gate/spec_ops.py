"""Resource kinds for access and operations: IAM roles, users, groups and policies; CloudWatch alarms and logs.

Part of the typed change spec; ``gate/spec.py`` gathers every kind into ``ResourceSpec`` and re-exports it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from gate.spec_base import _Base
from gate.spec_parts import Arn, OidcTrust, PolicyStatement, Ref, ServicePrincipal

# AWS managed policies that grant (nearly) everything: refused on any role, named as dangerous
DANGEROUS_MANAGED = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")


class IamRole(_Base):
    """An IAM role assumed by named AWS services, with least-privilege inline statements and managed policies."""

    kind: Literal["iam_role"] = "iam_role"
    assumed_by: list[ServicePrincipal] = Field(default_factory=list, max_length=10, description="service principals")
    trusted_accounts: list[Annotated[str, Field(pattern=r"^\d{12}$")]] = Field(
        default_factory=list, max_length=10, description="other AWS accounts that may assume the role (by id)"
    )
    external_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_+=,.@:/-]{2,1224}$",
        description="sts:ExternalId the trusted accounts must pass",
    )
    federated: OidcTrust | None = Field(default=None, description="web identity (OIDC) federation, e.g. GitHub")
    statements: list[PolicyStatement] = Field(default_factory=list, max_length=50)
    policy_refs: list[Ref] = Field(default_factory=list, max_length=10, description="iam_policy names to attach")
    aws_managed_policies: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9+=,.@_/-]{1,128}$")]] = Field(
        default_factory=list,
        max_length=10,
        description="AWS managed policy names with their path, e.g. service-role/AWSLambdaBasicExecutionRole",
    )
    path: str = Field(default="/", pattern=r"^/(?:[\x21-\x7e]{1,510}/)?$", description="IAM path, e.g. /sandbox/")
    permissions_boundary: Arn | None = Field(default=None, description="managed policy ARN capping the role")
    instance_profile: bool = Field(default=False, description="an instance profile of its own (EC2 roles)")
    max_session_hours: int = Field(default=1, ge=1, le=12)
    description: str = Field(default="managed by devops-gate", max_length=1000)

    @field_validator("aws_managed_policies")
    @classmethod
    def _no_admin(cls, value: list[str]) -> list[str]:
        for name in value:
            if name.split("/")[-1] in DANGEROUS_MANAGED:
                raise ValueError(f"managed policy {name!r} is dangerous and refused (least privilege)")
        return value

    @field_validator("permissions_boundary")
    @classmethod
    def _boundary_is_policy(cls, value: str | None) -> str | None:
        if value is not None and ":policy/" not in value:
            raise ValueError("permissions_boundary must be a managed policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)")
        return value

    @model_validator(mode="after")
    def _trusted(self) -> IamRole:
        if not (self.assumed_by or self.trusted_accounts or self.federated):
            raise ValueError("a role needs someone to assume it: assumed_by, trusted_accounts or federated")
        if self.external_id and not self.trusted_accounts:
            raise ValueError("external_id applies to trusted_accounts only")
        return self


class IamUser(_Base):
    """An IAM user: permissions come from groups only; no access keys or console password are created."""

    kind: Literal["iam_user"] = "iam_user"
    group_refs: list[Ref] = Field(default_factory=list, max_length=10, description="iam_group names")


class IamGroup(_Base):
    kind: Literal["iam_group"] = "iam_group"
    statements: list[PolicyStatement] = Field(default_factory=list, max_length=50)
    policy_refs: list[Ref] = Field(default_factory=list, max_length=10, description="iam_policy names to attach")


class IamPolicy(_Base):
    """A customer managed policy: named actions on named resources."""

    kind: Literal["iam_policy"] = "iam_policy"
    description: str = Field(default="managed by devops-gate", max_length=1000)
    statements: list[PolicyStatement] = Field(min_length=1, max_length=50)
    existing_roles: list[Annotated[str, Field(pattern=r"^[\w+=,.@-]{1,64}$")]] = Field(
        default_factory=list, max_length=10, description="existing IAM roles (by name) the policy is attached to"
    )


class CloudwatchAlarm(_Base):
    """A metric alarm on a resource in this spec (target_ref) or on explicit dimensions, notifying an SNS topic."""

    kind: Literal["cloudwatch_alarm"] = "cloudwatch_alarm"
    namespace: str = Field(default="AWS/EC2", pattern=r"^[A-Za-z0-9/._#:-]{1,255}$")
    metric: str = Field(default="CPUUtilization", pattern=r"^[A-Za-z0-9._/#:-]{1,255}$")
    statistic: Literal["Average", "Sum", "Minimum", "Maximum", "SampleCount"] = "Average"
    comparison: Literal[
        "GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold"
    ] = "GreaterThanThreshold"
    threshold: float = 80.0
    period_s: int = Field(default=300, ge=10, le=86400)
    evaluation_periods: int = Field(default=2, ge=1, le=100)
    dimensions: dict[str, str] = Field(default_factory=dict, max_length=30)
    target_ref: Ref | None = Field(default=None, description="resource in this spec the metric is about")
    alarm_topic_ref: Ref | None = Field(default=None, description="sns_topic notified on ALARM and OK")
    alarm_topic_arns: list[Arn] = Field(default_factory=list, max_length=5, description="existing SNS topics, by ARN")
    treat_missing_data: Literal["missing", "breaching", "notBreaching", "ignore"] = "missing"

    @field_validator("period_s")
    @classmethod
    def _period_ok(cls, value: int) -> int:
        if value not in (10, 30) and value % 60:
            raise ValueError("period_s must be 10, 30 or a multiple of 60")
        return value


class LogGroup(_Base):
    kind: Literal["log_group"] = "log_group"
    log_group_name: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_./#-]{1,512}$")
    retention_days: Literal[1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                            2922, 3288, 3653] = 365  # fmt: skip
    kms_key_arn: Arn | None = Field(default=None, description="KMS key for the logs (the key policy must allow logs)")
