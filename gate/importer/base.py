"""What every service reader shares: the live resource, links between resources, and the reader contract."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from gate.cloud.aws import AWS_ERRORS, AwsTarget, aws_error
from gate.spec import ResourceSpec
from gate.synth.hcl import Block, Raw, Value


@dataclass(frozen=True)
class Live:
    """One resource as the account describes it. ``data`` holds the describe answers a reader renders from."""

    service: str
    kind: str  # the spec kind it maps to (s3_bucket, ...)
    physical_id: str  # what CloudFormation calls its physical id (bucket name, queue URL, role name, sg id ...)
    arn: str | None
    label: str  # the human name (bucket, queue, role, function name; group name)
    tags: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id a stack resource, a state file or another resource may name it by."""
        return tuple(dict.fromkeys(i for i in (self.physical_id, self.arn, self.label) if i))


@dataclass(frozen=True)
class Target:
    """Where one imported resource lives in the output: its spec name, CloudFormation id, Terraform address."""

    name: str
    logical_id: str
    tf_type: str
    tf_name: str


class Links:
    """References between imported resources: an id or ARN of an imported resource becomes ``Ref`` /
    ``Fn::GetAtt`` and ``aws_x.y.id`` / ``.arn``; anything else stays the literal value."""

    def __init__(self, places: dict[str, Target]) -> None:
        self._places = places

    def target(self, value: str) -> Target | None:
        return self._places.get(value)

    def cfn(self, value: str, attr: str = "Ref") -> Any:
        place = self._places.get(value)
        if place is None:
            return value
        return {"Ref": place.logical_id} if attr == "Ref" else {"Fn::GetAtt": [place.logical_id, attr]}

    def tf(self, value: str, attr: str = "id") -> Value:
        place = self._places.get(value)
        return value if place is None else Raw(f"{place.tf_type}.{place.tf_name}.{attr}")

    def spec_ref(self, value: str) -> str | None:
        place = self._places.get(value)
        return place.name if place else None


@dataclass(frozen=True)
class Cfn:
    """The CloudFormation side of an imported resource: type, properties as live, and its import identifier."""

    type: str
    properties: dict[str, Any]
    identifier: dict[str, str]
    expressed: frozenset[str]  # the properties the spec entry expresses; every other one is raw


@dataclass(frozen=True)
class Tf:
    """The Terraform side: the resource blocks, and for each block the id ``import { id = ... }`` takes."""

    blocks: list[tuple[Block, str]]


@dataclass(frozen=True)
class SpecResult:
    """The spec entry (None when the resource does not fit the spec) and why a setting is not in it."""

    spec: ResourceSpec | None
    notes: dict[str, str] = field(default_factory=dict)  # property -> why the spec cannot express it


Wanted = Callable[[str], bool]  # by name: --name-prefix, checked before a resource's details are read


class Reader(Protocol):
    """One service: list what exists, then render one live resource (the spec, CloudFormation, Terraform)."""

    service: str
    # where it runs and its resources are written among all readers (lower first; unique): what others refer to
    # comes first (a VPC before its subnets and groups, roles before functions, a function's triggers last)
    import_order: int
    cfn_type: str
    tf_type: str
    logical_suffix: str  # as the synthesiser names it (Bucket, Queue ...), so a later delta keeps the id

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        """The live resources whose name ``wanted`` keeps (asked before reading their details)."""
        ...

    def spec(self, live: Live, name: str, links: Links) -> SpecResult: ...

    def cloudformation(self, live: Live, links: Links) -> Cfn: ...

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf: ...


def call(target: AwsTarget, doing: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
    """One AWS call; a failure becomes a GateError saying what was being read and where."""
    try:
        return fn(**kwargs)
    except AWS_ERRORS as exc:
        raise aws_error(exc, doing, target) from exc


def optional(target: AwsTarget, doing: str, missing: tuple[str, ...], fn: Callable[..., Any], **kwargs: Any) -> Any:
    """An AWS call whose 'not configured' error codes (``missing``) mean None, not a failure."""
    from botocore.exceptions import ClientError

    try:
        return fn(**kwargs)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in missing:
            return None
        raise aws_error(exc, doing, target) from exc
    except AWS_ERRORS as exc:
        raise aws_error(exc, doing, target) from exc


def pages(target: AwsTarget, client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[Any]:
    """Every item of a paginated list call."""
    try:
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key, [])
    except AWS_ERRORS as exc:
        raise aws_error(exc, f"listing ({operation})", target) from exc


def tag_map(raw: list[dict[str, str]] | None, key: str = "Key", value: str = "Value") -> dict[str, str]:
    return {str(t[key]): str(t[value]) for t in raw or []}


def cfn_tags(tags: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items()) if not k.startswith("aws:")]


def spec_name(label: str) -> str:
    """A physical name as a spec name: lowercase letters, digits and '-', at most 63 characters."""
    name = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:63].strip("-")
    return name or "imported"
