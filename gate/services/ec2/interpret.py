"""EC2: instances (type, count, AMI, root volume, placement), EBS volumes, security groups (their rules: rules.py)."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import access, extract, words
from gate.interpret.base import Ctx, Resource
from gate.services.ec2.ingress import ingress_rules, own_group, public_cidr
from gate.spec import AL2023_ARM, AL2023_X86, is_graviton

_VOLUME_TYPES = r"gp3|gp2|io1|io2|st1|sc1"
_ARM = re.compile(r"\b(?:graviton|arm64|arm)\b", re.I)


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
        image = re.search(r"(?<![\w-])ami-[0-9a-f]{8,17}(?![\w-])", text, re.I)
        if image:  # 'from ami-0123...', 'AMI ami-0a1b...': this image, whatever the verb
            out["ami_id"] = image.group(0).lower()
        elif ami:
            ctx.assume(name, "ami", "Amazon Linux 2023", f"{ami.group(1)} images are not offered yet; change the AMI")
        else:
            ctx.assume(
                name,
                "ami",
                f"latest Amazon Linux 2023 ({'arm64' if arm else 'x86_64'}, SSM public parameter)",
                "the request names no AMI" + ("; Graviton types need an arm64 image" if arm else ""),
            )
        names = _instance_names(ctx.segment.text, out["count"])  # the given name unmasked: it is the first
        if names:
            out["instance_names"] = names
        protect = extract.flag(text, r"termination\s+protection|(?:api\s+)?termination\s+(?:disabled|locked)")
        if protect:
            out["termination_protection"] = True
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
        public = extract.flag(
            text,
            r"public\s+ip(?:v4)?(?:\s+address)?|publicly\s+(?:reachable|accessible)|elastic\s+ip|internet[- ]facing",
        )
        if public is not None:
            out["public_ip"] = public  # 'no public IP' is a no, whatever the verb
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
        key = re.search(r"\bkey[- ]?pair\s+(?:named\s+|called\s+)?[\"'`]?([\w.-]*\w)", text, re.I) or re.search(
            r"\b(?:ssh\s+)?key\s+(?:named\s+)?[\"'`]?([a-z0-9][\w.]*[-_.\d](?:[\w.-]*\w)?)", text, re.I
        )  # 'key pair qa-keys', 'key batch-ops' (a name with a hyphen or digit)
        if key:
            out["key_name"] = key.group(1)
        role = ctx.first("iam_role")
        if (
            role
            and re.search(r"\brole\b", ctx.request, re.I)
            and re.search(r"\bec2\b|instance|server", ctx.request, re.I)
        ):
            out["instance_role_ref"] = role
        elif found := access.grants(ctx, ctx.access_text, name):
            out["instance_role_ref"] = _access_role(ctx, name, [g.statement() for g in found])
        purpose = re.search(
            r"\bfor\s+(?:the\s+|our\s+)?([a-z0-9][\w -]{1,60}?)(?=\s+(?:tagged|in|with|on|using|and)\b|[,.;]|$)",
            text,
            re.I,
        )
        if purpose:
            out["purpose"] = purpose.group(1).strip()
        return out


_ONE_NAME = r"[\"'`]?([a-z0-9](?=[\w.-]*[-\d])[\w.-]*\w)[\"'`]?"  # with a hyphen or digit: 'reporting-a', 'web1'
_NAMES = re.compile(
    rf"\bname(?:d|s|\s+tags?(?:\s+of)?)?\s*:?\s+{_ONE_NAME}(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+){_ONE_NAME})+", re.I
)


def _instance_names(text: str, count: int) -> list[str]:
    """'two instances, Name tags reporting-a and reporting-b', 'named web-1, web-2 and web-3': one Name per
    instance, in order, when the list has as many names as there are instances."""
    if count < 2 or (found := _NAMES.search(text)) is None:
        return []
    names = [n.strip("\"'`") for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", found.group(0)) if n]
    names[0] = found.group(1)
    return names if len(names) == count else []


def _access_role(ctx: Ctx, owner: str, statements: list[dict[str, object]]) -> str:
    """Access asked for the instances themselves ('an instance that can read the bucket artifacts') needs an
    instance role: one of their own, with SSM access as every instance gets."""
    role = ctx.claim(f"{owner}-role")
    ctx.extra.append({"kind": "iam_role", "name": role, "assumed_by": ["ec2.amazonaws.com"], "statements": statements,
                      "aws_managed_policies": ["AmazonSSMManagedInstanceCore"]})  # fmt: skip
    ctx.names.setdefault("iam_role", []).append(role)
    ctx.assume(role, "created", f"for {owner}", "the access the request asks for the instances needs an instance role "
               "(with SSM access, as every instance gets)")  # fmt: skip
    return role


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
        device = re.search(r"(?<![\w/])(/dev/(?:sd[f-p]|xvd[f-p]))(?![\w/])", text)
        if device:
            out["device_name"] = device.group(1)  # 'as /dev/sdh
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
        ingress = ingress_rules(ctx, text, name)
        if ingress:
            out["ingress"] = ingress
        else:
            ctx.assume(name, "ingress", "none", "the request opens no port")
        said = re.search(
            r"\bdescription\s+(?:is\s+|of\s+|:\s*)?([\"'`\u201c])([^\"'`\u201d]{1,255})[\"'`\u201d]", text, re.I
        )
        desc = re.search(r"\bfor\s+(?:the\s+)?([a-z][\w -]{2,60}?)(?=[,.;]|$|\s+(?:that|allow|with|in)\b)", text, re.I)
        if said:  # "with description 'cache access from app subnets'": exactly as written
            out["description"] = said.group(2)
        elif desc:
            out["description"] = re.sub(r"[^A-Za-z0-9 ._-]", "", desc.group(1))[:255] or "managed by devops-gate"
        return out
