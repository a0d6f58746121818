"""IAM roles: trust policy, inline policies, attached managed policies, session length, path, tags."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from pydantic import ValidationError

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, call, cfn_tags, pages, tag_map
from gate.spec import IamRole
from gate.synth.hcl import Block, JsonEncode

_AWS_MANAGED = "arn:aws:iam::aws:policy/"


def _document(raw: Any) -> dict[str, Any]:
    """A policy document as IAM answers it: a dict (botocore decodes it) or URL-encoded JSON text."""
    if isinstance(raw, dict):
        return raw
    return dict(json.loads(urllib.parse.unquote(str(raw))))


class _Iam:
    service = "iam"
    import_order = 30  # roles before the instances and functions that take them
    cfn_type = "AWS::IAM::Role"
    tf_type = "aws_iam_role"
    logical_suffix = "Role"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        iam = target.client("iam")
        found = []
        for role in pages(target, iam, "list_roles", "Roles"):
            name = str(role["RoleName"])
            if str(role.get("Path", "/")).startswith("/aws-service-role/"):
                continue  # service-linked: AWS owns it, no stack can hold it
            if not wanted(name):
                continue
            doing = f"reading IAM role {name}"
            full = call(target, doing, iam.get_role, RoleName=name)["Role"]
            inline = {
                policy: _document(
                    call(target, doing, iam.get_role_policy, RoleName=name, PolicyName=policy)["PolicyDocument"]
                )
                for policy in pages(target, iam, "list_role_policies", "PolicyNames", RoleName=name)
            }
            attached = [
                str(p["PolicyArn"])
                for p in pages(target, iam, "list_attached_role_policies", "AttachedPolicies", RoleName=name)
            ]
            data = {
                "role": full,
                "trust": _document(full["AssumeRolePolicyDocument"]),
                "inline": inline,
                "attached": attached,
            }
            found.append(Live("iam", "iam_role", name, str(full["Arn"]), name, tag_map(full.get("Tags")), data))
        return found

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        role = live.data["role"]
        props: dict[str, Any] = {"RoleName": live.physical_id, "AssumeRolePolicyDocument": live.data["trust"]}
        if role.get("Path", "/") != "/":
            props["Path"] = role["Path"]
        if role.get("Description"):
            props["Description"] = role["Description"]
        props["MaxSessionDuration"] = int(role.get("MaxSessionDuration", 3600))
        if live.data["attached"]:
            props["ManagedPolicyArns"] = [links.cfn(arn) for arn in live.data["attached"]]
        if live.data["inline"]:
            props["Policies"] = [{"PolicyName": k, "PolicyDocument": v} for k, v in sorted(live.data["inline"].items())]
        if (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"):
            props["PermissionsBoundary"] = role["PermissionsBoundary"]["PermissionsBoundaryArn"]
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        expressed = {"RoleName", "AssumeRolePolicyDocument", "Description", "Tags"}
        if props["MaxSessionDuration"] % 3600 == 0:
            expressed.add("MaxSessionDuration")
        if all(a.startswith(_AWS_MANAGED) for a in live.data["attached"]):
            expressed.add("ManagedPolicyArns")
        return Cfn(self.cfn_type, props, {"RoleName": live.physical_id}, frozenset(expressed))

    @staticmethod
    def _services(trust: dict[str, Any]) -> list[str] | None:
        """The service principals of a trust policy that only lets services assume the role, else None."""
        services: list[str] = []
        for st in trust.get("Statement", []):
            principal = st.get("Principal") or {}
            actions = st.get("Action")
            if st.get("Effect") != "Allow" or set(principal) != {"Service"} or st.get("Condition"):
                return None
            if actions not in ("sts:AssumeRole", ["sts:AssumeRole"]):
                return None
            value = principal["Service"]
            services.extend([value] if isinstance(value, str) else value)
        return services or None

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        role = live.data["role"]
        services = self._services(live.data["trust"])
        if services is None:
            return SpecResult(None, {"*": "the trust policy lets more than AWS services assume the role"})
        notes: dict[str, str] = {}
        if live.data["inline"]:
            notes["Policies"] = f"{len(live.data['inline'])} inline polic(y/ies) kept as imported, word for word"
        customer = [a for a in live.data["attached"] if not a.startswith(_AWS_MANAGED)]
        if customer:
            notes["ManagedPolicyArns"] = f"customer managed: {', '.join(customer)}"
        if role.get("Path", "/") != "/":
            notes["Path"] = role["Path"]
        try:
            spec = IamRole(
                name=name,
                tags=live.tags,
                assumed_by=services,
                aws_managed_policies=[
                    a.removeprefix(_AWS_MANAGED) for a in live.data["attached"] if a.startswith(_AWS_MANAGED)
                ],
                max_session_hours=max(1, int(role.get("MaxSessionDuration", 3600)) // 3600),
                description=role.get("Description") or "imported by devops-gate",
            )
        except ValidationError as exc:
            return SpecResult(None, {"*": f"not expressible in the spec: {exc.errors()[0]['msg']}"})
        return SpecResult(spec, notes)

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        role = live.data["role"]
        block = Block("resource", ("aws_iam_role", tf_name)).attrs(
            name=live.physical_id,
            path=role.get("Path", "/"),
            description=role.get("Description") or None,
            max_session_duration=int(role.get("MaxSessionDuration", 3600)),
        )
        block.attr("assume_role_policy", JsonEncode(live.data["trust"]))
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        blocks: list[tuple[Block, str]] = [(block, live.physical_id)]
        role_ref = links.tf(live.physical_id, "name")
        for policy, doc in sorted(live.data["inline"].items()):
            inline = Block("resource", ("aws_iam_role_policy", f"{tf_name}_{_local(policy)}"))
            inline.attrs(name=policy, role=role_ref).attr("policy", JsonEncode(doc))
            blocks.append((inline, f"{live.physical_id}:{policy}"))
        for arn in live.data["attached"]:
            attach = Block(
                "resource", ("aws_iam_role_policy_attachment", f"{tf_name}_{_local(arn.rsplit('/', 1)[-1])}")
            )
            attach.attrs(role=role_ref, policy_arn=links.tf(arn, "arn"))
            blocks.append((attach, f"{live.physical_id}/{arn}"))
        return Tf(blocks)


def _local(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text.lower())


READER = _Iam()
