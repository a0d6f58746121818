"""The change as a graph: the resources a plan touches, their neighbours, the references between them, and the
VPCs and subnets they sit in.  Every diagram format (Mermaid, DOT, draw.io, the report page) is drawn from
this one ``ChangeGraph``, built from ``gate-plan.json`` alone.

- Nodes are the plan's resources (``GatePlan.resources``), edges their references (``ResourceRow.depends_on``:
  ``Ref``/``GetAtt``/``Sub`` in CloudFormation, ``aws_x.y`` expressions in Terraform).
- A VPC and a subnet are containers.  A resource sits in the one subnet it references (directly, or through a
  DB subnet group or security group); in the VPC when it spans several subnets (with an edge to each).
- Status comes from the reviewed change set when one was previewed: Add, Modify, Modify with replacement
  (Replace) and Remove; resources the change set does not list are unchanged and drawn only as neighbours of
  changed ones.  Without a change set, every resource of the reviewed IaC is drawn as proposed.
- A synthesised plan holds the same change twice (template.yaml and main.tf): the CloudFormation file, the
  one apply deploys, is drawn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

from gate.models import GatePlan, ResourceChange, ResourceRow
from gate.report.diagram.labels import PLACEMENT_TYPES, SUBNET_TYPES, VPC_TYPES, edge_label, kind_of

Status = Literal["add", "modify", "replace", "remove", "unchanged"]
STATUSES: tuple[Status, ...] = ("add", "modify", "replace", "remove", "unchanged")
STATUS_WORDS: dict[Status, str] = {
    "add": "added",
    "modify": "modified",
    "replace": "replaced",
    "remove": "removed",
    "unchanged": "unchanged",
}
STATUS_MARKS: dict[Status, str] = {"add": "+", "modify": "~", "replace": "\u00b1", "remove": "\u2212", "unchanged": ""}
MAX_NODES = 40  # past this, resources of one type, status and place are drawn as one node ("6 x IAM role")


@dataclass(frozen=True)
class Node:
    id: str  # safe in every format: [A-Za-z0-9_]
    logical_id: str
    type: str
    label: str  # the AWS service label ("Lambda function")
    status: Status
    file: str = ""
    parent: str | None = None  # id of the container it sits in
    count: int = 1  # > 1 for a collapsed node
    members: tuple[str, ...] = ()  # logical ids a collapsed node stands for
    note: str = ""  # e.g. "may be replaced" for a conditional replacement


@dataclass(frozen=True)
class Container:
    id: str
    logical_id: str
    kind: Literal["vpc", "subnet"]
    label: str
    status: Status
    parent: str | None = None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str  # a node or a container id
    label: str = ""


@dataclass(frozen=True)
class ChangeGraph:
    nodes: tuple[Node, ...]
    containers: tuple[Container, ...]
    edges: tuple[Edge, ...]
    previewed: bool  # a change set was previewed: statuses are AWS's answer, not "everything is new"
    source: str  # what was drawn: "template.yaml", or the hand-written files
    omitted: int = 0  # unchanged resources left out (not neighbours of a change)
    total: int = 0  # boxes before collapsing
    collapsed: bool = False
    statuses: tuple[Status, ...] = field(default=())

    @property
    def size(self) -> int:
        return len(self.nodes) + len(self.containers)

    def children(self, parent: str | None) -> tuple[tuple[Container, ...], tuple[Node, ...]]:
        return (
            tuple(c for c in self.containers if c.parent == parent),
            tuple(n for n in self.nodes if n.parent == parent),
        )


def node_text(node: Node) -> str:
    """The node's text for plain-text formats (DOT, draw.io): mark, name, service label, note."""
    mark = STATUS_MARKS[node.status]
    text = node.logical_id if node.count > 1 else f"{node.logical_id}\n{node.label}"
    text = f"{mark} {text}" if mark else text
    return text + (f"\n({node.note})" if node.note else "")


def container_text(container: Container) -> str:
    return f"{STATUS_MARKS[container.status]} {container.logical_id} ({container.label})".strip()


def legend_text(graph: ChangeGraph, status: Status) -> str:
    """The legend's line for ``status``: without a change set, "added" is only proposed."""
    word = STATUS_WORDS[status] if graph.previewed or status != "add" else "proposed (no change set)"
    return f"{STATUS_MARKS[status]} {word}".strip()


_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def safe_id(logical_id: str, taken: set[str]) -> str:
    base = "r_" + _UNSAFE.sub("_", logical_id)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def _status(change: ResourceChange | None, previewed: bool) -> tuple[Status, str]:
    if change is None:
        return ("unchanged", "") if previewed else ("add", "")
    if change.action == "Add":
        return "add", ""
    if change.action == "Remove":
        return "remove", ""
    if change.replacement == "True":
        return "replace", ""
    return "modify", ("may be replaced" if change.replacement == "Conditional" else "")


def drawn_rows(plan: GatePlan) -> tuple[tuple[ResourceRow, ...], str]:
    """The rows to draw and what they come from (the CloudFormation file of a synthesised plan)."""
    rows = plan.resources
    cfn = [f.path for f in plan.iac.by_format("cloudformation")]
    if plan.iac.origin == "synthesised" and cfn:
        return tuple(r for r in rows if r.file == cfn[0]), cfn[0]
    return tuple(rows), ", ".join(dict.fromkeys(r.file for r in rows)) or "-"


def build(plan: GatePlan, max_nodes: int = MAX_NODES) -> ChangeGraph:
    rows, source = drawn_rows(plan)
    previewed = plan.change_set_id is not None or bool(plan.changes)
    return build_from(rows, plan.changes, previewed, source, max_nodes)


def build_from(
    rows: tuple[ResourceRow, ...],
    resource_changes: tuple[ResourceChange, ...],
    previewed: bool,
    source: str,
    max_nodes: int = MAX_NODES,
) -> ChangeGraph:
    """The graph of ``rows`` (with their references), coloured by ``resource_changes`` when ``previewed``."""
    changes = {c.logical_id: c for c in resource_changes}
    taken: set[str] = set()
    ids: dict[str, str] = {}
    by_id: dict[str, ResourceRow] = {}
    for row in rows:
        key = row.logical_id
        if key in ids:  # the same name in two hand-written files: qualify it by file
            key = f"{row.file}:{row.logical_id}"
        ids[key] = safe_id(key, taken)
        by_id[ids[key]] = row
    removed = [c for c in resource_changes if c.action == "Remove" and c.logical_id not in ids]
    for change in removed:
        ids[change.logical_id] = safe_id(change.logical_id, taken)

    parents = _placement(by_id)
    containers: list[Container] = []
    nodes: list[Node] = []
    for node_id, row in by_id.items():
        status, note = _status(changes.get(row.logical_id), previewed)
        kind = kind_of(row.type)
        if row.type in VPC_TYPES or row.type in SUBNET_TYPES:
            containers.append(
                Container(
                    id=node_id,
                    logical_id=row.logical_id,
                    kind="vpc" if row.type in VPC_TYPES else "subnet",
                    label=kind.label,
                    status=status,
                    parent=parents.get(node_id),
                )
            )
            continue
        nodes.append(
            Node(node_id, row.logical_id, row.type, kind.label, status, row.file, parents.get(node_id), note=note)
        )
    for change in removed:
        nodes.append(Node(ids[change.logical_id], change.logical_id, change.type, kind_of(change.type).label, "remove"))

    edges = _edges(by_id, parents)
    graph = ChangeGraph(tuple(nodes), tuple(containers), tuple(edges), previewed, source)
    if previewed:
        graph = _changed_and_neighbours(graph)
    graph = replace(graph, total=graph.size)
    if len(graph.nodes) > max_nodes:
        graph = _collapse(graph)
    used = {n.status for n in graph.nodes} | {c.status for c in graph.containers}
    return replace(graph, statuses=tuple(s for s in STATUSES if s in used))


def _placement(by_id: dict[str, ResourceRow]) -> dict[str, str]:
    """node id -> the container (VPC or subnet id) it sits in."""
    lookup = _lookup(by_id)
    memo: dict[str, str | None] = {}

    def deps(node_id: str) -> list[str]:
        row = by_id[node_id]
        return [lookup[(row.file, d)] for d in row.depends_on if (row.file, d) in lookup]

    def vpc_of(node_id: str) -> str | None:
        if by_id[node_id].type in VPC_TYPES:
            return node_id
        parent = place(node_id)
        return vpc_of(parent) if parent and parent != node_id else None

    def place(node_id: str) -> str | None:
        if node_id in memo:
            return memo[node_id]
        memo[node_id] = None  # a reference cycle in hand-written IaC: stop here
        row = by_id[node_id]
        direct = deps(node_id)
        if row.type in VPC_TYPES:
            result = None
        elif row.type in SUBNET_TYPES:
            result = next((d for d in direct if by_id[d].type in VPC_TYPES), None)
        else:
            subnets = [d for d in direct if by_id[d].type in SUBNET_TYPES]
            for d in direct:  # placed through a DB subnet group / security group
                if by_id[d].type in PLACEMENT_TYPES:
                    carrier = place(d)
                    if carrier and by_id[carrier].type in SUBNET_TYPES:
                        subnets.append(carrier)
                    elif carrier:
                        subnets.extend(s for s in deps(d) if by_id[s].type in SUBNET_TYPES)
            vpcs = [d for d in direct if by_id[d].type in VPC_TYPES]
            vpcs += [v for d in direct if by_id[d].type in PLACEMENT_TYPES and (v := vpc_of(d))]
            subnets = list(dict.fromkeys(subnets))
            if len(subnets) == 1:
                result = subnets[0]
            elif subnets:
                result = next((v for s in subnets if (v := vpc_of(s))), None)
            else:
                result = vpcs[0] if vpcs else None
        memo[node_id] = result
        return result

    return {node_id: parent for node_id in by_id if (parent := place(node_id))}


def _edges(by_id: dict[str, ResourceRow], parents: dict[str, str]) -> list[Edge]:
    lookup = _lookup(by_id)
    edges: list[Edge] = []
    for node_id, row in by_id.items():
        for dep in row.depends_on:
            target = lookup.get((row.file, dep))
            if target is None or target == node_id:
                continue
            target_type = by_id[target].type
            if (target_type in VPC_TYPES or target_type in SUBNET_TYPES) and _inside(node_id, target, parents):
                continue  # containment already says it
            edges.append(Edge(node_id, target, edge_label(row.type, target_type)))
    return list(dict.fromkeys(edges))


def _lookup(by_id: dict[str, ResourceRow]) -> dict[tuple[str, str], str]:
    """(file, logical id) -> node id: references point within their own file."""
    return {(row.file, row.logical_id): node_id for node_id, row in by_id.items()}


def _inside(node_id: str, container: str, parents: dict[str, str]) -> bool:
    seen: set[str] = set()
    current = parents.get(node_id)
    while current and current not in seen:
        if current == container:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def _changed_and_neighbours(graph: ChangeGraph) -> ChangeGraph:
    """Only what changed, what it references or is referenced by, and the containers they sit in."""
    changed = {n.id for n in graph.nodes if n.status != "unchanged"}
    changed |= {c.id for c in graph.containers if c.status != "unchanged"}
    keep = set(changed)
    for edge in graph.edges:
        if edge.source in changed or edge.target in changed:
            keep |= {edge.source, edge.target}
    parents = {n.id: n.parent for n in graph.nodes} | {c.id: c.parent for c in graph.containers}
    for item in list(keep):
        current = parents.get(item)
        while current and current not in keep:
            keep.add(current)
            current = parents.get(current)
    nodes = tuple(n for n in graph.nodes if n.id in keep)
    containers = tuple(c for c in graph.containers if c.id in keep)
    edges = tuple(e for e in graph.edges if e.source in keep and e.target in keep)
    omitted = len(graph.nodes) + len(graph.containers) - len(nodes) - len(containers)
    return replace(graph, nodes=nodes, containers=containers, edges=edges, omitted=omitted)


def _collapse(graph: ChangeGraph) -> ChangeGraph:
    """Resources of the same type, status and place become one node; edges between groups are kept once."""
    groups: dict[tuple[str | None, str, Status], list[Node]] = {}
    for node in graph.nodes:
        groups.setdefault((node.parent, node.type, node.status), []).append(node)
    taken = {c.id for c in graph.containers}
    merged: dict[str, str] = {}
    nodes: list[Node] = []
    for (parent, rtype, status), members in groups.items():
        if len(members) == 1:
            nodes.append(members[0])
            taken.add(members[0].id)
            merged[members[0].id] = members[0].id
            continue
        group_id = safe_id(f"{rtype}_{status}_{parent or 'top'}", taken)
        nodes.append(
            Node(
                group_id,
                f"{len(members)} \u00d7 {members[0].label}",
                rtype,
                members[0].label,
                status,
                members[0].file,
                parent,
                count=len(members),
                members=tuple(m.logical_id for m in members),
            )
        )
        merged.update({m.id: group_id for m in members})
    edges = _dedupe(Edge(merged.get(e.source, e.source), merged.get(e.target, e.target), e.label) for e in graph.edges)
    return replace(graph, nodes=tuple(nodes), edges=edges, collapsed=True)


def _dedupe(edges: Iterable[Edge]) -> tuple[Edge, ...]:
    return tuple(dict.fromkeys(e for e in edges if e.source != e.target))
