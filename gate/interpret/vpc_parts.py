"""Parts of a VPC asked for on their own, on a VPC or subnet that exists ('a NAT gateway in subnet-0abc...', 'an S3
gateway endpoint for vpc-0a1b...', 'peer vpc-a with vpc-b').

The spec builds subnets, route tables, internet and NAT gateways, gateway endpoints, network ACLs, a VPN and flow logs
as parts of a VPC it creates (``gate.spec.Vpc``); it has no resource for one of them added to a VPC outside the
change.  Such a request is refused with every part it names and the existing resources it names, never read as
something else and never dropped: the reviewer sees what was asked and where it can be built.
"""

from __future__ import annotations

import re

from gate.errors import GateError
from gate.interpret.mentions import Segment

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
# parts no VPC of the spec has (gate.spec.Vpc): a peering connection
_NOT_BUILT = ("VPC peering",)
_PART_RE = {part: re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.I) for part, words in PARTS.items()}
# an existing network resource by id: VPC, subnet, route table, internet gateway, NAT gateway, network ACL
_EXISTING = re.compile(r"(?<![\w-])(?:vpc|subnet|rtb|igw|nat|acl|vgw|cgw|pcx)-[0-9a-f]{8,17}(?![\w-])", re.I)


def refuse_on_existing(request: str, segs: list[Segment]) -> None:
    """Refuse a request that adds VPC parts to a VPC outside the change, naming the parts and the resources."""
    if any(seg.kind == "vpc" for seg in segs):
        return  # a VPC of this change: its parts are read as its settings
    found = [(part, m.group(0)) for part, pattern in _PART_RE.items() if (m := pattern.search(request))]
    named = list(dict.fromkeys(m.group(0) for m in _EXISTING.finditer(request)))
    if not named:
        return
    parts = [(p, said) for p, said in found if not (p == "subnet" and len(found) > 1)]  # a part's subnet is its place
    if not parts or (segs and [p for p, _ in parts] == ["subnet"]):
        return  # 'an instance in subnet-...': the subnet places a resource of this change
    if segs and not _only_network(request, segs):
        return  # the parts stand next to resources of this change: coverage reports their words
    listed = ", ".join(f"{p} ({said!r})" for p, said in parts)
    never = [p for p, _ in parts if p in _NOT_BUILT]
    rest = ", and the other parts only as parts of a VPC it creates" if len(never) < len(parts) else ""
    why = f"the gate builds no {' or '.join(never)} at all{rest}" if never else ""
    why = why or "the gate builds these only as parts of a VPC it creates"
    raise GateError(
        f"the request asks for {listed} on {', '.join(named)}, which exist outside this change; {why}, and does not "
        "add them to an existing one",
        fix="create the VPC with its parts in one request, e.g. 'a VPC with 2 public and 2 private subnets, a NAT "
        "gateway and an S3 gateway endpoint', or add the parts to the existing VPC in the stack that manages it",
    )


def _only_network(request: str, segs: list[Segment]) -> bool:
    """True when every resource the request creates is a security group (the network parts are the request)."""
    return all(seg.kind == "security_group" for seg in segs)
