"""VPCs: CIDR, AZs, public/private subnets, NAT, gateway endpoints, network ACLs, site-to-site VPN."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import extract
from gate.interpret.base import Ctx, Resource

_COUNT = r"(\d+|one|two|three|four|five|six|a|an|a\s+pair\s+of|a\s+couple\s+of)"


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
            wants_public = re.search(r"\bpublic\b|\binternet\b|\bweb\s+servers?\b|\bbastion", whole, re.I)
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
                wants_public = re.search(r"\bpublic\b|\binternet\b|\bweb\s+servers?\b", whole, re.I)
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
        ):
            public = azs or private or 2
        nat = re.search(r"\bnat(?:\s+gateways?)?\b", text, re.I)
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
