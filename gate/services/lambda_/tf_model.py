"""Lambda functions in Terraform -> the CloudFormation shape the policies read."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, first, put


def _lambda(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "Runtime", attr(block, "runtime"))
    env = first(block, "environment")
    if env:
        props["Environment"] = {"Variables": attr(env, "variables", {})}
    return props


def _url(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    put(props, "AuthType", attr(block, "authorization_type"))
    return props


MAPPING = TfMapping(
    types={
        "aws_lambda_function": ("AWS::Lambda::Function", _lambda),
        "aws_lambda_function_url": ("AWS::Lambda::Url", _url),
    }
)
