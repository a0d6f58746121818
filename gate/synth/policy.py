"""IAM policy documents from spec statements, in both formats: resource refs become the target's ARNs."""

from __future__ import annotations

from typing import Any

from gate.spec import PolicyStatement
from gate.synth.context import SynthContext
from gate.synth.hcl import JsonEncode, Value


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def cfn_statement(st: PolicyStatement, ctx: SynthContext, owner: str) -> dict[str, Any]:
    resources: list[Any] = list(st.resources)
    for name in st.resource_refs:
        resources.extend(ctx.cfn(name, None, owner, "policy_arns"))
    out: dict[str, Any] = {
        "Effect": st.effect,
        "Action": _one_or_many(sorted(set(st.actions))),
        "Resource": _one_or_many(resources),
    }
    if st.sid:
        out = {"Sid": st.sid, **out}
    return out


def tf_statement(st: PolicyStatement, ctx: SynthContext, owner: str) -> dict[str, Value]:
    resources: list[Value] = list(st.resources)
    for name in st.resource_refs:
        arns = ctx.tf(name, None, owner, "policy_arns")
        assert isinstance(arns, list)
        resources.extend(arns)
    out: dict[str, Value] = {
        "Effect": st.effect,
        "Action": _one_or_many(sorted(set(st.actions))),
        "Resource": _one_or_many(resources),
    }
    if st.sid:
        out = {"Sid": st.sid, **out}
    return out


def cfn_document(statements: list[PolicyStatement], ctx: SynthContext, owner: str) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [cfn_statement(st, ctx, owner) for st in statements]}


def tf_document(statements: list[PolicyStatement], ctx: SynthContext, owner: str) -> JsonEncode:
    return JsonEncode({"Version": "2012-10-17", "Statement": [tf_statement(st, ctx, owner) for st in statements]})
