"""The change graph as a draw.io (diagrams.net) file: ``mxfile`` > ``diagram`` > ``mxGraphModel`` XML.

VPCs and subnets are containers (draw.io ``swimlane`` groups) holding their resources; edges carry the
reference's reading ("assumes", "logs to").  Labels are plain text (no ``html=1``), written through
ElementTree, so text from a PR is escaped XML and never HTML.  The layout is a simple grid per container:
draw.io's Arrange > Layout menu re-lays it out if a reviewer wants another arrangement.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from gate.report.diagram.graph import ChangeGraph, Status, container_text, legend_text, node_text
from gate.report.diagram.labels import kind_of
from gate.report.diagram.mermaid import STYLES

NODE_W, NODE_H, GAP, HEADER, COLUMNS = 180, 60, 30, 30, 4
_SHAPES = {
    "data": "shape=cylinder3;boundedLbl=1;size=8;",
    "messaging": "shape=parallelogram;perimeter=parallelogramPerimeter;size=0.1;",
    "compute": "rounded=1;",
    "iam": "shape=hexagon;perimeter=hexagonPerimeter2;size=0.1;",
    "link": "ellipse;",
}


@dataclass(frozen=True)
class _Box:
    id: str
    x: int
    y: int
    w: int
    h: int


def _colours(status: Status) -> str:
    fill, stroke, colour, extra = STYLES[status]
    dashed = "dashed=1;" if "dasharray" in extra else ""
    width = 3 if "3px" in extra else 2 if "2px" in extra else 1
    return f"fillColor={fill};strokeColor={stroke};fontColor={colour};strokeWidth={width};{dashed}"


def _layout(graph: ChangeGraph, parent: str | None, boxes: dict[str, _Box]) -> tuple[int, int]:
    """Place ``parent``'s children (relative to it, as draw.io wants); return the size they need."""
    containers, nodes = graph.children(parent)
    top = HEADER if parent else 0
    x, y, row_h, width = GAP, top + GAP, 0, 0
    for container in containers:  # side by side
        w, h = _layout(graph, container.id, boxes)
        boxes[container.id] = _Box(container.id, x, y, w, h)
        x, row_h = x + w + GAP, max(row_h, h)
    width = max(width, x)
    if containers:
        y += row_h + GAP
    for index, node in enumerate(nodes):
        column, row = index % COLUMNS, index // COLUMNS
        boxes[node.id] = _Box(node.id, GAP + column * (NODE_W + GAP), y + row * (NODE_H + GAP), NODE_W, NODE_H)
    if nodes:
        rows = (len(nodes) + COLUMNS - 1) // COLUMNS
        y += rows * (NODE_H + GAP)
        width = max(width, GAP + min(len(nodes), COLUMNS) * (NODE_W + GAP))
    return max(width, NODE_W + 2 * GAP), max(y, top + NODE_H)


def _depth(graph: ChangeGraph, container_id: str) -> int:
    parents = {c.id: c.parent for c in graph.containers}
    depth, current = 0, parents.get(container_id)
    while current and depth < len(parents):
        depth, current = depth + 1, parents.get(current)
    return depth


def _cell(root: ET.Element, box: _Box, value: str, style: str, parent: str) -> None:
    cell = ET.SubElement(
        root, "mxCell", {"id": box.id, "value": value, "style": style, "vertex": "1", "parent": parent}
    )
    geometry = ET.SubElement(cell, "mxGeometry", x=str(box.x), y=str(box.y), width=str(box.w), height=str(box.h))
    geometry.set("as", "geometry")


def render(graph: ChangeGraph, legend: bool = True) -> str:
    mxfile = ET.Element("mxfile", host="devops-gate", type="device")
    diagram = ET.SubElement(mxfile, "diagram", id="change", name="Change")
    model = ET.SubElement(diagram, "mxGraphModel", grid="1", gridSize="10", page="0", math="0", shadow="0")
    root = ET.SubElement(model, "root")
    ET.SubElement(root, "mxCell", id="0")
    ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
    boxes: dict[str, _Box] = {}
    _, height = _layout(graph, None, boxes)
    depth = {c.id: _depth(graph, c.id) for c in graph.containers}
    for container in sorted(graph.containers, key=lambda c: depth[c.id]):  # draw.io wants parents first
        style = f"swimlane;startSize={HEADER};container=1;collapsible=0;" + _colours(container.status)
        _cell(root, boxes[container.id], container_text(container), style, container.parent or "1")
    for node in graph.nodes:
        shape = _SHAPES.get(kind_of(node.type).family, "rounded=0;")
        style = f"{shape}whiteSpace=wrap;" + _colours(node.status)
        _cell(root, boxes[node.id], node_text(node), style, node.parent or "1")
    for index, edge in enumerate(graph.edges):
        attributes = {
            "id": f"e{index}",
            "value": edge.label,
            "style": "edgeStyle=orthogonalEdgeStyle;rounded=1;endArrow=block;fontSize=9;",
            "edge": "1",
            "parent": "1",
            "source": edge.source,
            "target": edge.target,
        }
        cell = ET.SubElement(root, "mxCell", attributes)
        ET.SubElement(cell, "mxGeometry", relative="1").set("as", "geometry")
    if legend and graph.statuses:
        for index, status in enumerate(graph.statuses):
            box = _Box(f"legend_{status}", GAP + index * (NODE_W + GAP), height + GAP, NODE_W, 30)
            _cell(root, box, legend_text(graph, status), "rounded=1;" + _colours(status), "1")
    ET.indent(mxfile)
    return ET.tostring(mxfile, encoding="unicode") + "\n"
