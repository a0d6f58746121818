"""'can read from the bucket X', 'writes to the DynamoDB table orders' -> least-privilege grants.

Each grant names actions and either a resource in this spec (by name), an ARN, or a resource outside the spec
by kind and name ('reads the existing DynamoDB table orders'): synthesis writes that one's ARN from the
stack's own partition, region and account, so no account id is guessed.  Access to something the request does
not name ('reads a table') cannot be granted; it is recorded as a 'not-applied' assumption instead.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from gate.interpret import named_actions
from gate.interpret.base import Ctx
from gate.interpret.extract import kebab

# 'reads indexes', 'queries the GSI': a grant on an existing table that also covers its indexes
_INDEXES = re.compile(r"\b(?:index(?:es)?|indices|gsis?|lsis?|secondary\s+indexes)\b", re.I)
_VERBS = {
    "read": r"read\w*|get\w*|fetch\w*|download\w*|consum\w*|receiv\w*|poll\w*|quer(?:y|ies|ied|ying)|scan\w*|list\w*|"
    r"process\w*|access\w*",
    "write": r"writ\w*|wrote|put\w*|upload\w*|stor\w*|sav\w*|send\w*|publish\w*|push\w*|post\w*|insert\w*|"
    r"updat\w*|add\w*|access\w*|emit\w*|ship\w*|cop(?:y|ies|ied|ying)|mov(?:e|es|ed|ing)|deliver\w*|drop\w*",
    "delete": r"delet\w*|remov\w*",
}
_WRITE_ONLY = r"writ|put|upload|stor|sav|send|publish|push|post|insert|updat|add|emit|ship|cop[yi]|mov|deliver|drop"
_OBJECT = (
    r"data|objects?|files?|items?|rows?|messages?|events?|records?|notifications?|logs?|access|rights|permissions?"
)
_PREP = r"to|from|in|into|on|of"
_PRONOUN_GRANT = re.compile(
    r"\b(?P<verbs>(?:(?:" + "|".join(_VERBS.values()) + r")(?:\s*(?:,|and|/|&|or)\s*)?){1,4})\s+"
    rf"(?P<obj>(?:{_OBJECT})\s+)?(?P<prep>(?:{_PREP})\s+)?(?P<pron>it|them)\b(?!\s+(?:to|into|onto|in|from)\s)",
    re.I,
)
# 'add a queue', 'post a topic': a verb that also means 'create' asks for access only with an object or preposition
_CREATE_LIKE = re.compile(r"^(?:add|put|post|push|ship|emit|insert|stor|sav)\w*$", re.I)
# 'copies them into bucket b', 'moves files to the bucket archive': a write where things go, not where they come from
_TO_ONLY = re.compile(r"^(?:cop(?:y|ies|ied|ying)|mov(?:e|es|ed|ing)|deliver\w*|drop\w*)$", re.I)
_NOT_NAMES = {
    "and",
    "with",
    "for",
    "in",
    "that",
    "to",
    "the",
    "when",
    "on",
    "of",
    "which",
    "named",
    "called",
    "so",
    "using",
    "every",
    "each",
    "then",
    "tagged",
    "it",
}


@dataclass(frozen=True)
class Grant:
    actions: list[str]
    resource_refs: list[str]
    resources: list[str]
    existing: list[dict[str, object]] = field(default_factory=list)

    def statement(self) -> dict[str, object]:
        """The spec statement / permission: only the fields that say something."""
        out: dict[str, object] = {"actions": self.actions, "resource_refs": self.resource_refs}
        out["resources"] = self.resources
        if self.existing:
            out["existing"] = self.existing
        return out


def _service(noun: str) -> str:
    for service, pattern in tables().nouns.items():
        if re.fullmatch(pattern, noun, re.I):
            return service
    return "s3"


@dataclass(frozen=True)
class Missing:
    """Access the request asks for that cannot be written as a grant (the target's ARN is not known)."""

    actions: list[str]
    target: str
    service: str


# 'triggered by uploads to', 'when files are uploaded to', 'on new uploads in': an event at the target, which the
# function reacts to (it reads what arrived); it is not access to write there.
_EVENT_BEFORE = re.compile(
    r"(?:\b(?:by|on|upon|after|when|whenever|once|every|each|any|are|is|was|were|be|been|being|get|gets|got|"
    r"new|of)\s+(?:(?:new|the|a|an|any|each|every|files?|objects?|images?|photos?|items?|records?|data)\s+){0,2})$",
    re.I,
)
_EVENT_VERBS = re.compile(r"^(?:upload\w*|put\w*|add\w*|post\w*|writ\w*|wrote|creat\w*|stor\w*|sav\w*)$", re.I)


@dataclass(frozen=True)
class Tables:
    """Each grantable service's tables (``gate/services/<name>/lexicon.py`` grants), by IAM prefix, and the
    phrases built from their nouns."""

    actions: dict[str, dict[str, list[str]]]
    kinds: dict[str, str]
    nouns: dict[str, str]
    arn_example: dict[str, str]
    example_noun: dict[str, str]
    grant: re.Pattern[str]
    arn_grant: re.Pattern[str]


def _grant_re(nouns: dict[str, str]) -> re.Pattern[str]:
    return re.compile(
        r"\b(?P<verbs>(?:(?:" + "|".join(_VERBS.values()) + r")(?:\s*(?:,|and|/|&|or)\s*)?){1,4})\s+"
        rf"(?P<obj>(?:{_OBJECT})\s+|(?:[a-z][\w-]*\s+){{1,2}}?(?=(?:{_PREP})\s))?"
        rf"(?P<prep>(?:{_PREP})\s+)?(?:(?:the|a|an|our|that|this|its|existing|current)\s+){{0,2}}"
        r"(?:(?P<pre>[a-z0-9][\w.-]*)\s+(?=(?:" + "|".join(nouns.values()) + r")\b))?"
        r"(?P<noun>" + "|".join(f"(?:{n})" for n in nouns.values()) + r")"
        r"(?:\s+(?:named\s+|called\s+)?[\"'`]?(?P<name>[a-z0-9][a-z0-9._-]*[a-z0-9])[\"'`]?)?",
        re.I,
    )


def _arn_grant_re(nouns: dict[str, str]) -> re.Pattern[str]:
    return re.compile(
        r"\b(?P<verbs>(?:(?:" + "|".join(_VERBS.values()) + r")(?:\s*(?:,|and|/|&|or)\s*)?){1,4})\s+"
        r"(?:(?:data|objects?|files?|items?|rows?|messages?|events?|records?|notifications?|logs?|access|rights)\s+)?"
        r"(?:(?:to|from|in|into|on|of)\s+)?(?:(?:the|a|an|our|that|this|its|existing)\s+)?"
        r"(?:(?:" + "|".join(nouns.values()) + r")\s+)?"
        r"(?P<arn>arn:aws[a-z-]*:(?P<service>s3|dynamodb|sqs|sns|logs):[A-Za-z0-9._:/*-]+[A-Za-z0-9*])",
        re.I,
    )


@functools.cache
def tables() -> Tables:
    from gate.services import CATALOG  # here, not at the top: the services' recognisers import this module

    grantable = [g for service in CATALOG.values() for g in service.lexicon.grants]
    nouns = {g.prefix: g.noun for g in grantable}
    return Tables(
        actions={g.prefix: dict(g.actions) for g in grantable},
        kinds={g.prefix: g.kind for g in grantable},
        nouns=nouns,
        # 'named': an action named one by one ('kms:Decrypt') on a service no lexicon grants access to
        arn_example={
            **{g.prefix: g.arn_example for g in grantable},
            "named": "arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE",
        },
        example_noun={
            **{g.prefix: g.example_noun for g in grantable if g.example_noun is not None},
            "named": "resource",
        },
        grant=_grant_re(nouns),
        arn_grant=_arn_grant_re(nouns),
    )


def plain_access(text: str) -> str:
    """'read-only access' reads as 'read access', 'read-write' as 'read/write' (same length: spans keep); an action
    named one by one ('sqs:ReceiveMessage') is blanked: it is granted as named, not read as the verb 'receive'."""
    text = named_actions.blank(text)
    text = re.sub(r"\b(read)([- ]?only)\b", lambda m: m.group(1) + " " * len(m.group(2)), text, flags=re.I)
    return re.sub(r"\b(read)[- ](write)\b", r"\1/\2", text, flags=re.I)


def is_event(text: str, match: re.Match[str]) -> bool:
    """True when the matched verb names an event at the target ('triggered by uploads to the bucket X')."""
    verbs = match.group("verbs").strip()
    if not _EVENT_VERBS.match(verbs):
        return False
    return bool(_EVENT_BEFORE.search(text[max(0, match.start() - 40) : match.start()]))


def _classes(verbs: str) -> list[str]:
    verbs = verbs.lower()
    classes = [c for c, pattern in _VERBS.items() if re.search(rf"\b(?:{pattern})", verbs)]
    if "read" in classes and "write" in classes and not re.search(_WRITE_ONLY, verbs):
        classes = ["read"]  # 'access' alone is both; 'read' alone is read
    if re.fullmatch(r"access\w*", verbs.strip()):
        classes = ["read", "write"]
    return classes


def phrases(text: str) -> list[re.Match[str]]:
    """Every access phrase in ``text`` that asks for access (events at a target are left out)."""
    plain = plain_access(text)
    found = [
        m
        for m in tables().grant.finditer(plain)
        if not is_event(plain, m)
        and not (_CREATE_LIKE.match(m.group("verbs").strip()) and not m.group("obj") and not m.group("prep"))
        and not (_TO_ONLY.match(m.group("verbs").strip()) and not re.match(r"(?:to|into|in)\s", m.group("prep") or ""))
    ]
    found += [m for m in tables().arn_grant.finditer(plain) if not is_event(plain, m)]
    found += [
        m
        for m in _PRONOUN_GRANT.finditer(plain)
        if not is_event(plain, m)
        and not (_CREATE_LIKE.match(m.group("verbs").strip()) and not m.group("obj") and not m.group("prep"))
        and not (_TO_ONLY.match(m.group("verbs").strip()) and not re.match(r"(?:to|into|in)\s", m.group("prep") or ""))
    ]
    return sorted(found, key=lambda m: m.start())


def read_grants(ctx: Ctx, text: str) -> tuple[list[Grant], list[Missing]]:
    """The grants ``text`` asks for, and the access it asks for that cannot be granted."""
    out: list[Grant] = []
    missing: list[Missing] = []
    named = named_actions.runs(text)
    used: set[int] = set()
    for match in phrases(text):
        narrowed = _narrowing(named, match)
        if narrowed is not None:
            used.add(narrowed.start)
        if "arn" in match.groupdict():
            service = match.group("service").lower()
            actions = [a for c in _classes(match.group("verbs")) for a in tables().actions[service].get(c, [])]
            actions = narrowed.actions if narrowed else actions
            arn = match.group("arn").rstrip(".")
            extra = [f"{arn}/index/*"] if service == "dynamodb" and "/index/" not in arn else []
            extra += [f"{arn}/*"] if service == "s3" and "/" not in arn.split(":::", 1)[-1] else []
            if actions:
                out.append(Grant(list(dict.fromkeys(actions)), [], [arn, *extra]))
            continue
        if "pron" in match.groupdict():
            found = _antecedent(ctx, match.group(0))
            if found is None:
                continue  # nothing in this change the pronoun can be: not access to a resource
            service, antecedent = found
            actions = [a for c in _classes(match.group("verbs")) for a in tables().actions[service].get(c, [])]
            actions = narrowed.actions if narrowed else actions
            if actions:
                out.append(Grant(list(dict.fromkeys(actions)), [antecedent], []))
            continue
        service = _service(match.group("noun"))
        actions = _named_actions(service, match.group("verbs")) or list(
            dict.fromkeys(a for c in _classes(match.group("verbs")) for a in tables().actions[service].get(c, []))
        )
        actions = narrowed.actions if narrowed else actions
        if not actions:
            continue
        name = match.group("name")
        if name and name.lower() in ("name", "names", "arn", "url"):
            continue  # 'gets the table name in env var X': the table's name, not access to a table called name
        if name and name.lower() in _NOT_NAMES:
            name = None
        pre = match.group("pre")
        if name is None and pre and pre.lower() not in _NOT_NAMES | {"s3", "sqs", "sns", "dynamodb", "dynamo", "iam"}:
            name = pre  # 'the artifacts bucket'
        kind = tables().kinds[service]
        names = ctx.names.get(kind, [])
        ref = next((n for n in names if name and n in (name.lower(), kebab(name))), None)
        if ref is None and name is None and names:
            ref = names[0]
        if ref is not None:
            out.append(Grant(actions, [ref], []))
        elif name and service in ("s3", "dynamodb", "sqs", "sns"):
            existing: dict[str, object] = {"kind": kind, "name": name}
            if service == "dynamodb" and _INDEXES.search(text):
                existing["indexes"] = True
            out.append(Grant(actions, [], [], [existing]))
        else:
            target = f"{match.group('noun')} {name}" if name else match.group("noun")
            missing.append(Missing(actions, target, service))
    for run in named:
        if run.start in used or _RULED_OUT.search(text[max(0, run.start - 30) : run.start]):
            continue  # 'No dynamodb:* please': actions the request rules out are no grant
        _named_grant(ctx, run, out, missing)
    return _merge(out), missing


_RULED_OUT = re.compile(r"\b(?:no|not|never|without|nor|don'?t\s+(?:\w+\s+)?)\s*(?:\w+\s+){0,1}$", re.I)


def _named_actions(service: str, verbs: str) -> list[str]:
    """'can only do GetItem, Query and PutItem': the API actions named, exactly (none: read the verbs)."""
    known = {a.split(":", 1)[1].lower(): a for actions in tables().actions[service].values() for a in actions}
    named = [
        known[w.lower()] for w in re.findall(r"(?<![\w:])(?:[a-z0-9]+:)?([A-Z][A-Za-z]+)", verbs) if w.lower() in known
    ]
    return list(dict.fromkeys(named)) if len(named) >= 1 and re.search(r"[a-z][A-Z]|\bQuery\b|\bScan\b", verbs) else []


def _narrowing(named: list[named_actions.Run], match: re.Match[str]) -> named_actions.Run | None:
    """'read access to the bucket b (s3:GetObject and s3:ListBucket)': the bracketed actions are the grant's."""
    return next((r for r in named if r.bracketed and 0 <= r.start - match.end() <= 4), None)


def _named_grant(ctx: Ctx, run: named_actions.Run, out: list[Grant], missing: list[Missing]) -> None:
    """Actions named one by one, granted exactly as named on the target written after them."""
    service = named_actions.service_of(run.actions[0])
    if run.arns:
        extra = [f"{a}/*" for a in run.arns if service == "s3" and "/" not in a.split(":::", 1)[-1]]
        extra += [f"{a}/index/*" for a in run.arns if service == "dynamodb" and "/index/" not in a]
        out.append(Grant(run.actions, [], [*run.arns, *extra]))
        return
    kind = named_actions.kind_of(run.noun) if run.noun else tables().kinds.get(service)
    names = ctx.names.get(kind, []) if kind else []
    if run.name and kind:
        ref = next((n for n in names if n in (run.name.lower(), kebab(run.name))), None)
        if ref is not None:
            out.append(Grant(run.actions, [ref], []))
        else:
            out.append(Grant(run.actions, [], [], [{"kind": kind, "name": run.name}]))
        return
    if run.pronoun or len(names) == 1:
        found = _antecedent(ctx, ctx.request[run.start : run.end]) if run.pronoun else (service, names[0])
        if found is not None:
            out.append(Grant(run.actions, [found[1]], []))
            return
    missing.append(Missing(run.actions, f"{service} resource", service if service in tables().arn_example else "named"))


def _antecedent(ctx: Ctx, phrase: str) -> tuple[str, str] | None:
    """What 'it' in 'reads from it' is: the only bucket/table/queue/topic/log group in the change, or the one
    named last before the phrase."""
    candidates = [(service, n) for service, kind in tables().kinds.items() for n in ctx.names.get(kind, [])]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    upto = ctx.request.find(phrase)
    before = ctx.request[: upto if upto >= 0 else len(ctx.request)]
    placed = [(before.rfind(n), (service, n)) for service, n in candidates]
    best = max(placed)
    return best[1] if best[0] >= 0 else None


def _merge(grants: list[Grant]) -> list[Grant]:
    """One grant per target: 'read and write the table' twice over is one statement."""
    merged: dict[tuple[tuple[str, ...], tuple[str, ...], str], tuple[list[str], list[dict[str, object]]]] = {}
    for g in grants:
        key = (tuple(g.resource_refs), tuple(g.resources), repr(g.existing))
        actions = merged.get(key, ([], []))[0]
        merged[key] = (list(dict.fromkeys([*actions, *g.actions])), g.existing)
    return [Grant(acts, list(refs), list(arns), ex) for (refs, arns, _), (acts, ex) in merged.items()]


def note_missing(ctx: Ctx, who: str, missing: list[Missing]) -> None:
    """Access that could not be granted is said first among the assumptions ('not-applied'), never dropped."""
    example_noun, arn_example = tables().example_noun, tables().arn_example
    for m in missing:
        ctx.assume(
            who,
            "not-applied",
            f"NOT granted: {', '.join(m.actions)} on {m.target}",
            f"the request does not name the {m.target}: name it (e.g. 'that can "
            f"{'read' if any('Get' in a or 'Receive' in a for a in m.actions) else 'write to'} the existing "
            f"{example_noun[m.service]} NAME'), write its ARN ({arn_example[m.service]}) or create it in the same "
            "request"
            if m.service != "logs"
            else f"the {m.target} is not in this change and its ARN needs the account id: write its ARN in the "
            f"request (e.g. 'that can write to {arn_example[m.service]}') or create it in the same request",
        )


def grants(ctx: Ctx, text: str, who: str) -> list[Grant]:
    """The grants ``text`` asks for; ungrantable ones are recorded as 'not-applied' assumptions on ``who``."""
    found, missing = read_grants(ctx, text)
    note_missing(ctx, who, missing)
    return found
