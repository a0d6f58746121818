"""Security group rules written in a request: ports, their sources, and the group that holds them.

'HTTP and HTTPS from anywhere and SSH from 10.0.0.0/8' is three rules, each port with the source written with it
(:func:`by_source`); a source group must be created in the same request; a port with no source, or a source with no
port, is refused rather than guessed.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from gate.errors import GateError
from gate.interpret import extract
from gate.interpret.base import Ctx

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
_ANYWHERE = re.compile(
    r"\b(?:anywhere|everywhere|every(?:one|body)|any(?:one|body)|the\s+internet|internet|the\s+world|all\s+ips?|"
    r"any\s+ip|public)\b",
    re.I,
)
_ANYWHERE_SAID = re.compile(r"\b(?:anywhere|everywhere|every(?:one|body)|any(?:one|body)|the\s+world)\b", re.I)


_RULE_RE = re.compile(
    r"\b(?:allow(?:s|ing)?|open(?:s|ing)?|permit(?:s|ting)?|accept(?:s|ing)?|let\s+in|inbound|ingress)\b(.*?)"
    r"(?=\ballow|\bopen|\bpermit|\baccept|;|\.(?!\d)|$)",
    re.I,
)


_BARE_PORTS = (
    r"\s*(?:(?:,|and|&|plus)\s*)?(?:(?:inbound|incoming|tcp|traffic|on|to)\s+)*"
    r"(\d{1,5}(?:\s*(?:,|and|&|or)\s*\d{1,5})*)(?![\d./])"
)


def _ports(phrase: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    bare = re.match(_BARE_PORTS, phrase, re.I)
    if bare:  # 'allowing 80 and 443 from anywhere'
        out.extend((int(p), int(p), "tcp") for p in re.findall(r"\d{1,5}", bare.group(1)))
    for proto, port in PORTS.items():
        if re.search(rf"\b{proto}\b", phrase, re.I) and not any(p[0] == port for p in out):
            out.append((port, port, "udp" if proto in ("dns", "ntp") else "tcp"))
    for low, high in re.findall(r"\bports?\s+(\d{1,5})(?:\s*(?:-|to)\s*(\d{1,5})(?![\d./]))?", phrase, re.I):
        out.append((int(low), int(high or low), "udp" if re.search(r"\budp\b", phrase, re.I) else "tcp"))
    for listed in re.findall(r"\bon\s+(\d{1,5}(?:\s*(?:,|and|&|or)\s*\d{1,5})*)(?![\d./])", phrase, re.I):
        out.extend(
            (int(p), int(p), "tcp") for p in re.findall(r"\d{1,5}", listed) if not any(o[0] == int(p) for o in out)
        )
    for extra in re.findall(r"\bports?\s+\d{1,5}((?:\s*(?:,|and)\s*\d{1,5})+)", phrase, re.I):
        out.extend((int(p), int(p), "tcp") for p in re.findall(r"\d{1,5}", extra))
    return out


_NAMED_GROUP = re.compile(
    r"\b(?:from|for)\s+(?:the\s+|members\s+of\s+(?:the\s+)?|(?:instances|servers|hosts)\s+in\s+(?:the\s+)?)?"
    r"(?:(?:(?!(?:and|or|from|to)\b)[\w.-]+\s+){0,3}?(?:security\s+groups?|sgs?)\s+(?:named\s+|called\s+)?[\"'`]?"
    r"([a-z0-9][\w.-]*[a-z0-9])|(sg-[0-9a-f]{8,17})\b|[\"'`]?([a-z0-9][\w.-]*-sg)\b)",
    re.I,
)
# 'from sg-0fedcba9876543210', 'only from the app servers' sg-...': an existing group, by id, as the source
_EXISTING_GROUP = re.compile(r"\bfrom\s+(?:[\w'.-]+\s+){0,6}?(sg-[0-9a-f]{8,17})(?![\w-])", re.I)
_BARE_IP = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d./])")
_INSIDE = re.compile(r"\b(?:the\s+)?vpc\b|\binternal(?:ly)?\b|\bprivate\s+network", re.I)
_SOURCES = (extract.CIDR_RE, _BARE_IP, _ANYWHERE, _INSIDE, _NAMED_GROUP)
_PORT_FIRST = re.compile(rf"\s*(?:ports?\s+\d|(?:{'|'.join(PORTS)})\b)", re.I)  # 'and SSH from X', not 'and 443'
_SOURCE_WORDS = re.compile(r"\b(?:from|allow\w*|open\w*|permit\w*|accept\w*)\b|\d+\.\d+\.\d+\.\d+", re.I)
_EXAMPLE_RULES = "'allows port 5432 from 10.0.0.0/16', 'allows HTTPS from anywhere'"


def by_source(phrase: str, groups: list[str]) -> list[str]:
    """The parts of one rule that each pair ports with their own source: 'HTTP and HTTPS from anywhere and SSH from
    10.0.0.0/8' -> 'HTTP and HTTPS from anywhere', 'and SSH from 10.0.0.0/8'.  A source takes the ports written
    before it ('SSH from X'), or, with none before it, the ports after it ('from X on port 5432')."""
    spans = sorted(
        [(m.start(), m.end()) for pattern in _SOURCES for m in pattern.finditer(phrase)]
        + [(m.start(), m.end()) for g in groups for m in re.finditer(rf"(?<![\w-]){re.escape(g)}(?![\w-])", phrase)]
    )
    sources: list[tuple[int, int]] = []
    for start, end in spans:  # sources with no port between them are one list ('from 10.0.0.0/8 and 172.16.0.0/12')
        if sources and (start <= sources[-1][1] or not _ports(phrase[sources[-1][1] : start])):
            sources[-1] = (sources[-1][0], max(end, sources[-1][1]))
        else:
            sources.append((start, end))
    if not sources:
        return [phrase]
    parts: list[str] = []
    cut = 0
    for index, (start, end) in enumerate(sources):
        if _ports(phrase[cut:start]):  # 'SSH from 10.0.0.0/8': the ports before it
            parts.append(phrase[cut:end])
            cut = end
            continue
        stop = sources[index + 1][0] if index + 1 < len(sources) else len(phrase)  # 'from X on port 5432'
        between = phrase[end:stop] if index + 1 < len(sources) else ""
        for sep in reversed(list(re.finditer(r",|;|\band\b", between, re.I))):
            if _PORT_FIRST.match(between, sep.end()) and _ports(between[: sep.start()]):
                stop = end + sep.start()  # 'from anywhere on 443 and SSH from 10.0.0.0/8': SSH is the next one's
                break
        parts.append(phrase[cut:stop])
        cut = stop
    rest = _ports(phrase[cut:])
    opened = {p for part in parts for p in _ports(part)}
    if rest and not set(rest) <= opened:
        parts.append(phrase[cut:])  # 'SSH from 10.0.0.0/8 and HTTP': HTTP has no source of its own
    # else: '443 and 80 from anywhere (80 only redirects to https)' speaks again of ports already opened
    return parts


def ingress_rules(ctx: Ctx, text: str, owner: str, port: int | None = None) -> list[dict[str, Any]]:
    """Inbound rules written in ``text`` ('allows port 5432 from the security group app-sg', 'SSH from
    203.0.113.0/24').  Each port takes the source written with it; a source group must be in this change; a port
    with no source is refused, not guessed.  ``port``: the one port of the owner (a database's), for 'allows
    connections from 10.0.0.0/16'."""
    groups = ctx.names.get("security_group", [])
    ingress: list[dict[str, Any]] = []
    rules = [r for r in _RULE_RE.finditer(text) if not _denied(text, r)]
    if not rules and ctx.segment.kind in _VERBLESS_KINDS:
        rules = list(_PORTS_FROM.finditer(text))  # 'HTTPS 443 and HTTP 80 from anywhere': no verb is needed
    leads = [_lead(text, rule.start()) for rule in rules]
    for index, rule in enumerate(rules):
        upto = leads[index + 1][0] if index + 1 < len(rules) and leads[index + 1][1] else rule.end(1)
        phrase = leads[index][1] + " " + text[rule.start(1) : max(rule.start(1), upto)]
        for part in by_source(phrase, [g for g in groups if g != owner]):
            ingress.extend(_rules(ctx, rule.group(0).strip(), part, owner, port))
    return ingress[:60]


# a rule of a group or an instance may be written without a verb: its ports, then 'from' and the source
_VERBLESS_KINDS = ("security_group", "ec2_instance")
_PORTS_FROM = re.compile(
    rf"(?<![\w-])((?:ports?\s+\d|(?:{'|'.join(PORTS)})\b)[^.;]*?\bfrom\b.*?)(?=;|\.(?!\d)|$)", re.I
)
_NO_RULE = re.compile(r"\s*(?:no|nothing|none|not)\b", re.I)


def _denied(text: str, rule: re.Match[str]) -> bool:
    """'allows no inbound at all', 'nothing else inbound', 'no ingress': a negated rule opens nothing."""
    before = text[max(0, rule.start() - 20) : rule.start()]
    return bool(_NO_RULE.match(rule.group(1)) or re.search(r"\b(?:no|nothing(?:\s+else)?|not)\s+$", before, re.I))


def _lead(text: str, verb: int) -> tuple[int, str]:
    """'with HTTP open to the world', 'and port 22 open to 10.0.0.0/8': the ports written right before a rule's verb
    are the rule's (and where they start, which ends the rule before it)."""
    seps = list(re.finditer(r"[.,;:]|\b(?:with|and|plus|has|have|that|which)\b", text[:verb], re.I))
    start = seps[-1].end() if seps else 0
    lead = text[start:verb]
    if not _ports(lead) or _SOURCE_WORDS.search(lead):
        return verb, ""
    return start, lead


# 'from the web servers': members of no security group the request names
_FROM_MEMBERS = re.compile(
    r"\bfrom\s+(?:the\s+|our\s+|all\s+|any\s+)?(?:[\w-]+\s+){0,2}?(?P<who>servers?|instances?|hosts?|vms?|machines?|"
    r"functions?|lambdas?|app(?:lication)?s?|containers?|tasks?|load\s+balancers?|albs?|nlbs?)\b"
    r"(?:'s)?(?:\s+(?:servers?|instances?|hosts?)(?:'s)?)?(?P<group>\s+(?:security\s+groups?|sgs?)\b)?",
    re.I,
)


def _rules(ctx: Ctx, said: str, phrase: str, owner: str, port: int | None) -> list[dict[str, Any]]:
    """The rules of one part of a rule: its ports, from its source."""
    groups = ctx.names.get("security_group", [])
    ports = _ports(phrase)
    sourced = any(
        p.search(phrase) for p in (extract.CIDR_RE, _BARE_IP, _NAMED_GROUP, _FROM_MEMBERS, _ANYWHERE_SAID)
    ) or any(re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", phrase) for g in groups if g != owner)
    if not ports and sourced and port is not None:
        ports = [(port, port, "tcp")]
        ctx.assume(owner, "ingress port", port, f"the rule {said!r} names no port: the database's own port")
    elif not ports and sourced:
        raise GateError(
            f"the rule {said!r} lets in a source but does not say which port or protocol",
            fix=f"name the ports, e.g. {_EXAMPLE_RULES} or 'allows SSH from 10.0.0.0/8'",
        )
    if not ports:
        return []
    cidrs = extract.cidrs(phrase) or [f"{ip}/32" for ip in _BARE_IP.findall(phrase)]
    source = next((g for g in groups if g != owner and re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", phrase)), None)
    named = _NAMED_GROUP.search(phrase)
    existing = None if source is not None else _EXISTING_GROUP.search(phrase)
    if existing is not None:
        named = None  # 'from sg-0fedcba9876543210': an existing group, by id, is the peer as AWS takes it
    if source is None and named and (other := next(g for g in named.groups() if g)) != "NAMEREF":
        if other.lower().startswith("sg-"):
            raise GateError(
                f"the rule {said!r} lets in traffic from the security group {other}, which is not in this change; "
                "the gate can name only security groups it creates in the same request",
                fix=f"create the source group in the same request, e.g. 'a security group named app-sg, and a "
                f"security group named {owner} that allows port {ports[0][0]} from app-sg', or allow a network, "
                f"e.g. 'allows port {ports[0][0]} from 10.0.0.0/16'",
            )
        raise GateError(
            f"the rule {said!r} lets in traffic from the security group {other!r}, which is not in this change; a "
            "rule can name only a security group created in the same request",
            fix=f"create both in one request, e.g. 'a security group named {other}, and a security group named "
            f"{owner} that allows port {ports[0][0]} from {other}', or allow a network instead, e.g. "
            f"'allows port {ports[0][0]} from 10.0.0.0/16'",
        )
    if not cidrs and source is None and existing is None:
        if _ANYWHERE.search(phrase):
            cidrs = ["0.0.0.0/0"]
            ctx.assume(owner, "ingress source", "0.0.0.0/0 (IPv4)", "'anywhere' read as every IPv4 address: the gate "
                       "builds no IPv6 rules, so clients reaching it over IPv6 only are not let in")  # fmt: skip
        elif _INSIDE.search(phrase):
            cidrs = ["10.0.0.0/8"]
            ctx.assume(owner, "ingress source", "10.0.0.0/8", "'inside the VPC' read as the private range")
        elif (members := _FROM_MEMBERS.search(phrase)) and (peer := _member_of_change(ctx, members, owner)):
            return [{"protocol": proto, "from_port": low, "to_port": high, "source_group_of": peer,
                     "description": f"port {low} from the group of {peer}"} for low, high, proto in ports]  # fmt: skip
        elif members:
            who = members.group("who").lower()
            what = f"the security group of the {who}, which it does not name" if members.group("group") else (
                f"{who} by themselves")  # fmt: skip
            raise GateError(
                f"the rule {said!r} lets in {what}; a rule lets in a network (CIDR) or a security group created in "
                "the same request, by name",
                fix=f"put the {who} in a named security group and allow that group, e.g. 'a security group named "
                f"app-sg, two t3.small instances named app in app-sg, and a security group named {owner} that allows "
                f"port {ports[0][0]} from app-sg', or allow their network, e.g. 'allows port {ports[0][0]} from "
                "10.0.0.0/16'",
            )
        else:
            raise GateError(
                f"the rule {said!r} opens a port but does not say from where",
                fix=f"name the source, e.g. {_EXAMPLE_RULES} or 'allows port 5432 from the security group app-sg' "
                "(with app-sg created in the same request)",
            )
    out: list[dict[str, Any]] = []
    for low, high, proto in ports:
        for cidr in cidrs:
            out.append({"protocol": proto, "from_port": low, "to_port": high, "cidr": cidr,
                        "description": f"port {low} from {cidr}"})  # fmt: skip
        if source:
            out.append({"protocol": proto, "from_port": low, "to_port": high, "source_group_ref": source,
                        "description": f"port {low} from {source}"})  # fmt: skip
        if existing is not None:
            peer = existing.group(1).lower()
            out.append({"protocol": proto, "from_port": low, "to_port": high, "source_group_id": peer,
                        "description": f"port {low} from {peer}"})  # fmt: skip
    return out


_MEMBER_KINDS = {"server": "ec2_instance", "instance": "ec2_instance", "host": "ec2_instance", "vm": "ec2_instance",
                 "machine": "ec2_instance", "function": "lambda_function", "lambda": "lambda_function"}  # fmt: skip


def _member_of_change(ctx: Ctx, members: re.Match[str], owner: str) -> str | None:
    """ "from the app server's security group": the resource of this change whose group it is (bound once groups
    are placed, :func:`gate.interpret.existing.bind`), by the words before the noun or as the one of its kind."""
    if not members.group("group") and "'s" not in members.group(0):
        return None
    who = members.group("who").lower().rstrip("s")
    said = members.group(0).lower()
    if who in ("app", "application"):
        who, said = "server", said.replace(" app", " app server")
    kind = _MEMBER_KINDS.get(who)
    names = [n for n in ctx.names.get(kind or "", []) if n != owner]
    named = [n for n in names if re.search(rf"\b{re.escape(n)}\b", said)]
    return (named or names)[0] if len(named) == 1 or len(names) == 1 else None


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
