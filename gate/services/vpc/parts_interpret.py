"""Parts asked for on an existing network ('a NAT gateway in subnet-0abc...', 'an S3 gateway endpoint in vpc-0a1b...
on rtb-0c1d...', 'flow logs on vpc-0f1e..., REJECT only', 'two private subnets in vpc-0d4c...: 10.8.32.0/20 in
us-east-1a ...', 'an Elastic IP for i-0aa1...'): read into one :class:`gate.spec.NetworkParts`.

:mod:`gate.interpret.vpc_parts` decides that the request is about parts of an existing network and cuts the
segment; each value here binds to the part whose words it stands with, whatever the verb and the order.
"""

from __future__ import annotations

import re
from typing import Any

from gate.errors import GateError
from gate.interpret import extract
from gate.interpret.base import Ctx, Resource
from gate.services.ec2.ingress import ingress_rules
from gate.services.vpc import parts_nacl
from gate.services.vpc.interpret import subnet_blocks
from gate.spec import NaclRule

_ID = r"(?<![\w-]){kind}-[0-9a-f]{{8,17}}(?![\w-])"
_NAT = re.compile(r"\bnat(?:\s+gateways?|\s+gw)?\b", re.I)
_ENDPOINT = re.compile(r"\b(?:gateway\s+|vpc\s+)?endpoints?\b", re.I)
_FLOW = re.compile(r"\bflow\s+logs?\b", re.I)
_EIP = re.compile(r"\belastic\s+ips?\b|\beips?\b|\bstatic\s+(?:public\s+)?(?:ip|address)\b", re.I)
_SUBNETS = re.compile(r"(?<![\w-])subnets?(?![\w-])", re.I)
_PEER = re.compile(r"\bpeer(?:ing|ed|s)?\b", re.I)
_NACL = re.compile(r"\bnacls?\b|\bnetwork\s+acls?\b", re.I)


def _nacl_rules(ctx: Ctx, text: str, name: str) -> list[dict[str, Any]]:
    """The request's inbound rules as network ACL entries (CIDR sources only), and the outbound entries their
    replies need (a network ACL is stateless); what no entry allows is denied."""
    rules = ingress_rules(ctx, text, name)
    if any(not r.get("cidr") for r in rules):
        raise GateError(
            "a network ACL rule lets in a network (CIDR), never a security group",
            fix="write the source as a CIDR, e.g. 'allow inbound TCP 5432 from 10.0.0.0/16'",
        )
    entries = [
        NaclRule(
            rule_number=100 + 10 * i,
            protocol="all" if r.get("protocol") == "all" else r.get("protocol", "tcp"),
            from_port=max(0, r.get("from_port") or 0),
            to_port=max(0, r.get("to_port") or r.get("from_port") or 0),
            cidr=r["cidr"],
        )
        for i, r in enumerate(r for r in rules if r.get("protocol") != "icmp")
    ]
    back = parts_nacl.replies(entries)
    if back:
        why = "a network ACL is stateless: the replies to the allowed sources leave through ephemeral ports"
        ctx.assume(name, "network_acl_rules", f"outbound TCP 1024-65535 to {', '.join(b.cidr for b in back)}", why)
    return [e.model_dump() for e in [*entries, *back]]


def ids(kind: str, text: str) -> list[str]:
    return list(dict.fromkeys(m.lower() for m in re.findall(_ID.format(kind=kind), text, re.I)))


def _traffic(text: str) -> str:
    rejected = re.search(r"\breject(?:ed|s)?\b|\bdenied\b|\bblocked\b", text, re.I)
    accepted = re.search(r"\baccept(?:ed|s)?\b|\ballowed\b", text, re.I)
    if rejected and not accepted:
        return "REJECT"
    if accepted and not rejected:
        return "ACCEPT"
    return "ALL"


class NetworkPartsRecogniser:
    kind = "network_parts"
    default_name = "network-parts"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        vpcs, subnets, tables = ids("vpc", text), ids("subnet", text), ids("rtb", text)
        if vpcs:
            out["vpc_id"] = vpcs[0]
        endpoints = [
            e
            for e in ("s3", "dynamodb")
            if re.search(rf"\b{e}\b[^.;]{{0,25}}\bendpoints?\b|\bendpoints?\b[^.;]{{0,25}}\b{e}\b", text, re.I)
        ]
        if endpoints:
            out["gateway_endpoints"] = endpoints
            out["endpoint_route_table_ids"] = tables
        if _NAT.search(text) and subnets and not re.search(r"\bno\s+nat\b|\bnat\s+data\b", text, re.I):
            out["nat_subnet_id"] = subnets[0]
            if not endpoints:
                out["nat_route_table_ids"] = tables
        if _FLOW.search(text):
            out["flow_logs"] = _traffic(text)
            group = ctx.first("log_group")
            bucket = re.search(r"(?<![\w-])arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?![\w-])", text)
            if re.search(r"\b(?:1|one)[- ]minute\b|\b60\s*(?:s|seconds?)\b", text, re.I):
                out["flow_log_interval_s"] = 60
            if bucket:
                out["flow_log_bucket_arn"] = bucket.group(0)
            elif group:
                out["flow_log_group_ref"] = group
            else:
                kept = extract.duration_near(text, r"kept|retention|retain(?:ed)?|for")
                if kept:
                    out["flow_logs_retention_days"] = extract.days(kept)
                else:
                    ctx.assume(name, "flow_logs_retention_days", 365, "the request does not say how long to keep them")
        if _SUBNETS.search(text) and out.get("vpc_id"):
            blocks = subnet_blocks(text, "0.0.0.0/0", False)
            found = [*blocks["private"], *blocks["public"]]
            if found:
                out["subnets"] = found
                if blocks["public"]:
                    ctx.assume(
                        name,
                        "subnets",
                        "private (no public IPs on launch)",
                        "the route of a public subnet goes to the VPC's internet gateway, which this change does not "
                        "name: associate the subnets with the public route table in the stack that manages the VPC",
                    )
        if _NACL.search(text) and out.get("vpc_id"):
            out["network_acl_rules"] = _nacl_rules(ctx, text, name)
            if "nat_subnet_id" not in out:
                out["network_acl_subnet_ids"] = subnets
        if _PEER.search(text) and len(vpcs) == 2:
            out["peer_vpc_id"] = vpcs[1]
            account = re.search(r"\baccount\s+(?:id\s+)?(\d{12})\b", text, re.I)
            region = re.search(r"\bregion\s+([a-z]{2}(?:-[a-z]+)+-\d)\b|\b([a-z]{2}(?:-[a-z]+)+-\d)\s+region\b", text)
            if account:
                out["peer_account_id"] = account.group(1)
            if region:
                out["peer_region"] = region.group(1) or region.group(2)
        instances = ids("i", text)
        if _EIP.search(text) and instances and "nat_subnet_id" not in out:
            out["elastic_ip_instance_id"] = instances[0]
        return out
