"""Placement on a VPC of this spec or on existing network resources named by id.

A resource's subnets come from a VPC in the spec (``vpc_ref`` / ``subnet_ref``: a subnet tier) or are existing
subnets by id (``subnet_ids``); its security groups are groups of the spec (``security_group_refs``) and
existing groups by id (``security_group_ids``).  Existing ids are written as literals: AWS takes them as they are.
"""

from __future__ import annotations

from typing import Any

from gate.synth.context import SynthContext
from gate.synth.hcl import Block, Value, ref, tf_name


def _tier(res: Any) -> tuple[str, str] | None:
    if getattr(res, "subnet_ref", None):
        vpc, tier = str(res.subnet_ref).split(":")
        return vpc, f"{tier}_subnets"
    if getattr(res, "vpc_ref", None):
        return str(res.vpc_ref), "private_subnets"
    return None


def in_vpc(res: Any) -> bool:
    """True when the resource runs in subnets (of a VPC in the spec, or existing ones)."""
    return _tier(res) is not None or bool(getattr(res, "subnet_ids", ()))


def cfn_subnets(res: Any, ctx: SynthContext) -> Any:
    """The subnet ids (a list, or an intrinsic giving one); None when the resource names no subnets."""
    tier = _tier(res)
    if tier is not None:
        return ctx.cfn(tier[0], "vpc", res.name, tier[1])
    return list(res.subnet_ids) or None


def tf_subnets(res: Any, ctx: SynthContext) -> Any:
    tier = _tier(res)
    if tier is not None:
        return ctx.tf(tier[0], "vpc", res.name, tier[1])
    return list(res.subnet_ids) or None


def cfn_groups(res: Any, ctx: SynthContext) -> list[Any]:
    named = [ctx.cfn(g, "security_group", res.name, "id") for g in res.security_group_refs]
    return [*named, *getattr(res, "security_group_ids", ())]


def tf_groups(res: Any, ctx: SynthContext) -> list[Value]:
    named = [ctx.tf(g, "security_group", res.name, "id") for g in res.security_group_refs]
    return [*named, *getattr(res, "security_group_ids", ())]


def tf_key(key: str | None, ctx: SynthContext) -> Value | None:
    """A KMS key as Terraform takes it (an ARN): an alias name ('alias/rds-prod') is looked up (data aws_kms_alias)."""
    if key is None or not key.startswith("alias/"):
        return key
    label = tf_name(key.removeprefix("alias/"), "key")
    ctx.data(f"kms:{key}", Block("data", ("aws_kms_alias", label)).attr("name", key))
    return ref("data.aws_kms_alias", label, "target_key_arn")
