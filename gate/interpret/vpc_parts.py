"""Parts of a VPC asked for on their own, on a VPC, subnet or instance that exists ('a NAT gateway in
subnet-0abc...', 'an S3 gateway endpoint for vpc-0a1b... on rtb-0c1d...', 'flow logs on vpc-0f1e...').

The parts the spec builds on an existing network (:class:`gate.spec.NetworkParts`: subnets, a NAT gateway with a
new Elastic IP, S3/DynamoDB gateway endpoints on named route tables, flow logs, an Elastic IP for an instance) become
one segment of kind ``network_parts``; a request that also asks for a part it cannot build there (an internet
gateway, network ACLs, a VPN, peering, interface endpoints) is refused with every such part and the existing
resources named, never read as something else and never dropped.
"""

from __future__ import annotations

import re

from gate.errors import GateError
from gate.interpret import extract
from gate.interpret.base import given_name
from gate.interpret.mentions import Mention, Segment

# part -> its words ('NAT gateway', 'route table', 'gateway endpoint', 'NACL', 'site-to-site VPN', 'peering')
PARTS: dict[str, str] = {
    "NAT gateway": r"nat(?:\s+gateways?|\s+gw)?",
    "internet gateway": r"internet\s+gateways?|igw",
    "route table or route": r"route\s+tables?|(?:default\s+)?routes?",
    "VPC endpoint": r"(?:gateway|interface|vpc|s3|dynamodb)\s+endpoints?|endpoints?",
    "network ACL": r"nacls?|network\s+acls?",
    "VPN": r"(?:site[- ]to[- ]site\s+)?vpn(?:\s+connections?)?|customer\s+gateways?|virtual\s+private\s+gateways?",
    "VPC peering": r"peer(?:ing|ed|s)?(?:\s+connections?)?",
    "flow logs": r"flow\s+logs?",
    "subnet": r"subnets?",
    "Elastic IP": r"elastic\s+ips?|eips?",
}
# parts the gate builds nowhere
_NOT_BUILT: tuple[str, ...] = ()
# why a part is not built on an existing network (NetworkParts builds the others)
_WHY_NOT = {
    "internet gateway": "a VPC has one internet gateway, attached where the VPC is managed",
    "route table or route": "a new route table needs its routes and subnet associations; routes are added to existing "
    "tables named by id (rtb-...) only",
    "network ACL": "a network ACL on an existing VPC is built from inbound rules with CIDR sources ('allow TCP 5432 "
    "from 10.0.0.0/16'), and the request gives none",
    "VPN": "a site-to-site VPN needs a gateway attached to the VPC and route propagation on its tables",
    "VPC peering": "a peering connection is built between two VPCs named by id (vpc-... with vpc-...), not to a VPC "
    "the request does not name",
    "VPC endpoint": "interface endpoints (PrivateLink) need subnets and a security group per service",
}
_PART_RE = {part: re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.I) for part, words in PARTS.items()}
# an existing network resource by id: VPC, subnet, route table, internet gateway, NAT gateway, network ACL
_EXISTING = re.compile(r"(?<![\w-])(?:vpc|subnet|rtb|igw|nat|acl|vgw|cgw|pcx)-[0-9a-f]{8,17}(?![\w-])", re.I)
_INSTANCE = re.compile(r"(?<![\w-])i-[0-9a-f]{8,17}(?![\w-])", re.I)
_GATEWAY_ENDPOINT = re.compile(
    r"\b(?:s3|dynamodb)\b[^.;]{0,25}\bendpoints?\b|\bendpoints?\b[^.;]{0,25}\b(?:s3|dynamodb)\b", re.I
)
# kinds that may stand next to the parts: the group they use, the log group flow logs go to
_BESIDE = ("security_group", "log_group")


def on_existing(request: str, segs: list[Segment]) -> list[Segment]:
    """The segments with the parts on an existing network as one more (``network_parts``); a request asking for a
    part the gate cannot build there is refused, naming the parts and the resources."""
    segs = [s for s in segs if not _existing_vpc(s)]
    if any(seg.kind == "vpc" for seg in segs):
        return segs  # a VPC of this change: its parts are read as its settings
    found = [(part, m) for part, pattern in _PART_RE.items() if (m := _said(part, pattern, request))]
    named = list(dict.fromkeys(m.group(0) for m in _EXISTING.finditer(request)))
    if any(p == "Elastic IP" for p, _ in found):
        named += list(dict.fromkeys(m.group(0) for m in _INSTANCE.finditer(request)))
    if not named:
        return segs
    parts = [(p, m) for p, m in found if not (p == "subnet" and len(found) > 1)]  # a part's subnet is its place
    if not parts or (segs and [p for p, _ in parts] == ["subnet"]):
        return segs  # 'an instance in subnet-...': the subnet places a resource of this change
    if segs and not all(seg.kind in _BESIDE for seg in segs):
        return segs  # the parts stand next to resources of this change: coverage reports their words
    unbuilt = [(p, m.group(0)) for p, m in parts if p in _WHY_NOT and not _buildable(p, request)]
    if unbuilt:
        _refuse(unbuilt, named)
    first = min(m.start() for _, m in parts)
    end = min([s.start for s in segs if s.start > first] or [len(request)])
    part = next(m for _, m in parts if m.start() == first)
    mention = Mention("network_parts", part.start(), part.end(), part.group(0), reference=False)
    seg = Segment("network_parts", mention, request[:end].strip(" ,;."), 0, end)
    given = given_name(seg)
    if given and re.fullmatch(r"[a-z]+-[0-9a-f]{8,17}", given, re.I):
        seg.name = "network-parts"  # 'route table rtb-0c1d...': an id, not its name
    return sorted([*segs, seg], key=lambda s: s.start)


# 'SSH from the VPN 203.0.113.16/28', 'the VPN range 10.8.0.0/16': the part's network is a rule's source
_NETWORK_AFTER = re.compile(
    r"\s*(?:'s\s+)?(?:(?:range|cidr|network|block|clients?|users?)\s+)?(?:is\s+|of\s+)?\d{1,3}\.", re.I
)


def _said(part: str, pattern: re.Pattern[str], request: str) -> re.Match[str] | None:
    """The first time the part is asked for: a VPN named only as a network ('from the VPN 203.0.113.16/28') is a
    source address, not a part to build."""
    if part != "VPN":
        return pattern.search(request)
    return next((m for m in pattern.finditer(request) if not _NETWORK_AFTER.match(request, m.end())), None)


def _buildable(part: str, request: str) -> bool:
    """A gateway endpoint (S3, DynamoDB) and routes on tables named by id are built on an existing VPC; the other
    parts of ``_WHY_NOT`` are not."""
    if part == "network ACL":
        return bool(re.search(r"\b(?:allow\w*|open\w*|permit\w*)\b[^.;]*?\d{1,3}(?:\.\d{1,3}){3}/\d", request, re.I))
    if part == "VPC peering":
        return len(set(re.findall(r"(?<![\w-])vpc-[0-9a-f]{8,17}(?![\w-])", request.lower()))) == 2
    if part == "route table or route":
        return bool(re.search(r"(?<![\w-])rtb-[0-9a-f]{8,17}(?![\w-])", request, re.I))
    return part == "VPC endpoint" and bool(_GATEWAY_ENDPOINT.search(request)) and "interface" not in request.lower()


def _existing_vpc(seg: Segment) -> bool:
    """'Enable VPC flow logs on vpc-0f1e...': the noun names the existing VPC (by id, no range of its own)."""
    return (
        seg.kind == "vpc"
        and bool(re.search(r"(?<![\w-])vpc-[0-9a-f]{8,17}(?![\w-])", seg.text, re.I))
        and not extract.cidrs(seg.text)
        and not re.search(r"\bnew\s+vpc\b|\bcreate\s+(?:a\s+)?vpc\b", seg.text, re.I)
    )


def _refuse(unbuilt: list[tuple[str, str]], named: list[str]) -> None:
    listed = ", ".join(f"{p} ({said!r})" for p, said in unbuilt)
    never = [p for p, _ in unbuilt if p in _NOT_BUILT]
    why = "; ".join(_WHY_NOT[p] for p, _ in unbuilt)
    nothing = f"the gate builds no {' or '.join(never)} at all, and " if never else "the gate "
    raise GateError(
        f"the request asks for {listed} on {', '.join(named)}, which exist outside this change; {nothing}builds these "
        f"only as parts of a VPC it creates ({why})",
        fix="create the VPC with its parts in one request, e.g. 'a VPC with 2 public and 2 private subnets, a NAT "
        "gateway and network ACLs', or add the parts in the stack that manages the VPC; on an existing VPC the gate "
        "builds subnets, a NAT gateway, S3/DynamoDB gateway endpoints, flow logs and Elastic IPs",
    )
