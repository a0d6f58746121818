"""A new network ACL on an existing VPC (:class:`gate.spec.NetworkParts` ``network_acl_rules``), in both formats:
the ACL, its entries (what no entry allows is denied) and its subnet associations.

The rules come from the request's inbound rules; a network ACL is stateless, so the replies to each allowed source
leave through the ephemeral ports (1024-65535) by an outbound entry the interpreter adds and records.
"""

from __future__ import annotations

from typing import Any

from gate.spec import NaclRule, NetworkParts
from gate.synth.common import cfn_tags, tf_skips, tf_tags
from gate.synth.hcl import Block

_PROTOCOL = {"tcp": 6, "udp": 17, "all": -1}


def cfn_nacl(res: NetworkParts, base: str) -> dict[str, dict[str, Any]]:
    acl = f"{base}NetworkAcl"
    out: dict[str, dict[str, Any]] = {
        acl: {"Type": "AWS::EC2::NetworkAcl", "Properties": {"VpcId": res.vpc_id, "Tags": cfn_tags(res)}}
    }
    for rule in res.network_acl_rules:
        entry: dict[str, Any] = {
            "NetworkAclId": {"Ref": acl},
            "RuleNumber": rule.rule_number,
            "Protocol": _PROTOCOL[rule.protocol],
            "RuleAction": rule.action,
            "Egress": rule.egress,
            "CidrBlock": rule.cidr,
        }
        if rule.protocol != "all":
            entry["PortRange"] = {"From": rule.from_port, "To": rule.to_port}
        out[f"{acl}{'Out' if rule.egress else 'In'}{rule.rule_number}"] = {
            "Type": "AWS::EC2::NetworkAclEntry",
            "Properties": entry,
        }
    for i, subnet in enumerate(res.network_acl_subnet_ids):
        out[f"{acl}Association{i + 1}"] = {
            "Type": "AWS::EC2::SubnetNetworkAclAssociation",
            "Properties": {"SubnetId": subnet, "NetworkAclId": {"Ref": acl}},
        }
    return out


def tf_nacl(res: NetworkParts, tid: str) -> list[Block]:
    skips = tf_skips("CKV2_AWS_1") if res.network_acl_subnet_ids else []  # associated, by id
    acl = Block("resource", ("aws_network_acl", tid), [*skips]).attrs(vpc_id=res.vpc_id, tags=tf_tags(res))
    if res.network_acl_subnet_ids:
        acl.attr("subnet_ids", list(res.network_acl_subnet_ids))
    for rule in res.network_acl_rules:
        acl.block("egress" if rule.egress else "ingress").attrs(
            rule_no=rule.rule_number,
            protocol=str(_PROTOCOL[rule.protocol]),
            action=rule.action,
            cidr_block=rule.cidr,
            from_port=rule.from_port,
            to_port=rule.to_port,
        )
    return [acl]


def replies(rules: list[NaclRule]) -> list[NaclRule]:
    """The outbound entries that let the replies to each allowed inbound source leave (ephemeral ports)."""
    cidrs = list(dict.fromkeys(r.cidr for r in rules if not r.egress and r.action == "allow"))
    return [
        NaclRule(rule_number=100 + 10 * i, protocol="tcp", from_port=1024, to_port=65535, cidr=cidr, egress=True)
        for i, cidr in enumerate(cidrs)
    ]
