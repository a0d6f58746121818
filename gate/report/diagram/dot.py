"""The change graph as Graphviz DOT, and SVG/PNG through Graphviz's ``dot`` (Debian package ``graphviz``).

VPCs and subnets are clusters; an edge to a cluster ends on the cluster's border (``lhead``), drawn from an
invisible anchor point inside it.  Labels are DOT-quoted strings: ``"`` and ``\\`` are escaped and control
characters dropped, so text from a PR cannot end the string or add attributes.
"""

from __future__ import annotations

import shutil
import subprocess

from gate.errors import GateError
from gate.report.diagram.graph import ChangeGraph, Container, container_text, legend_text, node_text
from gate.report.diagram.labels import kind_of
from gate.report.diagram.mermaid import STYLES

_SHAPES = {"data": "cylinder", "messaging": "parallelogram", "compute": "box", "iam": "hexagon", "link": "oval"}
RENDER_TIMEOUT = 120


def quote(value: str) -> str:
    clean = "".join(ch for ch in value if ch >= " " or ch == "\n")
    return '"' + clean.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _style(status: str) -> str:
    fill, stroke, colour, extra = STYLES[status]  # type: ignore[index]
    dashed = "dashed" if "dasharray" in extra else "solid"
    width = "3" if "3px" in extra else "2" if "2px" in extra else "1"
    return f'fillcolor="{fill}", color="{stroke}", fontcolor="{colour}", penwidth={width}, style="filled,{dashed}"'


def _cluster(graph: ChangeGraph, container: Container, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    lines.append(f"{pad}subgraph cluster_{container.id} {{")
    lines.append(f"{pad}  label={quote(container_text(container))};")
    lines.append(f"{pad}  {_style(container.status).replace(', ', '; ')};")
    lines.append(f'{pad}  {container.id} [shape=point, style=invis, width=0.01, label=""];')
    _children(graph, container.id, depth + 1, lines)
    lines.append(f"{pad}}}")


def _children(graph: ChangeGraph, parent: str | None, depth: int, lines: list[str]) -> None:
    containers, nodes = graph.children(parent)
    for container in containers:
        _cluster(graph, container, depth, lines)
    for node in nodes:
        shape = _SHAPES.get(kind_of(node.type).family, "box")
        label = quote(node_text(node))
        lines.append(f"{'  ' * depth}{node.id} [label={label}, shape={shape}, {_style(node.status)}];")


def render(graph: ChangeGraph, legend: bool = True) -> str:
    lines = [
        "digraph change {",
        '  graph [rankdir=LR, compound=true, fontname="Helvetica", fontsize=11, nodesep=0.3, ranksep=0.6];',
        '  node [fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9, color="#57606a"];',
    ]
    _children(graph, None, 1, lines)
    clusters = {c.id for c in graph.containers}
    for edge in graph.edges:
        attrs = [f"label={quote(edge.label)}"] if edge.label else []
        if edge.target in clusters:
            attrs.append(f"lhead=cluster_{edge.target}")
        lines.append(f"  {edge.source} -> {edge.target}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    if legend and graph.statuses:
        lines.append('  subgraph cluster_legend { label="Legend"; style=dashed; color="#8c959f";')
        for status in graph.statuses:
            lines.append(
                f"    legend_{status} [label={quote(legend_text(graph, status))}, shape=box, {_style(status)}];"
            )
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_image(dot_source: str, fmt: str) -> bytes:
    """``fmt`` (svg or png) drawn by Graphviz."""
    binary = shutil.which("dot")
    if binary is None:
        raise GateError(
            "Graphviz is not installed, so there is no 'dot' to draw SVG or PNG",
            fix="install it (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz), or use "
            "--format mermaid, dot or drawio",
        )
    try:
        done = subprocess.run(
            [binary, f"-T{fmt}"], input=dot_source.encode(), capture_output=True, timeout=RENDER_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise GateError(f"Graphviz took over {RENDER_TIMEOUT} s", fix="use --format mermaid or drawio") from exc
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise GateError(
            f"Graphviz failed: {message[0] if message else 'exit ' + str(done.returncode)}",
            fix="report this with the DOT from --format dot",
        )
    return done.stdout
