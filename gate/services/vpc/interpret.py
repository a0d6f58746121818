"""VPCs: CIDR, AZs, public/private subnets, NAT, gateway endpoints, network ACLs, site-to-site VPN."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from gate.interpret import extract
from gate.interpret.base import Ctx, Resource

_COUNT = r"(\d+|one|two|three|four|five|six|a|an|a\s+pair\s+of|a\s+couple\s+of)"


_ZONE = r"[a-z]{2}(?:-[a-z]+)+-\d[a-z]"
# 'nothing public', 'no internet (gateway|access)', 'isolated', 'air-gapped': no way in or out of the internet
_CLOSED = re.compile(
    r"\b(?:nothing\s+public|no\s+(?:public\s+subnets?|internet(?:\s+(?:gateway|access|egress))?|igw)|isolated|"
    r"air[- ]gapped|(?:without|not)\s+(?:any\s+)?internet(?:\s+(?:gateway|access))?)\b",
    re.I,
)
_NO_NAT = re.compile(r"\b(?:no|without|not?\s+any)\s+(?:\w+\s+)?nat\b|\bnat\b[^.;]{0,12}\bnot\s+needed", re.I)


def subnet_blocks(text: str, vpc_cidr: str, default_public: bool) -> dict[str, list[dict[str, str]]]:
    """The subnets' own CIDRs as written ('two public subnets: 10.40.0.0/24 in eu-west-1a and 10.40.1.0/24 in
    eu-west-1b'): each block inside the VPC's range, the tier word before it (kept until another is said), its zone
    right after it."""
    net = ipaddress.IPv4Network(vpc_cidr)
    out: dict[str, list[dict[str, str]]] = {"public": [], "private": []}
    tier = "public" if default_public else "private"
    last = 0
    for m in re.finditer(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3}/\d{1,2})(?!\d|\.\d)", text):
        try:
            block = ipaddress.IPv4Network(m.group(1))
        except ValueError:
            continue
        source = re.search(r"\b(?:from|to)\s+(?:\S+\s+){0,2}$", text[max(0, m.start() - 40) : m.start()], re.I)
        if block == net or not block.subnet_of(net) or source:  # 'from 10.0.0.0/16': a rule's source
            last = m.end()
            continue
        said = re.findall(r"\b(public|private|isolated)\b", text[last : m.start()], re.I)
        tier = ("public" if said[-1].lower() == "public" else "private") if said else tier
        item = {"cidr": m.group(1)}
        zone = re.match(rf"\s*(?:\(|,)?\s*(?:in\s+|az\s+|zone\s+)?({_ZONE})\b", text[m.end() :], re.I)
        if zone:
            item["availability_zone"] = zone.group(1).lower()
        out[tier].append(item)
        last = m.end()
    return out


def _n(word: str) -> int:
    word = word.lower().replace("a pair of", "two").replace("a couple of", "two")
    return extract.number(word) or 1


class VpcRecogniser:
    kind = "vpc"
    default_name = "vpc"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text, whole = ctx.text, ctx.request
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        cidrs = extract.cidrs(text)
        if cidrs:
            out["cidr"] = cidrs[0]
        else:
            ctx.assume(name, "cidr", "10.0.0.0/16", "the request gives no CIDR")
        azs = extract.az_count(whole)
        closed = _CLOSED.search(text)
        public = private = None
        tierless = None
        for count, tier in re.findall(
            rf"\b{_COUNT}\s+(?:(public|private)\s+)?(?:and\s+(?:public|private)\s+)?subnets?\b", text, re.I
        ):
            if tier.lower() == "public":
                public = _n(count)
            elif tier.lower() == "private":
                private = _n(count)
            else:
                tierless = _n(count)
        both = re.search(r"\b(?:(\w+)\s+)?(?:public\s+and\s+private|private\s+and\s+public)\s+subnets?\b", text, re.I)
        if both:
            n = extract.number(both.group(1) or "") or azs or 2
            public, private = public or n, private or n
        if (
            re.search(r"\b(?:each|every|per)\s+(?:az|availability\s+zone)\b|\bin\s+(?:each|every)\b", text, re.I)
            and azs
        ):
            public = azs if public is not None or re.search(r"\bpublic\b", text, re.I) else public
            private = azs if private is not None or re.search(r"\bprivate\b", text, re.I) else private
        if tierless is not None and public is None and private is None:
            wants_public = not closed and re.search(
                r"\bpublic\b|\binternet\b|\bweb\s+servers?\b|\bbastion", whole, re.I
            )
            private = tierless
            public = tierless if wants_public else 0
            ctx.assume(
                name,
                "subnets",
                f"{public} public, {private} private",
                "the request does not say which subnets are public",
            )
            tierless = None
        if public is None and re.search(r"\bpublic\s+subnets?\b", whole, re.I):
            public = azs or 2
        if private is None and re.search(r"\bprivate\s+subnets?\b", whole, re.I):
            private = azs or 2
        if tierless is not None:
            if private is None and public is None:
                wants_public = not closed and re.search(r"\bpublic\b|\binternet\b|\bweb\s+servers?\b", whole, re.I)
                private = tierless
                public = tierless if wants_public else 0
                ctx.assume(
                    name,
                    "subnets",
                    f"{public} public, {private} private",
                    "the request does not say which subnets are public",
                )
            elif private is None and public is not None:
                private = max(0, tierless - public)
            elif public is None and private is not None:
                public = max(0, tierless - private)
        if (
            re.search(r"\binternet\s+gateway|\bigw\b|\binternet\s+access|\bpublic\s+(?:access|facing)", text, re.I)
            and not public
            and not closed
        ):
            public = azs or private or 2
        blocks = subnet_blocks(text, out.get("cidr", "10.0.0.0/16"), bool(public) and not private and not closed)
        if blocks["public"] or blocks["private"]:
            public, private = len(blocks["public"]), len(blocks["private"])
            out["public_subnet_blocks"], out["private_subnet_blocks"] = blocks["public"], blocks["private"]
        if closed:
            public = 0
        nat = re.search(r"\bnat(?:\s+gateways?)?\b", text, re.I) and not _NO_NAT.search(text) and not closed
        if nat:
            per_az = re.search(
                r"\bnat\s+gateways?\s+(?:in\s+)?(?:each|every|per)\s+(?:az|availability)|\bone\s+nat\b[^.]*\b(?:each|every|per)\s+az|"
                r"\b(?:highly\s+available|redundant)\s+nat|\bnat\s+gateways?\s+per\s+az",
                text,
                re.I,
            )
            out["nat_gateway"] = "per_az" if per_az else "single"
            private = private or azs or 2
            public = public or private
        public = public if public is not None else 0
        private = private if private is not None else (0 if public else 2)
        if public == 0 and private == 0:
            private = 2
        az = max(azs or 0, public, private, 1 if azs else 2)
        if azs is None and not (public or private):
            ctx.assume(name, "az_count", az, "the request does not say how many availability zones")
        out["az_count"] = min(az, 6)
        out["public_subnets"], out["private_subnets"] = min(public, 6), min(private, 6)
        if out.get("nat_gateway") == "per_az" and out["public_subnets"] < out["private_subnets"]:
            out["public_subnets"] = out["private_subnets"]
        endpoints = [
            e
            for e in ("s3", "dynamodb")
            if re.search(rf"\b{e}\b[^.;]{{0,25}}\bendpoints?\b|\bendpoints?\b[^.;]{{0,25}}\b{e}\b", text, re.I)
        ]
        if endpoints:
            out["vpc_endpoints"] = endpoints
        if re.search(r"\b(?:network\s+acls?|nacls?)\b", text, re.I):
            out["network_acls"] = "tiered"
        if extract.flag(text, r"flow\s+logs?") is False:
            out["flow_logs"] = False
        vpn = re.search(r"\bvpn\b[^.;]*?\b(\d{1,3}(?:\.\d{1,3}){3})(?!/)", text, re.I)
        if vpn:
            routes = [c for c in cidrs[1:]]
            asn = re.search(r"\basn\s+(\d+)", text, re.I)
            out["vpn"] = {"customer_gateway_ip": vpn.group(1), "static_routes": routes}
            if asn:
                out["vpn"]["bgp_asn"] = int(asn.group(1))
        return out
