"""IAM policy documents from spec statements, in both formats: resource refs become the target's ARNs.

A resource outside the change (``existing``: kind and name) gets the ARN it has in the account the stack is
deployed to: CloudFormation ``Fn::Sub`` with ``${AWS::Partition}``, ``${AWS::Region}``, ``${AWS::AccountId}``;
Terraform the ``aws_partition``, ``aws_region`` and ``aws_caller_identity`` data sources.  Never a wildcard
beyond what the kind needs (a bucket's objects ``/*``, a table's indexes ``/index/*`` when asked).
"""

from __future__ import annotations

from typing import Any

from gate.spec import ExistingResource, PolicyStatement
from gate.synth.context import SynthContext
from gate.synth.hcl import Block, JsonEncode, Raw, Value

_TF_DATA = {
    "partition": ("aws_partition", "${data.aws_partition.current.partition}"),
    "region": ("aws_region", "${data.aws_region.current.name}"),
    "account": ("aws_caller_identity", "${data.aws_caller_identity.current.account_id}"),
}
_CFN = {"partition": "${AWS::Partition}", "region": "${AWS::Region}", "account": "${AWS::AccountId}"}


def existing_arns(res: ExistingResource) -> list[str]:
    """ARN templates for ``res``, with {partition}, {region} and {account} left to fill in per format."""
    name = res.name
    if res.kind == "s3_bucket":
        return [f"arn:{{partition}}:s3:::{name}", f"arn:{{partition}}:s3:::{name}/*"]
    if res.kind == "dynamodb_table":
        table = f"arn:{{partition}}:dynamodb:{{region}}:{{account}}:table/{name}"
        return [table, f"{table}/index/*"] if res.indexes else [table]
    service = "sqs" if res.kind == "sqs_queue" else "sns"
    return [f"arn:{{partition}}:{service}:{{region}}:{{account}}:{name}"]


def _cfn_existing(res: ExistingResource) -> list[Any]:
    out: list[Any] = []
    for arn in existing_arns(res):
        text = arn.format(**_CFN)
        out.append({"Fn::Sub": text} if "${" in text else text)
    return out


def _tf_existing(res: ExistingResource, ctx: SynthContext) -> list[Value]:
    out: list[Value] = []
    for arn in existing_arns(res):
        for key, (source, _) in _TF_DATA.items():
            if "{" + key + "}" in arn:
                ctx.data(f"current:{source}", Block("data", (source, "current")))
        out.append(Raw('"' + arn.format(**{k: expr for k, (_, expr) in _TF_DATA.items()}) + '"'))
    return out


def _one_or_many(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


def cfn_statement(st: PolicyStatement, ctx: SynthContext, owner: str) -> dict[str, Any]:
    resources: list[Any] = list(st.resources)
    for name in st.resource_refs:
        resources.extend(ctx.cfn(name, None, owner, "policy_arns"))
    for existing in st.existing:
        resources.extend(_cfn_existing(existing))
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
    for existing in st.existing:
        resources.extend(_tf_existing(existing, ctx))
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
