"""The LLM keeps the offline interpreter's promise: every setting points at the words of the request it came from.

The model answers a :class:`LlmAnswer`: the spec's fields plus ``spans``, one per resource and per field it sets,
each the part of the request (start, end and the text itself) that asks for it. The answer is then checked
against the request, never trusted:

- a span whose text is not where it says is looked for elsewhere in the request (models miscount characters);
  a span whose text the request does not contain at all reads nothing;
- a resource no valid span asks for is invented: the answer is rejected (fed back, and refused in the end), it is
  never built;
- a field the model set that no valid span and no assumption of its own accounts for is reported as
  ``not-in-request``: it is built, and the plan needs approval;
- the valid spans are the spec's readings ("Read as"), and every word of the request that neither they nor the
  offline coverage (:mod:`gate.interpret.coverage`) place is reported ``not-understood``, as offline.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from gate.interpret import coverage, fresh, lexicon
from gate.interpret.mentions import find_mentions
from gate.spec import Assumption, ChangeSpec, OptionConsidered, Reading, ResourceSpec

NOT_IN_REQUEST = "not-in-request"  # a setting the model chose that no words of the request ask for
RESOURCE = "resource"  # a span's field for the words that ask for the resource itself
_FREE = ("kind", "name")  # chosen by whoever builds the spec; the words that name a resource have a span of 'name'


class Span(BaseModel):
    """Where in the request one resource, or one field of it, comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    resource: str | None = Field(
        default=None, description="the name of the resource in 'resources' (null: the whole change)"
    )
    field: str = Field(
        max_length=100,
        description=f"'{RESOURCE}' for the words asking for the resource, else the field set from these words "
        "('versioning', 'dead_letter.max_receive_count')",
    )
    start: int = Field(ge=0, description="offset of the first character in change_request")
    end: int = Field(ge=0, description="offset after the last character in change_request")
    text: str = Field(min_length=1, max_length=500, description="exactly change_request[start:end]")


class LlmAnswer(BaseModel):
    """What the model answers: the change spec, and where in the request each part of it comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    summary: str = Field(max_length=500, description="One sentence that says what the change does.")
    resources: list[ResourceSpec] = Field(min_length=1, max_length=200)
    assumptions: list[Assumption] = Field(
        default_factory=list, description="every default chosen that the request did not state"
    )
    options_considered: list[OptionConsidered] = Field(default_factory=list, max_length=5)
    spans: list[Span] = Field(default_factory=list, max_length=2000, description="for every resource and every field "
                              "set from the request: the words of change_request it comes from")  # fmt: skip

    def spec(self) -> ChangeSpec:
        return ChangeSpec(summary=self.summary, resources=self.resources, assumptions=self.assumptions,
                          options_considered=self.options_considered)  # fmt: skip


def locate(request: str, span: Span) -> Reading | None:
    """The span as a reading of ``request``: where it says, else the nearest place its text stands; None when the
    request does not say it at all, or when it quotes only function words ('a', 'the'), which ask for nothing."""
    text = " ".join(span.text.split())
    if not any(w.lower() not in lexicon.FUNCTION_WORDS for w in re.findall(r"[\w.@/:=-]+", text)):
        return None
    if request[span.start : span.end] == text:
        start = span.start
    else:
        found = [m.start() for m in re.finditer(re.escape(text), request)] or [
            m.start() for m in re.finditer(re.escape(text), request, re.I)
        ]
        if not found:
            return None
        start = min(found, key=lambda at: abs(at - span.start))
    return Reading(start=start, end=start + len(text), text=request[start : start + len(text)], resource=span.resource,
                   field=span.field, value="")  # fmt: skip


def check(request: str, answer: LlmAnswer, previous: ChangeSpec | None = None) -> tuple[ChangeSpec, list[str]]:
    """The answer's spec with readings and coverage notes, and the reasons to reject it (an invented resource)."""
    spec = answer.spec()
    dumps = {r.name: r.model_dump(mode="json") for r in spec.resources}
    before = {r.name: r.model_dump(mode="json") for r in previous.resources} if previous else {}
    located = [(s, locate(request, s)) for s in answer.spans]
    valid = [(s, r) for s, r in located if r is not None and (s.resource is None or s.resource in dumps)]
    problems = [
        f"resource {res.name!r} ({res.kind}): no span of the request asks for it; remove it, or give the span of "
        "the words that ask for it (their exact text)"
        for res in spec.resources
        if res.name not in before and not any(s.resource == res.name for s, _ in valid)
    ]
    if problems:
        return spec, problems
    if previous is not None:  # a note the model copied from the previous spec about a field it changed is stale
        copied = [a for a in spec.assumptions if a in previous.assumptions]
        own = [a for a in spec.assumptions if a not in previous.assumptions]
        spec = spec.model_copy(update={"assumptions": [*fresh.assumptions(copied, before, dumps), *own]})
    readings = [r.model_copy(update={"value": _value(dumps, r)}) for _, r in valid]
    unasked = _unasked(spec, dumps, before, valid, located)
    read, unread = coverage.account(request, spec, find_mentions(request), [], {}, given=readings)
    kept = fresh.readings(previous.readings, before, dumps) if previous else []
    notes = sorted([*unasked, *unread, *spec.assumptions], key=lambda a: _FIRST.get(a.field, 3))
    return spec.model_copy(update={"readings": [*kept, *read][:2000], "assumptions": notes}), []


_FIRST = {"not-applied": 0, NOT_IN_REQUEST: 1, "not-understood": 2}


def _unasked(
    spec: ChangeSpec,
    dumps: dict[str, dict[str, Any]],
    before: dict[str, dict[str, Any]],
    valid: list[tuple[Span, Reading]],
    located: list[tuple[Span, Reading | None]],
) -> list[Assumption]:
    """Fields the model set (new, or changed from the previous spec) that no valid span and no assumption explain."""
    out: list[Assumption] = []
    for res in spec.resources:
        was = before.get(res.name)
        for key in sorted(res.model_fields_set - set(_FREE)):
            if was is not None and was.get(key) == dumps[res.name].get(key):
                continue  # carried from the previous spec as it was
            if any(s.resource == res.name and fresh.is_about(s.field, [key]) for s, _ in valid):
                continue
            if any(a.resource == res.name and fresh.is_about(a.field, [key]) for a in spec.assumptions):
                continue  # a default the model declared, as the offline interpreter declares its own
            quoted = [
                s.text for s, r in located if r is None and s.resource == res.name and fresh.is_about(s.field, [key])
            ]
            why = (f"the model quoted {quoted[0][:80]!r} for it, which the request does not say" if quoted
                   else "the model gave no words of the request for it")  # fmt: skip
            value = f"{key} = {_short(dumps[res.name].get(key))}"
            reason = f"{why}: check that the request asks for it, or say it in the request"
            out.append(Assumption(resource=res.name, field=NOT_IN_REQUEST, value=value, reason=reason))
    return out


def _value(dumps: dict[str, dict[str, Any]], reading: Reading) -> str:
    if reading.resource is None:
        return "the whole change"
    node: Any = dumps[reading.resource]
    if reading.field == RESOURCE:
        return str(node.get("kind"))
    for part in reading.field.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return _short(node)


def _short(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
