"""The change graph as a Mermaid ``flowchart`` (GitHub renders it in comments natively).

Every piece of text in the diagram comes from IaC a PR author wrote, so every label is encoded: anything but
letters, digits and a few punctuation marks becomes a Mermaid entity code (``#35;``), which cannot open a
fence, a link, an HTML tag or a directive.
"""

from __future__ import annotations

import re

from gate.report.diagram.graph import STATUS_MARKS, ChangeGraph, Container, Edge, Node, Status, legend_text
from gate.report.diagram.labels import kind_of

# fill, stroke, text colour, extra (GitHub's light palette, readable in its dark theme too)
STYLES: dict[Status, tuple[str, str, str, str]] = {
    "add": ("#dafbe1", "#1a7f37", "#0f3d1f", "stroke-width:2px"),
    "modify": ("#fff8c5", "#9a6700", "#3b2300", "stroke-width:2px"),
    "replace": ("#ffe2cc", "#bc4c00", "#3d1a00", "stroke-width:3px,stroke-dasharray:6 3"),
    "remove": ("#ffebe9", "#cf222e", "#4c0a10", "stroke-width:2px,stroke-dasharray:3 3"),
    "unchanged": ("#f6f8fa", "#8c959f", "#57606a", "stroke-width:1px"),
}
_SHAPES = {  # family -> (open, close)
    "data": ('[("', '")]'),
    "messaging": ('[/"', '"/]'),
    "compute": ('("', '")'),
    "iam": ('{{"', '"}}'),
    "link": ('(["', '"])'),
}
_SAFE = re.compile(r"[A-Za-z0-9 _.,:/@()+~\-]")


def text(value: str) -> str:
    """``value`` safe inside a quoted Mermaid label."""
    return "".join(ch if _SAFE.fullmatch(ch) else f"#{ord(ch)};" for ch in value)


def _mark(status: Status) -> str:
    mark = STATUS_MARKS[status]
    return f"{text(mark)} " if mark else ""


def node_label(node: Node) -> str:
    note = f"<br/><i>{text(node.note)}</i>" if node.note else ""
    if node.count > 1:
        return f"{_mark(node.status)}<b>{text(node.logical_id)}</b>{note}"
    return f"{_mark(node.status)}<b>{text(node.logical_id)}</b><br/>{text(node.label)}{note}"


def _node(node: Node, indent: str) -> str:
    opening, closing = _SHAPES.get(kind_of(node.type).family, ('["', '"]'))
    return f"{indent}{node.id}{opening}{node_label(node)}{closing}"


def _container(graph: ChangeGraph, container: Container, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    title = f"{_mark(container.status)}{text(f'{container.logical_id} · {container.label}')}"
    lines.append(f'{indent}subgraph {container.id}["{title}"]')
    _children(graph, container.id, depth + 1, lines)
    lines.append(f"{indent}end")


def _children(graph: ChangeGraph, parent: str | None, depth: int, lines: list[str]) -> None:
    containers, nodes = graph.children(parent)
    for container in containers:
        _container(graph, container, depth, lines)
    lines.extend(_node(node, "  " * depth) for node in nodes)


def _edge(edge: Edge) -> str:
    if edge.label:
        return f'  {edge.source} -->|"{text(edge.label)}"| {edge.target}'
    return f"  {edge.source} --> {edge.target}"


def render(graph: ChangeGraph, legend: bool = True) -> str:
    """The flowchart source (without the markdown fence)."""
    lines = ["flowchart LR"]
    _children(graph, None, 1, lines)
    lines.extend(_edge(edge) for edge in graph.edges)
    if legend and graph.statuses:
        lines.append('  subgraph legend["Legend"]')
        for status in graph.statuses:
            lines.append(f'    legend_{status}["{text(legend_text(graph, status))}"]')
        lines.append("  end")
    for status in graph.statuses:
        fill, stroke, colour, extra = STYLES[status]
        lines.append(f"  classDef {status} fill:{fill},stroke:{stroke},color:{colour},{extra}")
    for status in graph.statuses:
        members = [n.id for n in graph.nodes if n.status == status]
        members += [f"legend_{status}"] if legend else []
        if members:
            lines.append(f"  class {','.join(members)} {status}")
    for container in graph.containers:
        fill, stroke, colour, extra = STYLES[container.status]
        lines.append(f"  style {container.id} fill:{fill},stroke:{stroke},color:{colour},{extra}")
    return "\n".join(lines) + "\n"
