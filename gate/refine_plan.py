"""``devops-gate plan --previous gate-plan.json --request TEXT``: the reviewed plan refined from the command line.

It is the ``/gate plan <text>`` refinement of a pull request, run locally: the text is one more refinement of the
previous plan's request, read by the same step (:func:`gate.request_spec.step`: a removal, or the interpreter with
the previous spec as the one it changes), then synthesised and gated like any plan. The new plan records the
request as the PR flow does: the previous text, its refinements, then this one.

A refinement that asks for what the plan already holds is an answer, not a new plan: ``NoChange`` carries it, and
the reviewed plan, its sha256 and its verdict stay as they were (nothing is written). :func:`refine_spec` makes
that decision for the PR's '/gate plan <text>' too (gate/publish/refine_pr.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from gate import request_spec
from gate.errors import GateError
from gate.limits import check_request
from gate.models import GatePlan, IaCFormat
from gate.pipeline import BOTH_FORMATS, Run, deployed_stack, interpreter, plan_spec
from gate.redact import redact
from gate.spec import Assumption, ChangeSpec

# notes that answer one step of the request (a no-change, a refused refinement): kept at the end, as build() does
_ANSWERS = ("no-change", request_spec.REFUSED)


@dataclass(frozen=True)
class NoChange:
    """The refinement changes nothing: the answer, and the plan that stays the reviewed one."""

    note: Assumption
    previous: GatePlan


def refine_plan(
    previous: GatePlan, text: str, run: Run, formats: tuple[IaCFormat, ...] = BOTH_FORMATS
) -> GatePlan | NoChange:
    """``previous`` (read by :func:`gate.plan_file.load_previous`) refined by ``text``."""
    refined = refine_spec(previous, text, run)
    if isinstance(refined, NoChange):
        return refined
    request = previous.request
    assert request is not None  # refine_spec refuses a plan without one
    deployed = deployed_stack(run) if "cloudformation" in formats else None
    full = request.model_copy(update={"refinements": (*request.refinements, text.strip())})
    return plan_spec(full, refined, run, formats, deployed)


def refine_spec(previous: GatePlan, text: str, run: Run) -> ChangeSpec | NoChange:
    """The spec of ``previous`` refined by ``text``, or ``NoChange`` when it asks for what the plan holds: the one
    decision of ``plan --previous`` and of a '/gate plan <text>' comment (gate/publish/refine_pr.py) whether a
    refinement makes a new plan or leaves the reviewed one as it is. A GateError when it cannot be applied."""
    request, spec = previous.request, previous.spec
    if request is None or spec is None:
        raise GateError("the previous plan has no change request to refine", fix="pass a plan of 'devops-gate plan'")
    if previous.region != run.region:
        raise GateError(
            f"the previous plan is for region {previous.region}, this run plans for {run.region}",
            fix="refine with the same .gate.yml and --env the previous plan was made with",
        )
    text = text.strip()
    if not text:
        raise GateError("the refinement is empty", fix="say what to change, e.g. --request 'make it t3.large instead'")
    check_request("\n".join((request.text, *request.refinements, text)), run.config.limits)
    answers = [a for a in spec.assumptions if a.field in _ANSWERS]
    start = spec.model_copy(update={"assumptions": [a for a in spec.assumptions if a.field not in _ANSWERS]})
    # a secret in the refinement never reaches the interpreter (or an LLM), the spec or the generated IaC
    with run.progress.step("interpreting the refinement"), run.timings.stage("interpret"):
        refined, note = request_spec.step(start, redact(text), interpreter(run))
    if note is not None:
        return NoChange(note=note, previous=previous)
    return refined.model_copy(update={"assumptions": [*refined.assumptions, *answers]})
