"""The change diagram's part of the PR comment: the Mermaid block, or one line saying why it is not there."""

from __future__ import annotations

from dataclasses import dataclass

from gate.models import GatePlan
from gate.report.diagram import graph as change_graph
from gate.report.diagram import mermaid

# GitHub's Mermaid refuses sources over 50,000 characters; the comment has other sections to keep
MERMAID_BUDGET = 20_000
OPEN_UP_TO = 15  # drawn open when it has at most this many boxes, else collapsed under <details>


@dataclass(frozen=True)
class DiagramSection:
    source: str  # the Mermaid flowchart, or "" when it is not drawn
    drawn: int  # boxes drawn (resources and containers)
    omitted: int
    collapsed: bool  # resources of one type drawn as one node
    open: bool
    source_files: str
    previewed: bool
    fallback: str = ""  # why there is no diagram


def section(plan: GatePlan) -> DiagramSection | None:
    """None when the plan has no resources to draw."""
    graph = change_graph.build(plan)
    if not graph.size:
        return None
    source = mermaid.render(graph)
    fallback = ""
    if len(source) > MERMAID_BUDGET:
        fallback = (
            f"The change diagram ({graph.size} resources) is too large for a PR comment: open report.html from "
            "the plan artifact, or run `devops-gate diagram gate-plan.json --format svg`."
        )
        source = ""
    return DiagramSection(
        source=source,
        drawn=graph.size,
        omitted=graph.omitted,
        collapsed=graph.collapsed,
        open=graph.total <= OPEN_UP_TO,
        source_files=graph.source,
        previewed=graph.previewed,
        fallback=fallback,
    )
