"""EC2 security groups: description, VPC, ingress and egress rules (a peer group is a reference when imported).
A VPC's ``default`` group is skipped: CloudFormation cannot hold it."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gate.cloud.aws import AwsTarget
from gate.importer.base import Cfn, Links, Live, SpecResult, Tf, Wanted, cfn_tags, pages, tag_map
from gate.spec import SecurityGroup, SecurityGroupRule
from gate.synth.hcl import Block

_PROTOCOLS = {"-1": "all", "tcp": "tcp", "udp": "udp", "icmp": "icmp", "6": "tcp", "17": "udp", "1": "icmp"}


def _rules(perms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """IpPermissions as one rule per peer (CloudFormation's and Terraform's shape)."""
    out = []
    for perm in perms:
        base: dict[str, Any] = {"IpProtocol": str(perm.get("IpProtocol", "-1"))}
        if base["IpProtocol"] != "-1":
            base.update({"FromPort": int(perm.get("FromPort", -1)), "ToPort": int(perm.get("ToPort", -1))})
        for r in perm.get("IpRanges", []):
            out.append(
                {**base, "CidrIp": r["CidrIp"], **({"Description": r["Description"]} if r.get("Description") else {})}
            )
        for r in perm.get("Ipv6Ranges", []):
            out.append(
                {
                    **base,
                    "CidrIpv6": r["CidrIpv6"],
                    **({"Description": r["Description"]} if r.get("Description") else {}),
                }
            )
        for r in perm.get("UserIdGroupPairs", []):
            out.append(
                {**base, "Group": r["GroupId"], **({"Description": r["Description"]} if r.get("Description") else {})}
            )
        for r in perm.get("PrefixListIds", []):
            out.append({**base, "PrefixList": r["PrefixListId"]})
    return out


class _Ec2:
    service = "ec2"
    import_order = 40  # after the VPC and the roles (instance profiles)
    cfn_type = "AWS::EC2::SecurityGroup"
    tf_type = "aws_security_group"
    logical_suffix = "SecurityGroup"

    def discover(self, target: AwsTarget, wanted: Wanted) -> list[Live]:
        ec2 = target.client("ec2")
        found = []
        for group in pages(target, ec2, "describe_security_groups", "SecurityGroups"):
            if group.get("GroupName") == "default" or not wanted(str(group["GroupName"])):
                continue
            gid = str(group["GroupId"])
            arn = f"arn:aws:ec2:{target.region}:{group.get('OwnerId', '')}:security-group/{gid}"
            found.append(
                Live("ec2", "security_group", gid, arn, str(group["GroupName"]), tag_map(group.get("Tags")), group)
            )
        return found

    @staticmethod
    def _cfn_rule(rule: dict[str, Any], links: Links, egress: bool) -> dict[str, Any]:
        out = {k: v for k, v in rule.items() if k not in ("Group", "PrefixList")}
        if "Group" in rule:
            out["DestinationSecurityGroupId" if egress else "SourceSecurityGroupId"] = links.cfn(
                rule["Group"], "GroupId"
            )
        if "PrefixList" in rule:
            out["DestinationPrefixListId" if egress else "SourcePrefixListId"] = rule["PrefixList"]
        return out

    def cloudformation(self, live: Live, links: Links) -> Cfn:
        group = live.data
        props: dict[str, Any] = {"GroupName": live.label, "GroupDescription": group.get("Description", "")}
        if group.get("VpcId"):
            props["VpcId"] = links.cfn(str(group["VpcId"]))
        ingress = [self._cfn_rule(r, links, False) for r in _rules(group.get("IpPermissions", []))]
        egress = [self._cfn_rule(r, links, True) for r in _rules(group.get("IpPermissionsEgress", []))]
        if ingress:
            props["SecurityGroupIngress"] = ingress
        if egress:
            props["SecurityGroupEgress"] = egress
        if cfn_tags(live.tags):
            props["Tags"] = cfn_tags(live.tags)
        expressed = {"GroupName", "GroupDescription", "Tags", "SecurityGroupIngress", "SecurityGroupEgress"}
        return Cfn(self.cfn_type, props, {"Id": live.physical_id}, frozenset(expressed))

    @staticmethod
    def _spec_rule(rule: dict[str, Any], links: Links) -> SecurityGroupRule | None:
        protocol = _PROTOCOLS.get(rule["IpProtocol"])
        if protocol is None or "CidrIpv6" in rule or "PrefixList" in rule:
            return None
        ref = links.spec_ref(rule["Group"]) if "Group" in rule else None
        if "Group" in rule and ref is None:
            return None
        ports = {} if protocol == "all" else {"from_port": rule.get("FromPort"), "to_port": rule.get("ToPort")}
        described = {"description": rule["Description"]} if rule.get("Description") else {}
        try:
            return SecurityGroupRule.model_validate(
                {"protocol": protocol, "cidr": rule.get("CidrIp"), "source_group_ref": ref, **ports, **described}
            )
        except ValidationError:
            return None

    def spec(self, live: Live, name: str, links: Links) -> SpecResult:
        group = live.data
        notes: dict[str, str] = {}
        if group.get("VpcId"):
            notes["VpcId"] = f"{group['VpcId']}: the spec's vpc_ref names a vpc the spec builds, not an existing one"
        rules: dict[str, list[SecurityGroupRule]] = {}
        for key, prop in (("IpPermissions", "SecurityGroupIngress"), ("IpPermissionsEgress", "SecurityGroupEgress")):
            read = [self._spec_rule(r, links) for r in _rules(group.get(key, []))]
            if any(r is None for r in read):
                notes[prop] = (
                    "a rule the spec cannot express (IPv6, prefix list, a group not imported, a protocol number)"
                )
            rules[key] = [r for r in read if r is not None]
        try:
            spec = SecurityGroup(
                name=name,
                tags={k: v for k, v in live.tags.items() if not k.startswith("aws:")},
                description=group.get("Description") or "imported by devops-gate",
                ingress=rules["IpPermissions"],
                egress=rules["IpPermissionsEgress"],
            )
        except ValidationError as exc:
            return SpecResult(None, {"*": f"not expressible in the spec: {exc.errors()[0]['msg']}"})
        return SpecResult(spec, notes)

    def terraform(self, live: Live, tf_name: str, links: Links) -> Tf:
        group = live.data
        block = Block("resource", ("aws_security_group", tf_name)).attrs(
            name=live.label,
            description=group.get("Description", ""),
            vpc_id=links.tf(str(group["VpcId"])) if group.get("VpcId") else None,
        )
        for key, kind in (("IpPermissions", "ingress"), ("IpPermissionsEgress", "egress")):
            for rule in _rules(group.get(key, [])):
                rb = block.block(kind).attrs(
                    protocol=rule["IpProtocol"], from_port=rule.get("FromPort", 0), to_port=rule.get("ToPort", 0)
                )
                if "CidrIp" in rule:
                    rb.attr("cidr_blocks", [rule["CidrIp"]])
                if "CidrIpv6" in rule:
                    rb.attr("ipv6_cidr_blocks", [rule["CidrIpv6"]])
                if "Group" in rule:
                    rb.attr("security_groups", [links.tf(rule["Group"])])
                if "PrefixList" in rule:
                    rb.attr("prefix_list_ids", [rule["PrefixList"]])
                rb.attrs(description=rule.get("Description"))
        if live.tags:
            block.attr("tags", dict(sorted(live.tags.items())))
        return Tf([(block, live.physical_id)])


READER = _Ec2()
