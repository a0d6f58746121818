"""Dangerous intent, named: a request that asks for something unsafe is refused with what it asked, why, and the
secure alternative, never quietly replaced by something safer that then passes.

Each :class:`Intent` is a phrase (negation-aware: "nothing public", "no public IP" and "never 0.0.0.0/0" ask for
nothing dangerous) and the reason and fix shown to the author.  The gate refuses here rather than build and block,
because the recognisers build secure defaults only (a role never gets AdministratorAccess, a bucket is always
private): the unsafe form the author asked for could not be shown to the checks as asked.  The one exception is
an ask the spec can carry as written and a check flags: a database without deletion protection that the request
calls dev, test or not critical is built without it, and GATE-RDS-003 (medium) asks for a reviewer's approval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.errors import GateError


@dataclass(frozen=True)
class Intent:
    label: str
    pattern: str
    why: str
    fix: str
    negating: bool = False  # the pattern itself says 'no' / 'without': a negation before it does not rule it out
    allowed_when: str | None = None  # the request says this too: the ask is built as asked and the checks flag it


# a database the request calls disposable: dev, test, sandbox, scratch, not critical
DISPOSABLE = (
    r"\b(?:dev|development|test|testing|sandbox|scratch|throwaway|throw-away|ephemeral|temporary|demo|poc|"
    r"(?:not|non|nothing)[- ](?:business[- ])?critical)\b"
)
_ANYWHERE = (
    r"(?:0\.0\.0\.0/0|::/0|anywhere|any\s*where|everyone|everybody|the\s+(?:whole\s+)?(?:world|internet)|all\s+ips?)"
)
INTENTS: tuple[Intent, ...] = (
    Intent(
        "administrator access in IAM",
        r"\b(?:administrator|poweruser|iamfull)access\b|\b(?:admin(?:istrator)?|root|god[- ]mode)\s+(?:access|rights|"
        r"permissions|privileges|role|policy)\b|(?<![\w:])\*:\*|\"?action\"?\s*:\s*\"?\*(?![\w:])|\ball\s+actions\s+on\s+"
        r"(?:all|every|\*)|\bfull\s+(?:aws\s+)?(?:access|permissions|rights)\s+(?:to|on|over)\s+(?:everything|the\s+"
        r"account|all\s+(?:resources|services)|aws)\b",
        "administrator access (AdministratorAccess, '*:*') lets whoever holds it do anything in the account, "
        "including removing the gate",
        "name the actions and resources it needs, e.g. 'a role for CodeBuild that can write to the bucket artifacts "
        "and read the table config'; the gate builds least-privilege statements",
    ),
    Intent(
        "a wildcard IAM grant on every resource",
        r"\b[a-z0-9-]+:\*\s+(?:on|for|over|to)\s+(?:\*|all\s+(?:resources|buckets|tables|queues)|every(?:thing|\s+"
        r"resource)|any\s+resource)(?![\w-])|\biam:passrole\s+(?:on|for|over|to)\s+(?:\*|all\b|every(?:thing)?\b|any\b)|"
        r"\biam:\*",
        "a service-wide wildcard on every resource, or iam:PassRole on '*', lets the holder act far beyond its job "
        "(PassRole on '*' hands any role, the admin one included, to a service it starts)",
        "name the actions and the resources, e.g. 's3:GetObject on the bucket reports' or 'iam:PassRole on "
        "arn:aws:iam::123456789012:role/app-task'",
    ),
    Intent(
        "public access to a bucket or its objects",
        r"\bpublic(?:ly)?[- ](?:read(?:able)?|accessible|available|writ(?:e|able))\b|"
        r"\bmake\s+(?:it|them|the\s+\w+(?:\s+"
        r"\w+)?)\s+public\b|\bpublic\s+bucket\b|\b(?:turn\s+off|disable|remove|without|no)\s+(?:the\s+)?block\s+public"
        r"\s+access\b|\bblock\s+public\s+access\s+(?:off|disabled)\b|\bpublic-read(?:-write)?\s+acl\b|\banonymous\s+"
        r"(?:access|reads?|uploads?)\b|\bworld[- ]readable\b",
        "a public bucket or database is readable (or writable) by anyone on the internet",
        "keep it private and serve it through CloudFront with origin access control (added by hand), share objects "
        "with presigned URLs, or grant named principals: 'a bucket named x with a bucket policy that lets the role "
        "analytics read'",
    ),
    Intent(
        "every port, or SSH/RDP, open to the internet",
        rf"\b(?:all|every|any)\s+(?:ports?|traffic|protocols?)\b(?:\s+\w+){{0,4}}?\s+(?:to|from)\s+{_ANYWHERE}|"
        rf"\b(?:ssh|rdp|port\s+(?:22|3389)|22|3389)\b(?:\s+[\w()/.:-]+){{0,5}}?\s+(?:from|to|for)\s+(?:the\s+)?"
        rf"\(?{_ANYWHERE}|\bopen\s+(?:all\s+ports|everything)\b",
        "every port, or SSH/RDP, reachable from the whole internet is the most common way instances are broken into",
        "allow SSH or RDP from your office or VPN range, e.g. 'SSH from 203.0.113.0/24', or use SSM Session "
        "Manager (no inbound port at all); open only the ports the service serves",
    ),
    Intent(
        "storage without encryption",
        r"\b(?:don'?t|do\s+not|never|no|without|skip|disable|turn\s+off)\s+(?:the\s+)?encrypt(?:ion|ed|ing|\s+it)?\b|"
        r"\bunencrypted\b|\bencryption\s+(?:off|disabled)\b|\bnot\s+encrypted\b",
        "unencrypted storage fails every compliance baseline the gate checks, and encryption at rest costs nothing "
        "noticeable on current volume, database and bucket types",
        "leave encryption on (the default); for speed, choose the volume or instance type instead",
        negating=True,
    ),
    Intent(
        "a database without deletion protection",
        r"\b(?:turn|switch)\s+(?:off\s+)?deletion\s+protection\s+off\b|\b(?:turn\s+off|disable|no|without|skip)\s+"
        r"deletion\s+protection\b|\bdeletion\s+protection\s+(?:off|disabled)\b",
        "without deletion protection one mistaken change or command deletes the database",
        "keep deletion protection on; the gate's data-loss guard and '/gate allow-data-loss' handle a planned removal; "
        "a database the request says is for dev or test (or not critical) is built without it, and GATE-RDS-003 "
        "asks for approval",
        negating=True,
        allowed_when=DISPOSABLE,
    ),
    Intent(
        "connections without TLS",
        r"\b(?:no|without|skip|disable|turn\s+off)\s+(?:the\s+)?(?:tls|ssl|in[- ]transit\s+encryption|"
        r"encryption\s+in\s+transit|transit\s+encryption)\b|"
        r"\b(?:tls|ssl|in[- ]transit\s+encryption)\s+(?:off|disabled)\b",
        "without TLS, passwords, tokens and data cross the network in clear text, readable by anyone on the path",
        "keep encryption in transit on (the default for caches and databases); clients connect with TLS",
        negating=True,
    ),
)
_COMPILED = tuple((i, re.compile(i.pattern, re.I)) for i in INTENTS)
# 'nothing public', 'no public access', 'never from 0.0.0.0/0': the phrase is ruled out, not asked for
_RULED_OUT = re.compile(
    r"\b(?:no|not|never|nothing|without|avoid|prevent|block(?:ing|s)?|deny|denies|forbid\w*|except|don'?t\s+(?:make|"
    r"allow|open|give))\b(?:\s+\S+){0,3}\s*$",
    re.I,
)


def named(request: str) -> list[tuple[Intent, str]]:
    """Every dangerous intent the request states, with the phrase that states it."""
    out: list[tuple[Intent, str]] = []
    for intent, pattern in _COMPILED:
        for match in pattern.finditer(request):
            before = request[max(0, match.start() - 30) : match.start()]
            before = re.split(r"[.;,:!?]", before)[-1]
            if not intent.negating and _RULED_OUT.search(before):
                continue
            if intent.allowed_when and re.search(intent.allowed_when, request, re.I):
                continue  # built as asked; the gate's checks flag it (the recogniser notes it)
            out.append((intent, match.group(0)))
            break
    return out


def refuse_dangerous(request: str) -> None:
    found = named(request)
    if not found:
        return
    what = "; ".join(f"{intent.label} ({phrase!r})" for intent, phrase in found)
    first = found[0][0]
    raise GateError(
        f"the request asks for {what}, which the gate refuses: {first.why}",
        fix=first.fix + (" (and the same for the other parts named)" if len(found) > 1 else ""),
    )
