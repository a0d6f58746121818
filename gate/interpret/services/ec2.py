"""EC2: instances (type, count, AMI, root volume, placement), EBS volumes, security groups and their rules."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from gate.errors import GateError
from gate.interpret import extract, words
from gate.interpret.base import Ctx, Resource
from gate.spec import AL2023_ARM, AL2023_X86, is_graviton

PORTS = {
    "https": 443,
    "http": 80,
    "ssh": 22,
    "rdp": 3389,
    "postgres": 5432,
    "postgresql": 5432,
    "mysql": 3306,
    "mariadb": 3306,
    "redis": 6379,
    "dns": 53,
    "smtp": 25,
    "ntp": 123,
    "mongodb": 27017,
    "mongo": 27017,
}
_VOLUME_TYPES = r"gp3|gp2|io1|io2|st1|sc1"
_ARM = re.compile(r"\b(?:graviton|arm64|arm)\b", re.I)
_ANYWHERE = re.compile(
    r"\b(?:anywhere|everywhere|the\s+internet|internet|the\s+world|all\s+ips?|any\s+ip|public)\b", re.I
)


def subnet_tier(ctx: Ctx, name: str, public_words: str = r"public|internet[- ]facing|web|bastion") -> str | None:
    """'<vpc>:private' or '<vpc>:public' when the spec has a VPC (recorded as an assumption when inferred)."""
    vpc = ctx.ref_to("vpc", ctx.request)
    if vpc is None:
        return None
    text = ctx.text
    if re.search(r"\bprivate\b", text, re.I):
        return f"{vpc}:private"
    if re.search(rf"\b(?:{public_words})\b", text, re.I):
        if re.search(r"\bpublic\b", text, re.I) is None:
            ctx.assume(name, "subnet", f"{vpc}:public", "web-facing servers go in the public subnets")
        return f"{vpc}:public"
    ctx.assume(name, "subnet", f"{vpc}:private", "the request does not say public or private; private is safer")
    return f"{vpc}:private"


class Ec2Recogniser:
    kind = "ec2_instance"
    default_name = "instance"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        itype = words.instance_type(text)
        memory, cpus = words.memory_gb(text), words.vcpus(text)
        if itype is None and (sized := words.sized_type(memory, cpus, arm=bool(_ARM.search(text)))):
            itype = sized
            want = " and ".join(
                w for w in (f"{cpus} vCPUs" if cpus else "", f"{memory:g} GiB memory" if memory else "") if w
            )
            ctx.assume(
                name, "instance_type", itype, f"the smallest current general-purpose type with at least {want}; "
                "burstable (t) types suit spiky load, pick an m type for steady CPU use",
            )  # fmt: skip
        elif itype is None:
            itype = "t3.micro"
            ctx.assume(name, "instance_type", itype, "the request gives no instance type, memory or vCPUs")
        out["instance_type"] = itype
        count = extract.count_of(ctx.segment.mention.text) or extract.count_of(
            text[: ctx.segment.mention.start - ctx.segment.start + len(ctx.segment.mention.text)]
        )
        out["count"] = min(count or 1, 50)
        arm = is_graviton(itype)
        out["ami_ssm_parameter"] = AL2023_ARM if arm else AL2023_X86
        ami = re.search(r"\b(ubuntu|debian|windows|rhel|red\s+hat|centos|amazon\s+linux\s+2(?!0))\b", text, re.I)
        if ami:
            ctx.assume(name, "ami", "Amazon Linux 2023", f"{ami.group(1)} images are not offered yet; change the AMI")
        else:
            ctx.assume(
                name,
                "ami",
                f"latest Amazon Linux 2023 ({'arm64' if arm else 'x86_64'}, SSM public parameter)",
                "the request names no AMI" + ("; Graviton types need an arm64 image" if arm else ""),
            )
        disk_text = words.without_memory(text)  # '16 GB RAM' is memory, not disk
        root = extract.size_near(disk_text, r"root(?:\s+volume|\s+disk)?|disks?|storage|volumes?|ebs")
        if root is None and (sizes := extract.sizes_gb(disk_text)):
            root = sizes[0]
        if root is not None:
            out["root_volume_gb"] = max(8, int(root))
        vtype = re.search(rf"\b({_VOLUME_TYPES})\b", text, re.I)
        if vtype:
            out["root_volume_type"] = vtype.group(1).lower()
        subnet = subnet_tier(ctx, name)
        if subnet:
            out["subnet_ref"] = subnet
        if re.search(
            r"\bpublic\s+ip|\bpublicly\s+(?:reachable|accessible)|\belastic\s+ip|\binternet[- ]facing", text, re.I
        ):
            out["public_ip"] = True
        groups = ctx.names.get("security_group", [])
        chosen = [g for g in groups if re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", text)] or groups[:1]
        rules = ingress_rules(ctx, text, name)
        if rules:
            vpc = subnet.split(":")[0] if subnet else None
            chosen = [g for g in chosen if g in ctx.names.get("security_group", [])][:4]
            chosen.append(own_group(ctx, name, rules, vpc))
        if chosen:
            out["security_group_refs"] = chosen[:5]
        in_public = (subnet or "").endswith(":public") or bool(re.search(r"\bpublic\s+subnets?\b", text, re.I))
        if subnet is None and re.search(r"\bpublic\s+subnets?\b", text, re.I):
            ctx.assume(name, "subnet", "default VPC", "no VPC in this change: the default VPC's subnets are public")
        if in_public and rules and public_cidr(rules) and not out.get("public_ip"):
            out["public_ip"] = True
            ctx.assume(name, "public_ip", "true", "a public subnet and inbound rules from outside: it needs a public "
                       "address to be reached (only the listed sources can connect)")  # fmt: skip
        key = re.search(r"\bkey[- ]?pair\s+(?:named\s+|called\s+)?[\"'`]?([\w.-]+)", text, re.I)
        if key:
            out["key_name"] = key.group(1)
        role = ctx.first("iam_role")
        if (
            role
            and re.search(r"\brole\b", ctx.request, re.I)
            and re.search(r"\bec2\b|instance|server", ctx.request, re.I)
        ):
            out["instance_role_ref"] = role
        purpose = re.search(
            r"\bfor\s+(?:the\s+|our\s+)?([a-z0-9][\w -]{1,60}?)(?=\s+(?:tagged|in|with|on|using|and)\b|[,.;]|$)",
            text,
            re.I,
        )
        if purpose:
            out["purpose"] = purpose.group(1).strip()
        return out


class EbsRecogniser:
    kind = "ebs_volume"
    default_name = "volume"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        size = extract.size_near(text, r"volumes?|disks?|ebs|storage") or next(iter(extract.sizes_gb(text)), None)
        if size is None:
            ctx.assume(name, "size_gb", 100, "the request gives no size")
        else:
            out["size_gb"] = max(1, int(size))
        vtype = re.search(rf"\b({_VOLUME_TYPES})\b", text, re.I)
        if vtype:
            out["volume_type"] = vtype.group(1).lower()
        iops = re.search(r"\b(\d[\d,]*)\s*(?:provisioned\s+)?iops\b", text, re.I)
        if iops:
            out["iops"] = int(iops.group(1).replace(",", ""))
            if not vtype:
                out["volume_type"] = "io2"
        throughput = re.search(r"\b(\d+)\s*(?:mb/s|mbps|mib/s)\b", text, re.I)
        if throughput:
            out["throughput_mbps"] = int(throughput.group(1))
        instance = ctx.ref_to("ec2_instance", ctx.request)
        if instance and re.search(r"\b(?:attach|attached|mount|mounted|for|to|on)\b", ctx.request, re.I):
            out["instance_ref"] = instance
        return out


_RULE_RE = re.compile(
    r"\b(?:allow(?:s|ing)?|open(?:s|ing)?|permit(?:s|ting)?|accept(?:s|ing)?|let\s+in|inbound|ingress)\b(.*?)"
    r"(?=\ballow|\bopen|\bpermit|\baccept|;|\.(?!\d)|$)",
    re.I,
)


_BARE_PORTS = r"\s*(?:(?:inbound|incoming|tcp|traffic|on|to)\s+)*(\d{1,5}(?:\s*(?:,|and|&|or)\s*\d{1,5})*)(?![\d./])"


def _ports(phrase: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    bare = re.match(_BARE_PORTS, phrase, re.I)
    if bare:  # 'allowing 80 and 443 from anywhere'
        out.extend((int(p), int(p), "tcp") for p in re.findall(r"\d{1,5}", bare.group(1)))
    for proto, port in PORTS.items():
        if re.search(rf"\b{proto}\b", phrase, re.I) and not any(p[0] == port for p in out):
            out.append((port, port, "udp" if proto in ("dns", "ntp") else "tcp"))
    for low, high in re.findall(r"\bports?\s+(\d{1,5})(?:\s*(?:-|to)\s*(\d{1,5}))?", phrase, re.I):
        out.append((int(low), int(high or low), "udp" if re.search(r"\budp\b", phrase, re.I) else "tcp"))
    for extra in re.findall(r"\bports?\s+\d{1,5}((?:\s*(?:,|and)\s*\d{1,5})+)", phrase, re.I):
        out.extend((int(p), int(p), "tcp") for p in re.findall(r"\d{1,5}", extra))
    return out


_NAMED_GROUP = re.compile(
    r"\b(?:from|for)\s+(?:the\s+|members\s+of\s+(?:the\s+)?|(?:instances|servers|hosts)\s+in\s+(?:the\s+)?)?"
    r"(?:(?:security\s+groups?|sgs?)\s+(?:named\s+|called\s+)?[\"'`]?([a-z0-9][\w.-]*[a-z0-9])|(sg-[0-9a-f]{8,17})\b|"
    r"[\"'`]?([a-z0-9][\w.-]*-sg)\b)",
    re.I,
)
_BARE_IP = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d./])")
_EXAMPLE_RULES = "'allows port 5432 from 10.0.0.0/16', 'allows HTTPS from anywhere'"


def ingress_rules(ctx: Ctx, text: str, owner: str) -> list[dict[str, Any]]:
    """Inbound rules written in ``text`` ('allows port 5432 from the security group app-sg', 'SSH from
    203.0.113.0/24').  A source group must be in this change; a port with no source is refused, not guessed."""
    groups = ctx.names.get("security_group", [])
    ingress: list[dict[str, Any]] = []
    for rule in _RULE_RE.finditer(text):
        phrase = rule.group(1)
        ports = _ports(phrase)
        if not ports:
            continue
        cidrs = extract.cidrs(phrase) or [f"{ip}/32" for ip in _BARE_IP.findall(phrase)]
        source = next(
            (g for g in groups if g != owner and re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", phrase)), None
        )
        named = _NAMED_GROUP.search(phrase)
        if source is None and named and (other := next(g for g in named.groups() if g)) != "NAMEREF":
            if other.lower().startswith("sg-"):
                raise GateError(
                    f"the rule {rule.group(0).strip()!r} lets in traffic from the security group {other}, which is "
                    "not in this change; the gate can name only security groups it creates in the same request",
                    fix=f"create the source group in the same request, e.g. 'a security group named app-sg, and a "
                    f"security group named {owner} that allows port {ports[0][0]} from app-sg', or allow a network, "
                    f"e.g. 'allows port {ports[0][0]} from 10.0.0.0/16'",
                )
            raise GateError(
                f"the rule {rule.group(0).strip()!r} lets in traffic from the security group {other!r}, which is not "
                "in this change; a rule can name only a security group created in the same request",
                fix=f"create both in one request, e.g. 'a security group named {other}, and a security group named "
                f"{owner} that allows port {ports[0][0]} from {other}', or allow a network instead, e.g. "
                f"'allows port {ports[0][0]} from 10.0.0.0/16'",
            )
        if not cidrs and source is None:
            if _ANYWHERE.search(phrase):
                cidrs = ["0.0.0.0/0"]
            elif re.search(r"\b(?:the\s+)?vpc\b|\binternal(?:ly)?\b|\bprivate\s+network", phrase, re.I):
                cidrs = ["10.0.0.0/8"]
                ctx.assume(owner, "ingress source", "10.0.0.0/8", "'inside the VPC' read as the private range")
            else:
                raise GateError(
                    f"the rule {rule.group(0).strip()!r} opens a port but does not say from where",
                    fix=f"name the source, e.g. {_EXAMPLE_RULES} or 'allows port 5432 from the security group app-sg' "
                    "(with app-sg created in the same request)",
                )
        for low, high, proto in ports:
            for cidr in cidrs:
                ingress.append({"protocol": proto, "from_port": low, "to_port": high, "cidr": cidr,
                                "description": f"port {low} from {cidr}"})  # fmt: skip
            if source:
                ingress.append({"protocol": proto, "from_port": low, "to_port": high, "source_group_ref": source,
                                "description": f"port {low} from {source}"})  # fmt: skip
    return ingress[:60]


def own_group(ctx: Ctx, owner: str, rules: list[dict[str, Any]], vpc: str | None) -> str:
    """A security group holding the inbound rules written on an instance or database ('allowing SSH from X')."""
    group = ctx.claim(f"{owner}-sg")
    extra: dict[str, Any] = {"kind": "security_group", "name": group, "ingress": rules,
                             "description": f"inbound rules of {owner}"}  # fmt: skip
    if vpc:
        extra["vpc_ref"] = vpc
    ctx.extra.append(extra)
    ctx.names.setdefault("security_group", []).append(group)
    said = ", ".join(r["description"] for r in rules[:4])
    ctx.assume(group, "created", f"for {owner}", f"the request's inbound rules ({said}) need a security group")
    return group


_INTERNAL = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))


def public_cidr(rules: list[dict[str, Any]]) -> bool:
    """Some rule lets in a source outside the internal ranges (RFC 1918, CGNAT)."""
    nets = [ipaddress.IPv4Network(r["cidr"]) for r in rules if r.get("cidr")]
    return any(not any(net.subnet_of(i) for i in _INTERNAL) for net in nets)


class SecurityGroupRecogniser:
    kind = "security_group"
    default_name = "sg"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        vpc = ctx.first("vpc")
        if vpc:
            out["vpc_ref"] = vpc
        ingress = ingress_rules(ctx, text, name)
        if ingress:
            out["ingress"] = ingress
        else:
            ctx.assume(name, "ingress", "none", "the request opens no port")
        desc = re.search(r"\bfor\s+(?:the\s+)?([a-z][\w -]{2,60}?)(?=[,.;]|$|\s+(?:that|allow|with|in)\b)", text, re.I)
        if desc:
            out["description"] = re.sub(r"[^A-Za-z0-9 ._-]", "", desc.group(1))[:255] or "managed by devops-gate"
        return out
