"""The typed change spec: what a change request asks for, independent of CloudFormation or Terraform.

Every resource kind the gate can build is one model here, told apart by its ``kind`` field; the union
``ResourceSpec`` is what interpreters produce and synthesisers consume (``gate/synth/registry.py`` maps each
kind to its synthesiser).  References between resources are by ``name`` (fields ending in ``_ref``).
The JSON schema of :class:`ChangeSpec` is what an LLM is asked to fill, so every field is described and
bounded: nothing outside this schema can reach the synthesisers.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
BUCKET_RE = re.compile(r"^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="Short kebab-case name, unique in the spec; other resources refer to it.")
    tags: dict[str, str] = Field(default_factory=dict, description="Tags to put on the resource.")

    @field_validator("name")
    @classmethod
    def _name_ok(cls, value: str) -> str:
        if not NAME_RE.match(value):
            raise ValueError(f"name {value!r} must be lowercase letters, digits and '-', at most 63 characters")
        return value


StorageClass = Literal["STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"]


class LifecycleTransition(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    days: int = Field(ge=0, le=36500)
    storage_class: StorageClass


class LifecycleRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(default="rule", max_length=255)
    prefix: str | None = None
    expiration_days: int | None = Field(default=None, ge=1, le=36500)
    transitions: list[LifecycleTransition] = Field(default_factory=list)
    noncurrent_expiration_days: int | None = Field(default=None, ge=1, le=36500)
    abort_incomplete_multipart_days: int | None = Field(default=7, ge=1, le=365)


class S3Bucket(_Base):
    """An S3 bucket. Secure by default: private, encrypted, versioned, TLS-only."""

    kind: Literal["s3_bucket"] = "s3_bucket"
    bucket_name: str | None = Field(default=None, description="Globally unique bucket name; generated if absent.")
    versioning: bool = True
    encryption: Literal["aes256", "kms"] = "aes256"
    kms_key_arn: str | None = None
    block_public_access: bool = True
    lifecycle_rules: list[LifecycleRule] = Field(default_factory=list)
    access_log_bucket: str | None = Field(default=None, description="Bucket name that receives access logs.")

    @field_validator("bucket_name")
    @classmethod
    def _bucket_ok(cls, value: str | None) -> str | None:
        if value is not None and not BUCKET_RE.match(value):
            raise ValueError(f"bucket name {value!r} is not valid: use 3-63 lowercase letters, digits, '.' and '-'")
        return value


AL2023_X86 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
AL2023_ARM = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
_GRAVITON_RE = re.compile(r"^(?:a1|[a-z]+\d+g[a-z]*)\.")


def is_graviton(instance_type: str) -> bool:
    """True for Arm (Graviton) instance types such as t4g, c6g, m7gd, which need an arm64 AMI."""
    return bool(_GRAVITON_RE.match(instance_type))


class Ec2Instance(_Base):
    """One or more identical EC2 instances. Secure by default: IMDSv2, encrypted gp3 root, monitoring."""

    kind: Literal["ec2_instance"] = "ec2_instance"
    instance_type: str = Field(default="t3.micro", pattern=r"^[a-z][a-z0-9-]*\.[a-z0-9]+$")
    count: int = Field(default=1, ge=1, le=50)
    ami_ssm_parameter: str = Field(default=AL2023_X86, description="SSM public parameter that resolves to the AMI id.")
    root_volume_gb: int = Field(default=20, ge=8, le=16384)
    root_volume_type: Literal["gp3", "gp2", "io1", "io2", "st1", "sc1"] = "gp3"
    subnet_ref: str | None = Field(default=None, description="name of a subnet in this spec")
    key_name: str | None = None
    user_data: str | None = Field(default=None, max_length=16384)
    purpose: str | None = Field(default=None, max_length=200, description="What the instances are for.")


ResourceSpec = Annotated[S3Bucket | Ec2Instance, Field(discriminator="kind")]


class Assumption(BaseModel):
    """A default the interpreter chose that the reviewer may want to change."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    resource: str | None = None
    field: str
    value: str
    reason: str


class ChangeSpec(BaseModel):
    """What the change request asks for, as typed resources."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    summary: str = Field(max_length=500, description="One sentence that says what the change does.")
    resources: list[ResourceSpec] = Field(min_length=1, max_length=200)
    assumptions: list[Assumption] = Field(default_factory=list)

    @field_validator("resources")
    @classmethod
    def _unique_names(cls, value: list[ResourceSpec]) -> list[ResourceSpec]:
        seen: set[str] = set()
        for res in value:
            if res.name in seen:
                raise ValueError(f"two resources are named {res.name!r}; names must be unique")
            seen.add(res.name)
        return value
