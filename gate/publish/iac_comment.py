"""The PR comment's parts about hand-written IaC: which files were read and at which commits, which were removed
or passed over; one comment for a PR with both a change request and hand-written IaC; and the 'nothing to gate'
comment. File names come from the PR: they are untrusted and always rendered as escaped code.
"""

from __future__ import annotations

from typing import Literal

from gate.intake.pr_iac import PullIaC
from gate.models import GatePlan
from gate.report import markdown

HAND_WRITTEN_DIR = "hand-written"  # under the output folder: the hand-written plan of a PR that has a request too
Decision = Literal["pass", "needs-approval", "blocked"]
_RANK: dict[str, int] = {"pass": 0, "needs-approval": 1, "blocked": 2}
_ICONS = {"pass": "✅", "needs-approval": "🟡", "blocked": "⛔"}
_LABELS = {"pass": "passed", "needs-approval": "needs approval", "blocked": "blocked"}
_MAX_LISTED = 30  # file names listed per group; the rest are counted (gate-plan.json has every gated file)


def stricter(plan: GatePlan, also: GatePlan | None) -> Decision:
    """The verdict of both plans together: the stricter one."""
    if also is not None and _RANK[also.verdict.decision] > _RANK[plan.verdict.decision]:
        return also.verdict.decision
    return plan.verdict.decision


def _listed(paths: list[str]) -> list[str]:
    shown = paths[:_MAX_LISTED]
    more = [f"- … and {len(paths) - len(shown)} more"] if len(paths) > len(shown) else []
    return [*shown, *more]


def files_section(iac: PullIaC) -> str:
    """What was read from the PR: gated files (at the head commit), removed ones, ones passed over."""
    head, base = markdown.code(iac.head_sha[:12]), markdown.code(iac.base_sha[:12])
    lines = ["", "### Hand-written IaC in this pull request", ""]
    if iac.gated:
        lines += [
            f"Gated as of the head commit {head}, read through the GitHub API as data (nothing from the pull "
            f"request was checked out or run). Cost base: the same paths at the base commit {base} "
            f"({markdown.code(iac.base_ref or 'the base branch')}).",
            "",
        ]
        gated = [
            f"- {markdown.code(f.path)} ({markdown.escape(f.status)}{'; new, no cost base' if f.new else ''})"
            for f in iac.gated
        ]
        lines += _listed(gated)
    if iac.removed:
        lines += [
            "",
            "**Removed** (not gated: nothing is left to check; in the cost, their resources count as removed):",
            "",
        ]
        lines += _listed([f"- {markdown.code(path)}" for path in iac.removed])
    if iac.passed_over:
        lines += ["", "**Passed over** (they match `iac-paths` but are neither CloudFormation nor Terraform):", ""]
        lines += _listed([f"- {markdown.code(path)}" for path in iac.passed_over])
    return "\n".join(lines) + "\n"


def combine(request_comment: str, hand_comment: str, request: GatePlan, hand: GatePlan, out: str) -> str:
    """One sticky comment for two plans: the change request's (the plan apply deploys) first, then the
    hand-written IaC's, under an overall verdict (the stricter of the two, as the status)."""
    overall = stricter(request, hand)
    first, _, rest = request_comment.partition("\n")
    _, _, hand_rest = hand_comment.partition("\n")  # drop its marker: one sticky comment
    header = (
        f"> {_ICONS[overall]} **Overall: {_LABELS[overall]}.** The change request: "
        f"{_LABELS[request.verdict.decision]}. The hand-written IaC this pull request changes: "
        f"{_LABELS[hand.verdict.decision]} (gated too, below)."
    )
    divider = (
        "\n---\n\n**Also gated: the hand-written IaC this pull request changes** "
        f"(its outputs are in {markdown.code(out.rstrip('/') + '/' + HAND_WRITTEN_DIR + '/')}; "
        "the change request's plan above is the one applied on merge).\n\n"
    )
    return f"{first}\n{header}\n\n{rest.rstrip()}\n{divider}{hand_rest}"


def status_reason(request: GatePlan, hand: GatePlan | None) -> str:
    """The status description: the reasons of both plans, the stricter one first (GitHub keeps 140 characters)."""
    reason = "; ".join(request.verdict.reasons) or "no blocking findings"
    if hand is None:
        return reason
    parts = [f"request: {reason}", f"hand-written IaC: {'; '.join(hand.verdict.reasons) or 'no blocking findings'}"]
    return "; ".join(reversed(parts) if stricter(request, hand) != request.verdict.decision else parts)


def nothing_body(sticky_marker: str, iac: PullIaC) -> str:
    return (
        f"{sticky_marker}\n## ✅ devops-gate: nothing to gate\n\n"
        "This pull request has no `## Change request` section in its description and changes no CloudFormation "
        "or Terraform file that matches `iac-paths`.\n" + (files_section(iac) if iac.removed or iac.passed_over else "")
    )


def nothing_status(iac: PullIaC) -> str:
    text = "nothing to gate: no change request, no IaC file changed"
    return text + (f" ({len(iac.removed)} IaC file(s) removed, not gated)" if iac.removed else "")
