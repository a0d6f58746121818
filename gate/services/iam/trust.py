"""Who may assume a role: AWS services, other accounts (with an external id), or an OIDC provider (GitHub).

One trust policy document for both CloudFormation and Terraform; account ARNs and a provider given by host name use
the stack's own partition and account (``Fn::Sub`` in CloudFormation, data sources' interpolation in Terraform).
"""

from __future__ import annotations

from typing import Any

from gate.spec import IamRole
from gate.synth.context import SynthContext
from gate.synth.hcl import Block, Raw

GITHUB_HOST = "token.actions.githubusercontent.com"


def partition(region: str) -> str:
    """The ARN partition of a region: aws-cn in China, aws-us-gov in GovCloud, aws elsewhere."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def managed_arn(name: str, region: str) -> str:
    """'service-role/X' -> arn:aws:iam::aws:policy/service-role/X, in the region's partition."""
    return f"arn:{partition(region)}:iam::aws:policy/{name}"


def _provider(res: IamRole, tf: SynthContext | None) -> Any:
    assert res.federated is not None
    arn = res.federated.provider_arn
    if arn.startswith("arn:"):
        return arn
    if tf is not None:
        for source in ("aws_partition", "aws_caller_identity"):
            tf.data(f"current:{source}", Block("data", (source, "current")))
        return Raw(
            '"arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:'
            f'oidc-provider/{arn}"'
        )
    return {"Fn::Sub": f"arn:${{AWS::Partition}}:iam::${{AWS::AccountId}}:oidc-provider/{arn}"}


def document(res: IamRole, region: str, tf: SynthContext | None = None) -> dict[str, Any]:
    """The trust policy (``tf``: the Terraform synthesis context, for a provider given by host name)."""
    statements: list[dict[str, Any]] = []
    if res.assumed_by:
        services = sorted(res.assumed_by)
        statements.append(
            {
                "Effect": "Allow",
                "Principal": {"Service": services if len(services) > 1 else services[0]},
                "Action": "sts:AssumeRole",
            }
        )
    if res.trusted_accounts:
        accounts = [f"arn:{partition(region)}:iam::{a}:root" for a in res.trusted_accounts]
        statement: dict[str, Any] = {
            "Effect": "Allow",
            "Principal": {"AWS": accounts if len(accounts) > 1 else accounts[0]},
            "Action": "sts:AssumeRole",
        }
        if res.external_id:
            statement["Condition"] = {"StringEquals": {"sts:ExternalId": res.external_id}}
        statements.append(statement)
    if res.federated:
        host = res.federated.provider_arn.split("oidc-provider/", 1)[-1]
        subjects = res.federated.subjects
        statements.append(
            {
                "Effect": "Allow",
                "Principal": {"Federated": _provider(res, tf)},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {
                    "StringEquals": {f"{host}:aud": res.federated.audience},
                    "StringLike": {f"{host}:sub": subjects if len(subjects) > 1 else subjects[0]},
                },
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}
