"""IAM policies and roles in Terraform -> the CloudFormation shape the policies read."""

from __future__ import annotations

from typing import Any

from gate.services.kit import TfMapping
from gate.services.tf_kit import attr, blocks, policy_doc


def _iam_policy(block: dict[str, Any]) -> dict[str, Any]:
    return {"PolicyDocument": policy_doc(attr(block, "policy"))}


def _iam_role(block: dict[str, Any]) -> dict[str, Any]:
    inline = [
        {"PolicyName": attr(b, "name"), "PolicyDocument": policy_doc(attr(b, "policy"))}
        for b in blocks(block, "inline_policy")
    ]
    props: dict[str, Any] = {"AssumeRolePolicyDocument": policy_doc(attr(block, "assume_role_policy"))}
    for key, cfn in (("path", "Path"), ("permissions_boundary", "PermissionsBoundary"), ("name", "RoleName")):
        if attr(block, key) is not None:
            props[cfn] = attr(block, key)
    if inline:
        props["Policies"] = inline
    return props


def _instance_profile(block: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for key, cfn in (("name", "InstanceProfileName"), ("path", "Path")):
        if attr(block, key) is not None:
            props[cfn] = attr(block, key)
    return props


MAPPING = TfMapping(
    types={
        "aws_iam_policy": ("AWS::IAM::ManagedPolicy", _iam_policy),
        "aws_iam_role_policy": ("AWS::IAM::Policy", _iam_policy),
        "aws_iam_user_policy": ("AWS::IAM::Policy", _iam_policy),
        "aws_iam_group_policy": ("AWS::IAM::Policy", _iam_policy),
        "aws_iam_role": ("AWS::IAM::Role", _iam_role),
        "aws_iam_instance_profile": ("AWS::IAM::InstanceProfile", _instance_profile),
    }
)
