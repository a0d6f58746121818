"""Every word of a request is accounted for: claimed by what it became, or reported as not understood.

After the spec is built, the request is cut into tokens and each token is claimed, in this order, by

1. a resource mention (a noun of a kind the gate builds: a new resource, or a reference to one);
2. a value the built spec carries (a name, CIDR, ARN, id, alias, email, instance class, or a number that,
   with its unit, equals a field: '7 days' -> 7 or 604800 s, '2 GB' -> 2048 MB);
3. an attribute word of the resource's service (:mod:`gate.interpret.lexicon`) whose field the built resource
   carries; a yes/no setting must also agree with the negation before it ("no public IP");
4. a phrase another note already reports as not built (``not-applied``);
5. the closed list of function words.

Every claim keeps its span as a :class:`gate.spec.Reading` (start, end, text, resource, field, value), which
the comment shows as "Read as".  Content words left over are grouped into phrases and reported, quoted exactly,
as ``not-understood`` assumptions: the plan then needs approval, never passes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from gate.interpret import extract, lexicon, phrases, values
from gate.interpret.claims import Claims, tokens
from gate.interpret.mentions import Mention, Segment, nouns
from gate.spec import Assumption, ChangeSpec, Reading

_DEFINITE = re.compile(r"^(?:the|a|an|our|my|its|their|this|that)$", re.I)


def _owner(segs: list[Segment], at: int) -> Segment | None:
    inside = next((s for s in segs if s.start <= at < s.end), None)
    if inside is not None:
        return inside
    before = [s for s in segs if s.start <= at]
    return before[-1] if before else (segs[0] if segs else None)


def account(
    request: str,
    spec: ChangeSpec,
    mentions: list[Mention],
    segs: list[Segment],
    names_by_seg: dict[int, list[str]],
    need: str | None = None,
    given: Sequence[Reading] = (),
) -> tuple[list[Reading], list[Assumption]]:
    """The readings of every claimed token and one ``not-understood`` assumption per phrase left over.

    ``names_by_seg``: the names of the resources built from each segment (by the segment's mention start).
    ``need``: a business request read as a need (the option chosen): its plain words are read as that need, but
    never a value, a number, a negation or a scale word, which must be claimed by what they set or be reported.
    ``given``: readings made before coverage (an LLM's checked spans, a refinement's own words): their tokens are
    claimed by them as they are."""
    toks = tokens(request)
    claims = Claims(request, [], [False] * len(toks), toks)
    built = {r.name: values.built(r.model_dump(mode="json")) for r in spec.resources}
    every = list(built.values())
    for index, tok in enumerate(toks):
        word = tok.text.lower()
        if word in lexicon.FUNCTION_WORDS or word in lexicon.CONNECTIVES:
            claims.claimed[index] = True
    _claim_given(claims, given)
    _claim_mentions(claims, mentions, segs, names_by_seg)
    for index, tok in enumerate(toks):
        if claims.claimed[index]:
            continue
        seg = _owner(segs, tok.start)
        own = [built[n] for n in names_by_seg.get(seg.mention.start, []) if n in built] if seg else []
        if not segs:
            own = every  # a need read as an architecture: its numbers ('every night at 1am') are the whole spec's
        others = [b for b in every if b not in own]
        spelled = tok.text.lower()
        if spelled in extract.NUMBER_WORDS and not spelled.isdigit() and _claim_word(claims, index, own or every):
            continue  # 'single AZ', 'single node': the phrase, not the number one
        if _claim_value(claims, index, own, others):
            continue
        if _claim_word(claims, index, own or every):
            continue
        if own and _claim_word(claims, index, others, only=_BOUND_ANYWHERE):
            continue
    _claim_tags(claims, spec)
    _claim_quoted(claims, built)
    phrases.claim_always(claims, {b.kind for b in every})
    _claim_reported(claims, spec)
    _claim_modifiers(claims, {b.kind for b in every})
    phrases.claim_purpose(claims)
    if need:
        _claim_need(claims, need)
    return _merged(claims.readings), _not_understood(claims)


def _claim_given(claims: Claims, given: Sequence[Reading]) -> None:
    for reading in given:
        inside = [i for i, t in enumerate(claims.toks) if reading.start <= t.start and t.end <= reading.end]
        if any(not claims.claimed[i] for i in inside):
            claims.readings.append(reading)
        for i in inside:
            claims.claimed[i] = True


def _claim_mentions(
    claims: Claims, mentions: list[Mention], segs: list[Segment], names_by_seg: dict[int, list[str]]
) -> None:
    news = {s.mention.start: names_by_seg.get(s.mention.start, []) for s in segs}
    for m in mentions:
        if m.kind.startswith("_"):
            continue
        names = news.get(m.start)
        field = "resource" if names is not None else "reference"
        resource = names[0] if names else None
        if names is None and _NEGATED_MENTION.search(claims.request[max(0, m.start - 16) : m.start]):
            field = "ruled out"  # 'with no VPC': nothing of that kind is created for it
            for index, tok in enumerate(claims.toks):
                if m.start - 16 <= tok.start < m.start and lexicon.NEGATION.fullmatch(tok.text):
                    claims.claim(index, None, field, "not created, as asked")
        for index, tok in enumerate(claims.toks):
            if m.start <= tok.start < m.end and not claims.claimed[index]:
                claims.claim(index, resource, field, m.kind)
        if names is None:
            continue
        before = [i for i, t in enumerate(claims.toks) if t.end <= m.start][-3:]
        for i in before:  # 'two buckets: a and b' made two resources
            n = extract.number(claims.toks[i].text.lower())
            if len(names) > 1 and n == len(names) and not claims.claimed[i]:
                claims.claim(i, resource, "count", n)


_NEGATED_MENTION = re.compile(r"\b(?:no|without|not\s+in)\s+(?:a\s+|an\s+|any\s+)?$", re.I)


_DURATION_FIELD = re.compile(r"(?:_days|_s|_seconds|_minutes|_hours|period\w*|retention\w*|timeout\w*)$")


def _claim_value(claims: Claims, index: int, own: list[values.Built], others: list[values.Built]) -> bool:
    tok = claims.toks[index]
    nxt = claims.toks[index + 1] if index + 1 < len(claims.toks) else None
    unit = ""
    inline = re.fullmatch(r"(\d+(?:\.\d+)?)\s*-?([a-z%]+)", tok.text, re.I)
    if inline and lexicon.UNITS.fullmatch(inline.group(2)):
        unit = inline.group(2)
    elif nxt is not None and lexicon.UNITS.fullmatch(nxt.text):
        unit = nxt.text
    number = re.fullmatch(r"\d+(?:\.\d+)?", tok.text) or inline or tok.text.lower() in extract.NUMBER_WORDS
    # 'a week', 'an hour': the unit after an article is one of it, read only into a duration field
    before = claims.toks[index - 1].text.lower() if index > 0 else ""
    one_unit = before in ("a", "an") and bool(lexicon.UNITS.fullmatch(tok.text))
    for group in (own, others):
        for b in group:
            for path, value in b.leaves:
                if path in ("kind", "purpose", "description") or path.endswith(".description"):
                    continue  # text the gate wrote from the request's own words carries none of its values
                hit = values.same_text(tok.text, value) or (path == "name" and values.name_part(tok.text, str(value)))
                if not hit and isinstance(value, str) and path.endswith(("name", "_ref", "refs", "bucket_name")):
                    hit = values.name_part(tok.text, value) and len(tok.text) >= 3
                if (
                    not hit
                    and number
                    and (group is own or path in _VALUES_ANYWHERE)
                    and tok.text.lower() not in ("a", "an")
                ):
                    base = inline.group(1) if inline else tok.text
                    hit = values.carried_number(values.number_candidates(base, unit), value, path)
                if not hit and one_unit and group is own and _DURATION_FIELD.search(path):
                    hit = values.carried_number(values.number_candidates("1", tok.text), value, path)
                if hit:
                    claims.claim(index, b.name, path, value)
                    if unit and nxt is not None and not inline and lexicon.UNITS.fullmatch(nxt.text):
                        claims.claim(index + 1, b.name, path, value)
                    return True
    return False


_AFTER = re.compile(r"\s*(?:=|:)?\s*(off|disabled|false|no|none|on|enabled|true|yes)\b", re.I)


def _empty(value: object) -> bool:
    return value is None or value is False or value in ("", [], {})


# fields bound by reference wherever their words stand (gate.interpret.existing): 'and a DB subnet group over
# subnet-a and subnet-b' written in another resource's part of the request is still the database's
_BOUND_ANYWHERE = frozenset(
    (
        "subnet_ids",
        "security_group_ids",
        "db_subnet_group_name",
        "cache_subnet_group_name",
        "vpc_id",
        "subscriptions",
        "triggers",
        "visibility_timeout_s",
    )
)
# numbers read into another resource's field wherever they stand ('function timeout 30s; queue visibility 180 s')
_VALUES_ANYWHERE = frozenset(("visibility_timeout_s",))


def _claim_word(claims: Claims, index: int, candidates: list[values.Built], only: frozenset[str] | None = None) -> bool:
    """The longest attribute phrase of the resource's service at this token whose field the resource carries (or,
    negated, leaves unset: 'without a dead-letter queue'), agreeing in polarity for a yes/no setting."""
    tok = claims.toks[index]
    best: tuple[int, values.Built, lexicon.Entry, object] | None = None
    for b in candidates:
        for entry, pattern in lexicon.COMPILED.get(b.kind, ()):
            match = pattern.match(claims.request, tok.start)
            if only is not None and entry.field not in only:
                continue
            if match is None or match.end() < tok.end or (best is not None and match.end() <= best[0]):
                continue
            value = b.fields.get(entry.field)
            if entry.positive is not None and isinstance(value, int | str | list) and not isinstance(value, bool):
                value = value not in (0, "", "none", [])  # a count, mode or list read as yes/no: 'no NAT'
            negated = phrases.negated(claims.request, tok.start, match.end())
            if _empty(value) and entry.field != "name" and entry.positive is None:
                if not negated:
                    continue
                value = "not set, as asked"
            # 'no replicas' built as 0 replicas is a reading of it; 'no retention limit' built as 365 days is not
            kept = not _empty(value) and not isinstance(value, bool) and value not in ("not set, as asked", 0)
            if negated and entry.positive is None and kept and entry.field != "name":
                continue  # 'no retention limit' read as a retention of 365 days is no reading of it
            if entry.positive is not None and isinstance(value, bool) and entry.positive == negated:
                if value:
                    continue  # 'no public IP' built as public_ip: true is not a reading of it
            elif entry.positive is not None and isinstance(value, bool) and not value:
                continue  # 'multi-AZ' built single-AZ
            best = (match.end(), b, entry, value)
    if best is None:
        return False
    end, b, entry, value = best
    for j, other in enumerate(claims.toks):
        if tok.start <= other.start < end and not claims.claimed[j]:
            claims.claim(j, b.name, entry.field, value)
    if entry.field != "name":
        _claim_negation(claims, index, b.name, entry.field, value)
    return True


def _claim_negation(claims: Claims, index: int, resource: str, field: str, value: object) -> None:
    """'without versioning', 'no public IP', 'versioning off': the negation word is part of the phrase it negates."""
    for j in range(index + 1, min(len(claims.toks), index + 3)):
        if claims.toks[j].start > claims.toks[index].end + 12:
            break
        if not claims.claimed[j] and _AFTER.fullmatch(" " + claims.toks[j].text):
            claims.claim(j, resource, field, value)
            break
    for j in range(index - 1, max(-1, index - 5), -1):  # 'must not have a public IP': over function words
        word = claims.toks[j].text
        if claims.claimed[j] and not _DEFINITE.match(word) and word.lower() not in lexicon.FUNCTION_WORDS:
            return
        if lexicon.NEGATION.fullmatch(word):
            claims.claim(j, resource, field, value)
            return


def _claim_tags(claims: Claims, spec: ChangeSpec) -> None:
    pairs = {(k.lower(), v.lower()) for r in spec.resources for k, v in getattr(r, "tags", {}).items()}
    env = {
        (k.lower(), str(v).lower()) for r in spec.resources for k, v in (getattr(r, "environment", None) or {}).items()
    }
    for index, tok in enumerate(claims.toks):
        pair = extract.TAG_PAIR_RE.fullmatch(tok.text)
        key = (pair.group(1).lower(), pair.group(2).strip("\"'").lower()) if pair else None
        if key in pairs:
            claims.claim(index, None, "tags", tok.text)
        elif key in env:
            claims.claim(index, None, "environment", tok.text)
    for index, tok in enumerate(claims.toks):
        if not claims.claimed[index] and re.fullmatch(r"(?:tag(?:s|ged)?|labell?ed)", tok.text, re.I) and pairs:
            claims.claim(index, None, "tags", "see tags")
    region = extract.region(claims.request)
    if region:
        for index, tok in enumerate(claims.toks):
            if not claims.claimed[index] and (tok.text.lower() == region or tok.text.lower() == "region"):
                claims.claim(index, None, "region", region)


_QUOTED = re.compile(
    r"(?:\b(description|display\s+name|subject)\s+(?:is\s+|of\s+|:\s*)?)?"
    r"([\"'`\u201c])([^\"'`\u201d]{1,255})[\"'`\u201d]",
    re.I,
)


def _claim_quoted(claims: Claims, built: dict[str, values.Built]) -> None:
    """With description 'cache access from app subnets': a quoted text a built field carries exactly is read as
    that field, every word of it (and the setting word before it)."""
    for match in _QUOTED.finditer(claims.request):
        said = match.group(3).strip()
        owner = next(((b.name, path) for b in built.values() for path, leaf in b.leaves
                      if isinstance(leaf, str) and leaf.lower() == said.lower()), None)  # fmt: skip
        if owner is None:
            continue
        for index, tok in enumerate(claims.toks):
            if match.start() <= tok.start < match.end() and not claims.claimed[index]:
                claims.claim(index, owner[0], owner[1], said)


def _claim_reported(claims: Claims, spec: ChangeSpec) -> None:
    """Phrases another note already quotes as not built ('not-applied: S3 Object Lock ('object lock for 5 years')')."""
    quoted = [
        q.lower()
        for a in spec.assumptions
        if a.field in ("not-applied", "existing vpc")
        for q in [*re.findall(r"'([^']{2,120})'", a.value), a.value]
    ]
    for index, tok in enumerate(claims.toks):
        if not claims.claimed[index] and any(_within(tok.text.lower(), q) for q in quoted):
            claims.claimed[index] = True
            claims.readings.append(Reading(start=tok.start, end=tok.end, text=tok.text, resource=None,
                                           field="not-applied", value="reported above as not built"))  # fmt: skip


def _claim_modifiers(claims: Claims, kinds: set[str]) -> None:
    """A resource noun that describes another ('bucket' in 'bucket versioning', 'RDS' in 'an RDS security group')
    is no resource of its own: it is read as describing the phrase it stands in."""
    for kind, start, end in nouns(claims.request):
        if kind.startswith("_"):
            continue
        for index, tok in enumerate(claims.toks):
            if start <= tok.start and tok.end <= end and not claims.claimed[index]:
                claims.claim(index, None, "describes", kind if kind in kinds else f"{kind} (not built here)")


# words that change which option fits a need: never absorbed into the need, claimed only by what they set
SCALE = re.compile(
    r"(?:internal|external|public(?:ly)?|private|critical|important|production|prod|millions?|thousands?|billions?|"
    r"hundreds?|many|lots|heavy|huge|large|big|small|tiny|cheap\w*|expensive|budget|highly|available|availability|"
    r"downtime|outage|fail\w*|secure|encrypt\w*|compliance|regulat\w*|years?|months?|weeks?|days?|hours?|minutes?|"
    r"forever|always|never|fast|slow|latency|global\w*|regions?|zones?)",
    re.I,
)


def _claim_need(claims: Claims, need: str) -> None:
    for index, tok in enumerate(claims.toks):
        if claims.claimed[index] or not tok.text.replace("'", "").isalpha():
            continue
        if lexicon.NEGATION.fullmatch(tok.text) or SCALE.fullmatch(tok.text):
            continue
        claims.claim(index, None, "need", f"read as the need behind {need!r}")


def _within(word: str, phrase: str) -> bool:
    return bool(re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", phrase))


def _merged(readings: list[Reading]) -> list[Reading]:
    """Adjacent tokens read as the same resource field and value are one reading ('an S3 bucket')."""
    out: list[Reading] = []
    for r in sorted(readings, key=lambda r: r.start):
        prev = out[-1] if out else None
        if (
            prev
            and (prev.resource, prev.field, prev.value) == (r.resource, r.field, r.value)
            and r.start - prev.end <= 12
        ):
            out[-1] = prev.model_copy(update={"end": r.end, "text": f"{prev.text} … {r.text}"
                                              if r.start - prev.end > 1 else f"{prev.text} {r.text}"})  # fmt: skip
        else:
            out.append(r)
    return out


def _not_understood(claims: Claims) -> list[Assumption]:
    """Runs of unclaimed tokens (function words between them join a run) as quoted phrases of the request."""
    runs: list[tuple[int, int]] = []
    for index, _tok in enumerate(claims.toks):
        if claims.claimed[index]:
            continue
        if runs and all(claims.claimed[j] and claims.toks[j].text.lower() in lexicon.FUNCTION_WORDS
                        for j in range(runs[-1][1] + 1, index)) and index - runs[-1][1] <= 2:  # fmt: skip
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    out: list[Assumption] = []
    for first, last in runs:
        phrase = claims.request[claims.toks[first].start : claims.toks[last].end]
        out.append(
            Assumption(
                resource=None,
                field="not-understood",
                value=repr(phrase),
                reason="the gate could not place these words on any resource or setting, so nothing was built from "
                "them: check the plan does what you meant, or say it with a setting the gate knows (e.g. 'with "
                "versioning', 'SSH from 203.0.113.0/24', 'on db.t3.small', 'retention of 14 days')",
            )
        )
    return out
