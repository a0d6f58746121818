"""The spec a plan builds: the deployed stack's spec, then the PR's request, then each accepted refinement, in
order. Each step is a removal ("remove the queue jobs", :mod:`gate.interpret.removal`) or a reading of the text
as a change to what is there (the interpreter, with the current spec as the previous one). A step that asks for
what is already there is an answer, "no change", recorded in the spec's notes, never an error.
"""

from __future__ import annotations

from collections.abc import Callable

from gate.errors import GateError, NoChange
from gate.interpret import removal
from gate.spec import Assumption, ChangeSpec

Interpret = Callable[[str, ChangeSpec | None], ChangeSpec]
REFUSED = "refinement-refused"  # a '/gate plan <text>' that could not be applied (the comment says why)


def build(
    texts: tuple[str, ...], base: ChangeSpec | None, interpret: Interpret, refinements: tuple[str, ...] = ()
) -> ChangeSpec:
    """Apply ``texts``, then ``refinements``, in order to ``base`` (the deployed spec, or None when nothing the
    gate made is deployed). A refinement the gate cannot apply is listed as refused and the rest go on: the
    result is the same on every re-plan, whichever refinement came last."""
    spec = base
    notes: list[Assumption] = []
    for text in texts:
        spec, note = step(spec, text, interpret)
        notes.extend([note] if note else [])
    for text in refinements:
        try:
            spec, note = step(spec, text, interpret)
        except GateError as exc:
            note = Assumption(field=REFUSED, value=text.strip()[:200], reason=exc.render())
        notes.extend([note] if note else [])
    if spec is None:
        raise GateError("no change request to plan", fix="write what to change in the request")
    if spec is base:  # nothing changed at all: the deployed spec, with the answer
        spec = base.model_copy(update={"assumptions": []})
    return spec.model_copy(update={"assumptions": [*spec.assumptions, *notes]})


def step(spec: ChangeSpec | None, text: str, interpret: Interpret) -> tuple[ChangeSpec, Assumption | None]:
    names = removal.read(text, spec)
    if names is not None and spec is not None:  # read() refuses a removal when nothing is held
        return removal.without(spec, names, text), None
    if spec is None:
        return interpret(text, None), None
    try:
        refined = interpret(text, spec)
    except NoChange:
        refined = spec
    if refined.resources != spec.resources:
        return refined, None
    # the same resources (the offline reader says so; an LLM may answer the spec it was given): an answer
    return spec, Assumption(
        field="no-change",
        value=text.strip()[:200],
        reason="the stack already holds what this asks for; nothing to change",
    )
