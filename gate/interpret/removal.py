"""Removal requests: "remove the queue jobs", "delete the jobs queue and the topic alerts", "drop bucket logs".

A removal is read against the spec the stack holds: each target is a resource named outright (its spec name,
with or without its kind's noun) or, when the stack holds exactly one resource of a kind, that kind's noun
alone ("remove the queue"). Text that does not start with a removal verb is not a removal (``None``); a
removal that names something the stack does not hold is an error that lists what it does hold.
"""

from __future__ import annotations

import re

from gate.errors import GateError
from gate.interpret import fresh
from gate.services import CATALOG
from gate.spec import ChangeSpec, ResourceSpec

_VERB = re.compile(
    r"^\s*(?:please\s+)?(?:remove|delete|drop|destroy|tear\s+down|get\s+rid\s+of|decommission)\b\s*(?P<rest>.*)$",
    re.I | re.S,
)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&)\s*", re.I)
_FILLER = re.compile(r"\b(?:the|that|this|our|existing|old|named|called|resource|also|too|as\s+well)\b", re.I)
# nouns people use for a kind besides the words of its own name (sqs_queue -> "sqs", "queue")
# (each service's in its folder: ``gate/services/<name>/lexicon.py`` REMOVAL)
_NOUNS: dict[str, tuple[str, ...]] = {
    kind: nouns for service in CATALOG.values() for kind, nouns in service.lexicon.removal.items()
}


def _nouns(kind: str) -> tuple[str, ...]:
    own = tuple(w for w in kind.split("_") if len(w) > 2)
    return (*_NOUNS.get(kind, ()), " ".join(kind.split("_")), *own)


def _strip_nouns(text: str, kind: str) -> str:
    for noun in sorted(_nouns(kind), key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(noun)}s?\b", " ", text, flags=re.I)
    return " ".join(text.split())


def _resolve(target: str, resources: list[ResourceSpec]) -> ResourceSpec | None:
    words = " ".join(_FILLER.sub(" ", target.strip(" .!")).split())
    if not words:
        return None
    for res in resources:  # by name, the kind's noun around it or not: "queue jobs", "jobs queue", "jobs"
        rest = re.sub(rf"(?<![\w-]){re.escape(res.name)}(?![\w-])", " ", words, flags=re.I)
        if rest != words and not _strip_nouns(rest, res.kind):
            return res
    by_noun = [r for r in resources if not _strip_nouns(words, r.kind)]
    return by_noun[0] if len(by_noun) == 1 else None


def read(text: str, spec: ChangeSpec | None) -> tuple[str, ...] | None:
    """The spec names ``text`` asks to remove, in order; None when ``text`` is not a removal request."""
    match = _VERB.match(text)
    if not match:
        return None
    held = list(spec.resources) if spec else []
    if not held:
        raise GateError(
            f"nothing the gate manages is deployed, so there is nothing to remove ({text.strip()[:80]!r})",
            fix="plan against the stack's AWS endpoint (--endpoint-url, aws.endpoint_url or AWS credentials), "
            "or ask for what to create",
        )
    names: list[str] = []
    for part in (p for p in _SPLIT.split(match.group("rest")) if p.strip(" .!")):
        found = _resolve(part, held)
        if found is None:
            holds = ", ".join(f"{r.kind} {r.name}" for r in held) or "nothing the gate manages"
            raise GateError(
                f"cannot tell what to remove in {part.strip()!r}: the stack holds {holds}",
                fix="name the resource as the stack holds it, e.g. 'remove the queue jobs'",
            )
        if found.name not in names:
            names.append(found.name)
    if not names:
        raise GateError("the removal names nothing to remove", fix="say what to remove, e.g. 'remove the queue jobs'")
    return tuple(names)


def without(spec: ChangeSpec, names: tuple[str, ...], text: str) -> ChangeSpec:
    """``spec`` without the named resources; references to them from what stays make it an error."""
    kept = [r for r in spec.resources if r.name not in names]
    if not kept:
        raise GateError(
            "the request would remove every resource the gate manages in this stack",
            fix="to retire the whole stack, delete it (after saving what it holds); a plan keeps at least one resource",
        )
    for res in kept:
        refs = {v for k, v in res.model_dump().items() if k.endswith("_ref") and isinstance(v, str)}
        gone = sorted(refs & set(names))
        if gone:
            raise GateError(
                f"{res.name} refers to {', '.join(gone)}, which the request removes",
                fix=f"remove {res.name} too, or change it first so it no longer refers to {', '.join(gone)}",
            )
    summary = f"{spec.summary} Then: {text.strip()}"
    before = {r.name: r.model_dump(mode="json") for r in spec.resources}
    after = {name: dump for name, dump in before.items() if name not in names}
    return spec.model_copy(
        update={
            "resources": kept,
            "summary": summary[:497] + "..." if len(summary) > 500 else summary,
            # nothing about a removed resource holds any more (gate.interpret.fresh)
            "assumptions": fresh.assumptions(spec.assumptions, before, after),
            "readings": fresh.readings(spec.readings, before, after),
        }
    )
