"""EC2: instances (type, count, AMI, root volume, placement), EBS volumes, security groups and their rules."""

from __future__ import annotations

import re
from typing import Any

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
        if itype is None:
            itype = "t3.micro"
            ctx.assume(name, "instance_type", itype, "the request gives no instance type")
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
        root = extract.size_near(text, r"root(?:\s+volume|\s+disk)?|disks?|storage|volumes?|ebs")
        if root is None and (sizes := extract.sizes_gb(text)):
            root = sizes[0]
        if root is not None:
            out["root_volume_gb"] = max(8, int(root))
        vtype = re.search(rf"\b({_VOLUME_TYPES})\b", text, re.I)
        if vtype:
            out["root_volume_type"] = vtype.group(1).lower()
        subnet = subnet_tier(ctx, name)
        if subnet:
            out["subnet_ref"] = subnet
        if re.search(r"\bpublic\s+ip|\bpublicly\s+reachable|\belastic\s+ip|\binternet[- ]facing", text, re.I):
            out["public_ip"] = True
        groups = ctx.names.get("security_group", [])
        if groups:
            chosen = [g for g in groups if re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", text)] or groups[:1]
            out["security_group_refs"] = chosen[:5]
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


def _ports(phrase: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for proto, port in PORTS.items():
        if re.search(rf"\b{proto}\b", phrase, re.I) and not any(p[0] == port for p in out):
            out.append((port, port, "udp" if proto in ("dns", "ntp") else "tcp"))
    for low, high in re.findall(r"\bports?\s+(\d{1,5})(?:\s*(?:-|to)\s*(\d{1,5}))?", phrase, re.I):
        out.append((int(low), int(high or low), "udp" if re.search(r"\budp\b", phrase, re.I) else "tcp"))
    for extra in re.findall(r"\bports?\s+\d{1,5}((?:\s*(?:,|and)\s*\d{1,5})+)", phrase, re.I):
        out.extend((int(p), int(p), "tcp") for p in re.findall(r"\d{1,5}", extra))
    return out


class SecurityGroupRecogniser:
    kind = "security_group"
    default_name = "sg"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        vpc = ctx.first("vpc")
        if vpc:
            out["vpc_ref"] = vpc
        ingress: list[dict[str, Any]] = []
        for rule in _RULE_RE.finditer(text):
            phrase = rule.group(1)
            cidrs = extract.cidrs(phrase)
            source_group = next(
                (g for g in ctx.names.get(self.kind, []) if g != name and re.search(rf"\b{re.escape(g)}\b", phrase)),
                None,
            )
            if not cidrs and source_group is None:
                if _ANYWHERE.search(phrase):
                    cidrs = ["0.0.0.0/0"]
                elif re.search(r"\b(?:the\s+)?vpc\b|\binternal(?:ly)?\b|\bprivate\s+network", phrase, re.I):
                    cidrs = ["10.0.0.0/8"]
                    ctx.assume(name, "ingress source", "10.0.0.0/8", "'inside the VPC' read as the private range")
            for low, high, proto in _ports(phrase):
                for cidr in cidrs:
                    ingress.append(
                        {
                            "protocol": proto,
                            "from_port": low,
                            "to_port": high,
                            "cidr": cidr,
                            "description": f"port {low} from {cidr}",
                        }
                    )
                if source_group:
                    ingress.append(
                        {
                            "protocol": proto,
                            "from_port": low,
                            "to_port": high,
                            "source_group_ref": source_group,
                            "description": f"port {low} from {source_group}",
                        }
                    )
        if ingress:
            out["ingress"] = ingress[:60]
        else:
            ctx.assume(name, "ingress", "none", "the request opens no port")
        desc = re.search(r"\bfor\s+(?:the\s+)?([a-z][\w -]{2,60}?)(?=[,.;]|$|\s+(?:that|allow|with|in)\b)", text, re.I)
        if desc:
            out["description"] = re.sub(r"[^A-Za-z0-9 ._-]", "", desc.group(1))[:255] or "managed by devops-gate"
        return out
