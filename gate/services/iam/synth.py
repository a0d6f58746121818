"""IAM roles, users, groups and customer managed policies: named actions on named resources only.

Users get permissions only through groups (no inline policies, no access keys, no console password)."""

from __future__ import annotations

from typing import Any

from gate.services.iam import trust
from gate.spec import IamGroup, IamPolicy, IamRole, IamUser
from gate.synth.common import cfn_tags, checkov_skips, tf_skips, tf_tags
from gate.synth.context import Refs, SynthContext, logical_id
from gate.synth.hcl import Block, JsonEncode, ref, tf_name
from gate.synth.policy import cfn_document, tf_document


def _arn_of(table: str, tid: str) -> dict[str, Any]:
    return {"arn": ref(table, tid, "arn"), "policy_arns": [ref(table, tid, "arn")]}


def _external_trust(res: IamRole) -> bool:
    """Another account trusted only with an external id: the checkov finding on account trust is waived."""
    return bool(res.trusted_accounts and res.external_id)


class IamRoleSynth:
    kind = "iam_role"

    def refs(self, res: IamRole, ctx: SynthContext) -> Refs:
        rid, tid = logical_id(res.name, "Role"), tf_name(res.name)
        arn = {"Fn::GetAtt": [rid, "Arn"]}
        return Refs(
            cfn={"id": {"Ref": rid}, "name": {"Ref": rid}, "arn": arn, "policy_arns": [arn]},
            tf={
                "id": ref("aws_iam_role", tid, "name"),
                "name": ref("aws_iam_role", tid, "name"),
                **_arn_of("aws_iam_role", tid),
            },
        )

    def cloudformation(self, res: IamRole, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        rid = logical_id(res.name, "Role")
        props: dict[str, Any] = {
            "RoleName": res.name,  # as in Terraform
            "Description": res.description,
            "AssumeRolePolicyDocument": trust.document(res, ctx.region),
            "MaxSessionDuration": res.max_session_hours * 3600,
        }
        if res.path != "/":
            props["Path"] = res.path
        if res.permissions_boundary:
            props["PermissionsBoundary"] = res.permissions_boundary
        managed: list[Any] = [trust.managed_arn(m, ctx.region) for m in res.aws_managed_policies]
        managed += [ctx.cfn(p, "iam_policy", res.name, "arn") for p in res.policy_refs]
        if managed:
            props["ManagedPolicyArns"] = managed
        if res.statements:
            props["Policies"] = [
                {"PolicyName": "inline", "PolicyDocument": cfn_document(res.statements, ctx, res.name)}
            ]
        props["Tags"] = cfn_tags(res)
        out: dict[str, dict[str, Any]] = {rid: {"Type": "AWS::IAM::Role", "Properties": props}}
        if _external_trust(res):
            out[rid]["Metadata"] = checkov_skips("CKV_AWS_61")
        if res.instance_profile:
            profile: dict[str, Any] = {"InstanceProfileName": res.name, "Roles": [{"Ref": rid}]}
            if res.path != "/":
                profile["Path"] = res.path
            out[logical_id(res.name, "InstanceProfile")] = {"Type": "AWS::IAM::InstanceProfile", "Properties": profile}
        return out

    def terraform(self, res: IamRole, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        role = Block("resource", ("aws_iam_role", tid))
        if _external_trust(res):
            role.body.extend(tf_skips("CKV_AWS_61"))
        role.attrs(
            name=res.name,
            description=res.description,
            assume_role_policy=JsonEncode(trust.document(res, ctx.region, tf=ctx)),
            max_session_duration=res.max_session_hours * 3600,
        )
        if res.path != "/":
            role.attr("path", res.path)
        if res.permissions_boundary:
            role.attr("permissions_boundary", res.permissions_boundary)
        out = [role.attr("tags", tf_tags(res))]
        if res.instance_profile:
            profile = Block("resource", ("aws_iam_instance_profile", tid)).attrs(
                name=res.name, role=ref("aws_iam_role", tid, "name")
            )
            if res.path != "/":
                profile.attr("path", res.path)
            out.append(profile)
        if res.statements:
            out.append(
                Block("resource", ("aws_iam_role_policy", tid)).attrs(
                    name="inline",
                    role=ref("aws_iam_role", tid, "id"),
                    policy=tf_document(res.statements, ctx, res.name),
                )
            )
        arns = [trust.managed_arn(m, ctx.region) for m in res.aws_managed_policies]
        arns += [ctx.tf(p, "iam_policy", res.name, "arn") for p in res.policy_refs]  # type: ignore[misc]
        for i, arn in enumerate(arns):
            out.append(
                Block("resource", ("aws_iam_role_policy_attachment", f"{tid}_{i + 1}")).attrs(
                    role=ref("aws_iam_role", tid, "name"), policy_arn=arn
                )
            )
        return out


class IamPolicySynth:
    kind = "iam_policy"

    def refs(self, res: IamPolicy, ctx: SynthContext) -> Refs:
        pid, tid = logical_id(res.name, "Policy"), tf_name(res.name)
        return Refs(
            cfn={"id": {"Ref": pid}, "arn": {"Ref": pid}},
            tf={"id": ref("aws_iam_policy", tid, "id"), "arn": ref("aws_iam_policy", tid, "arn")},
        )

    def cloudformation(self, res: IamPolicy, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        return {
            logical_id(res.name, "Policy"): {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "ManagedPolicyName": res.name,  # as in Terraform
                    "Description": res.description,
                    "PolicyDocument": cfn_document(res.statements, ctx, res.name),
                    **({"Roles": list(res.existing_roles)} if res.existing_roles else {}),
                },
            }
        }

    def terraform(self, res: IamPolicy, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        attached = [
            Block("resource", ("aws_iam_role_policy_attachment", tf_name(res.name, f"role_{i + 1}"))).attrs(
                role=role, policy_arn=ref("aws_iam_policy", tid, "arn")
            )
            for i, role in enumerate(res.existing_roles)
        ]
        return [
            Block("resource", ("aws_iam_policy", tid)).attrs(
                name=res.name,
                description=res.description,
                policy=tf_document(res.statements, ctx, res.name),
                tags=tf_tags(res),
            ),
            *attached,
        ]


class IamGroupSynth:
    kind = "iam_group"

    def refs(self, res: IamGroup, ctx: SynthContext) -> Refs:
        gid, tid = logical_id(res.name, "Group"), tf_name(res.name)
        return Refs(
            cfn={"id": {"Ref": gid}, "arn": {"Fn::GetAtt": [gid, "Arn"]}},
            tf={"id": ref("aws_iam_group", tid, "name"), "arn": ref("aws_iam_group", tid, "arn")},
        )

    def cloudformation(self, res: IamGroup, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        props: dict[str, Any] = {"GroupName": res.name}  # as in Terraform (users are named in both too)
        if res.policy_refs:
            props["ManagedPolicyArns"] = [ctx.cfn(p, "iam_policy", res.name, "arn") for p in res.policy_refs]
        if res.statements:
            props["Policies"] = [
                {"PolicyName": "inline", "PolicyDocument": cfn_document(res.statements, ctx, res.name)}
            ]
        return {logical_id(res.name, "Group"): {"Type": "AWS::IAM::Group", "Properties": props}}

    def terraform(self, res: IamGroup, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        out = [Block("resource", ("aws_iam_group", tid)).attrs(name=res.name)]
        if res.statements:
            out.append(
                Block("resource", ("aws_iam_group_policy", tid)).attrs(
                    name="inline",
                    group=ref("aws_iam_group", tid, "name"),
                    policy=tf_document(res.statements, ctx, res.name),
                )
            )
        for i, policy in enumerate(res.policy_refs):
            out.append(
                Block("resource", ("aws_iam_group_policy_attachment", f"{tid}_{i + 1}")).attrs(
                    group=ref("aws_iam_group", tid, "name"), policy_arn=ctx.tf(policy, "iam_policy", res.name, "arn")
                )
            )
        return out


class IamUserSynth:
    kind = "iam_user"

    def refs(self, res: IamUser, ctx: SynthContext) -> Refs:
        uid, tid = logical_id(res.name, "User"), tf_name(res.name)
        return Refs(
            cfn={"id": {"Ref": uid}, "arn": {"Fn::GetAtt": [uid, "Arn"]}},
            tf={"id": ref("aws_iam_user", tid, "name"), "arn": ref("aws_iam_user", tid, "arn")},
        )

    def cloudformation(self, res: IamUser, ctx: SynthContext) -> dict[str, dict[str, Any]]:
        props: dict[str, Any] = {"UserName": res.name}
        if res.group_refs:
            props["Groups"] = [ctx.cfn(g, "iam_group", res.name, "id") for g in res.group_refs]
        props["Tags"] = cfn_tags(res)
        return {logical_id(res.name, "User"): {"Type": "AWS::IAM::User", "Properties": props}}

    def terraform(self, res: IamUser, ctx: SynthContext) -> list[Block]:
        tid = tf_name(res.name)
        out = [Block("resource", ("aws_iam_user", tid)).attrs(name=res.name, tags=tf_tags(res))]
        if res.group_refs:
            out.append(
                Block("resource", ("aws_iam_user_group_membership", tid)).attrs(
                    user=ref("aws_iam_user", tid, "name"),
                    groups=[ctx.tf(g, "iam_group", res.name, "id") for g in res.group_refs],
                )
            )
        return out
