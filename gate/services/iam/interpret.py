"""IAM: roles (who assumes them, what they may do), users, groups and managed policies, least privilege."""

from __future__ import annotations

import re
from typing import Any

from gate.errors import GateError
from gate.interpret import access
from gate.interpret.base import Ctx, Resource
from gate.services.iam import managed as managed_names
from gate.services.iam.trusts import trusts

PRINCIPALS = {
    r"lambdas?|functions?": "lambda.amazonaws.com",
    r"ec2|instances?|servers?|vms?": "ec2.amazonaws.com",
    r"ecs(?:\s+tasks?)?|fargate|containers?|tasks?": "ecs-tasks.amazonaws.com",
    r"codebuild": "codebuild.amazonaws.com",
    r"codepipeline": "codepipeline.amazonaws.com",
    r"step\s+functions?|state\s+machines?": "states.amazonaws.com",
    r"eventbridge|events?\s+rules?": "events.amazonaws.com",
    r"api\s+gateway": "apigateway.amazonaws.com",
    r"glue": "glue.amazonaws.com",
    r"cloudformation": "cloudformation.amazonaws.com",
}
MANAGED = {
    r"\bssm\b|session\s+manager|systems\s+manager": "AmazonSSMManagedInstanceCore",
    r"\bcloudwatch\s+agent\b": "CloudWatchAgentServerPolicy",
    r"\bread[- ]only\s+access\s+to\s+(?:all\s+)?s3\b|\bs3\s+read[- ]only\b": "AmazonS3ReadOnlyAccess",
    r"\bread[- ]only\s+(?:access\s+)?(?:to\s+)?(?:everything|the\s+account|aws)\b": "ReadOnlyAccess",
}
_ADMIN = re.compile(r"\b(?:admin(?:istrator)?|full|root)\s+(?:access|rights|permissions|privileges)\b|\b\*:\*", re.I)


def _statements(ctx: Ctx, name: str) -> list[dict[str, Any]]:
    return [g.statement() for g in access.grants(ctx, ctx.access_text, name)]


def _refuse_admin(text: str, what: str) -> None:
    if _ADMIN.search(text):
        raise GateError(
            f"the request asks for an {what} with administrator or full access, which the gate refuses",
            fix="name the actions and resources it needs, e.g. 'a role for Lambda that can read the bucket reports'",
        )


class RoleRecogniser:
    kind = "iam_role"
    default_name = "role"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        _refuse_admin(text, "IAM role")
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        principals: list[str] = []
        for words, principal in PRINCIPALS.items():
            by = r"for|by|assum\w*\s+by|used\s+by|to\s+be\s+used\s+by|trust\w*"
            if re.search(
                rf"\b(?:{by})\s+(?:the\s+|an?\s+|our\s+)?(?:[\w'\u2019`-]+\s+){{0,2}}?(?:{words})\b|"
                rf"\b(?:{words})\s+(?:execution\s+|service\s+|instance\s+)?role",
                text,
                re.I,
            ):
                principals.append(principal)
        if not principals and re.search(r"\binstance\s+profiles?\b", text, re.I):
            principals = ["ec2.amazonaws.com"]  # 'an instance profile whose role has ...': only EC2 takes one
            ctx.assume(name, "assumed_by", principals[0], "the role of an instance profile is assumed by EC2")
        trusted = trusts(ctx, name, text)
        out.update(trusted)
        if not principals and not trusted.get("trusted_accounts") and not trusted.get("federated"):
            if ctx.names.get("lambda_function"):
                principals = ["lambda.amazonaws.com"]
            elif ctx.names.get("ec2_instance"):
                principals = ["ec2.amazonaws.com"]
            else:
                raise GateError(
                    "the request asks for an IAM role but does not say which AWS service assumes it",
                    fix="say who uses the role, e.g. 'an IAM role for Lambda that can read the bucket reports' or "
                    "'a role for EC2 instances with SSM access'",
                )
            ctx.assume(name, "assumed_by", principals[0], "the only service in this change that can use a role")
        if principals:
            out["assumed_by"] = list(dict.fromkeys(principals))
        statements = _statements(ctx, name)
        if statements:
            out["statements"] = statements
        managed = _managed(ctx, name, text)
        if "ec2.amazonaws.com" in principals and "AmazonSSMManagedInstanceCore" not in managed and not statements:
            managed.append("AmazonSSMManagedInstanceCore")
            ctx.assume(
                name, "aws_managed_policies", "AmazonSSMManagedInstanceCore", "instances are reached through SSM"
            )
        if managed:
            out["aws_managed_policies"] = managed
        if "ec2.amazonaws.com" in principals and not ctx.names.get("ec2_instance"):
            out["instance_profile"] = True  # an EC2 role is used through an instance profile
            if not re.search(r"instance\s+profiles?", text, re.I):
                ctx.assume(name, "instance_profile", "created", "an EC2 instance uses a role through a profile")
        policies = [p for p in ctx.names.get("iam_policy", []) if re.search(rf"\b{re.escape(p)}\b", ctx.request)]
        if policies or (ctx.names.get("iam_policy") and re.search(r"\battach", ctx.request, re.I)):
            out["policy_refs"] = policies or ctx.names["iam_policy"][:1]
        hours = re.search(r"\b(\d+)[\s-]*hours?\s+(?:max(?:imum)?\s+)?session", text, re.I) or re.search(
            r"\bmax(?:imum)?\s+session(?:\s+duration)?\s+(?:of\s+|is\s+|to\s+|=\s*|:\s*)?(\d+)[\s-]*h(?:ours?|rs?)?\b",
            text,
            re.I,
        )
        if hours:
            out["max_session_hours"] = max(1, min(12, int(hours.group(1))))
        return out


def _managed(ctx: Ctx, name: str, text: str) -> list[str]:
    """AWS managed policies: by their name ('attach AWSLambdaBasicExecutionRole') or a phrase ('SSM access')."""
    found = managed_names.named(text)
    out = [n.path_name for n in found]
    for n in found:
        if not n.known:
            ctx.assume(name, "aws_managed_policies", n.path_name, "an AWS managed policy the gate does not know: "
                       "attached at the root path as written; check the name and path")  # fmt: skip
    phrased = [policy for pattern, policy in MANAGED.items() if re.search(pattern, text, re.I)]
    known = {p.split("/")[-1] for p in out}
    return list(dict.fromkeys([*out, *(p for p in phrased if p not in known)]))


class UserRecogniser:
    kind = "iam_user"
    default_name = "user"

    def build(self, ctx: Ctx, name: str) -> Resource:
        _refuse_admin(ctx.text, "IAM user")
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        groups = [g for g in ctx.names.get("iam_group", []) if re.search(rf"\b{re.escape(g)}\b", ctx.request)]
        if (
            not groups
            and ctx.names.get("iam_group")
            and re.search(r"\b(?:in|into|to|member\s+of)\s+(?:the|a|an)\s+group", ctx.request, re.I)
        ):
            groups = ctx.names["iam_group"][:1]
        own = self._access_group(ctx, name)
        if own:
            groups.append(own)
        if groups:
            out["group_refs"] = groups[:10]
        ctx.assume(name, "credentials", "none created", "no access keys or console password; add them out of band")
        return out

    @staticmethod
    def _access_group(ctx: Ctx, name: str) -> str | None:
        """Access asked for the user itself ('with read-only access to the table sessions') goes in a group of its
        own: the spec gives users permissions through groups only.  Access that cannot be granted is refused."""
        found, missing = access.read_grants(ctx, ctx.access_text)
        if missing:
            m = missing[0]
            raise GateError(
                f"the IAM user {name!r} is asked for access to the {m.target} without its name, so the gate cannot "
                "grant it",
                fix=f"name it, e.g. 'an IAM user named {name} with read access to the existing "
                f"{access.tables().example_noun.get(m.service, m.service)} NAME', write its ARN "
                f"({access.tables().arn_example[m.service]}), or create it in the same request, e.g. "
                f"'a DynamoDB table named sessions and an IAM user named {name} that can read the table sessions'",
            )
        if not found:
            return None
        group = ctx.claim(f"{name}-access")
        statements = [g.statement() for g in found]
        ctx.extra.append({"kind": "iam_group", "name": group, "statements": statements})
        ctx.names.setdefault("iam_group", []).append(group)
        ctx.assume(
            group,
            "created",
            f"group for {name}",
            "IAM users get permissions through groups: this group holds the access the request asks for the user",
        )
        return group


class GroupRecogniser:
    kind = "iam_group"
    default_name = "group"

    def build(self, ctx: Ctx, name: str) -> Resource:
        _refuse_admin(ctx.text, "IAM group")
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        statements = _statements(ctx, name)
        if statements:
            out["statements"] = statements
        policies = [p for p in ctx.names.get("iam_policy", []) if re.search(rf"\b{re.escape(p)}\b", ctx.request)]
        if policies:
            out["policy_refs"] = policies
        return out


class PolicyRecogniser:
    kind = "iam_policy"
    default_name = "policy"

    def build(self, ctx: Ctx, name: str) -> Resource:
        _refuse_admin(ctx.text, "IAM policy")
        statements = _statements(ctx, name)
        if not statements:
            raise GateError(
                "the request asks for an IAM policy but the gate could not tell which actions on which resources",
                fix="name them, e.g. 'a managed policy that allows reading the bucket reports' or "
                "'a policy that can write to the queue jobs'",
            )
        out: dict[str, Any] = {"kind": self.kind, "name": name, "statements": statements}
        roles = _EXISTING_ROLES.findall(ctx.text)  # 'attached to the existing role web-app-role'
        if roles:
            out["existing_roles"] = list(dict.fromkeys(roles))[:10]
        return out


_EXISTING_ROLES = re.compile(
    r"\bexisting\s+(?:iam\s+)?roles?\s+(?:named\s+|called\s+)?[\"'`]?([\w+=,.@-]*[\w+=@-])", re.I
)
