"""The network view model: the nodes, edges, legend and layout the vis-network page and its table draw.

The graph itself (projection, neighbourhood, paths) comes from `graph.network`; this module only decides how to
show it: which neighbours fold into a "+N more" node, and, for large views, where each node sits (a layout
computed here once, so that the browser draws it with physics off instead of simulating for seconds).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import URIRef

from graph.network import Citation
from graph.ontology import Ontology
from graph.vocab import record_id

# A parent with more neighbours than this shows the first KEEP and folds the rest into one "+N more" node.
COLLAPSE_OVER = 15
KEEP = 10
# Views with more nodes than this get a precomputed layout and no physics.
LAYOUT_OVER = 40
LAYOUT_SEED = 7
# The drawing area is about 1.75 times as wide as it is high; stretch layouts to fill it.
ASPECT = 1.6


@dataclass(frozen=True)
class LegendEntry:
    cls: str
    label: str
    colour: str
    shape: str
    count: int


@dataclass(frozen=True)
class NetNode:
    id: str
    record_id: str
    label: str
    cls: str
    class_label: str
    colour: str
    shape: str
    country: str
    confidence: str
    date: str
    level: int
    folded_into: str | None
    x: float | None
    y: float | None


@dataclass(frozen=True)
class NetEdge:
    id: str
    source: str
    target: str
    source_label: str
    target_label: str
    label: str
    relation: str
    relation_label: str
    via: str
    via_label: str
    start: str
    end: str
    confidence: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Fold:
    """A "+N more" node standing for neighbours of one parent until the reader expands it."""

    id: str
    parent: str
    members: tuple[str, ...]
    label: str


@dataclass(frozen=True)
class RelationOption:
    """An edge kind the reader may keep or drop, from the ontology."""

    name: str
    iri: str
    label: str
    selected: bool


@dataclass(frozen=True)
class NetworkData:
    nodes: tuple[NetNode, ...]
    edges: tuple[NetEdge, ...]
    folds: tuple[Fold, ...]
    legend: tuple[LegendEntry, ...]
    precomputed_layout: bool
    # How many nodes the view had before it was cut to DRAWN_AT_MOST (equal to len(nodes) when none was left out).
    total_nodes: int = 0


EMPTY = NetworkData((), (), (), (), False)
# The most nodes a view draws: the benchmark's largest page, interactive in under 3 s. A larger view keeps the
# nodes nearest its centre, or with the most edges, and says how many there were.
DRAWN_AT_MOST = 2000


def undirected(g: nx.MultiDiGraph) -> nx.Graph:
    """One undirected link per pair of nodes, built in sorted order so that layouts and folds are reproducible.

    (networkx's undirected view of a directed graph iterates neighbours through a set, whose order changes from
    one process to the next.)
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(g.nodes))
    simple.add_edges_from(sorted({tuple(sorted((u, v))) for u, v in g.edges() if u != v}))
    return simple


def _levels(g: nx.MultiDiGraph, centre: str | None) -> tuple[dict[str, int], dict[str, str]]:
    """Hop distance from the centre, and each node's parent in the breadth-first tree."""
    if centre is None or centre not in g:
        return {n: 0 for n in g}, {}
    simple = undirected(g)
    levels = dict(nx.single_source_shortest_path_length(simple, centre))
    parents = dict(nx.bfs_predecessors(simple, centre))
    return levels, parents


def _round_robin(g: nx.MultiDiGraph, nodes: list[str]) -> list[str]:
    """Nodes ordered so that the first few show every class (a measure, a person, a company...) before repeats."""
    by_class: dict[str, list[str]] = defaultdict(list)
    for n in sorted(nodes, key=lambda n: (str(g.nodes[n]["label"]).casefold(), n)):
        by_class[str(g.nodes[n].get("class_label", ""))].append(n)
    queues = [by_class[c] for c in sorted(by_class)]
    ordered: list[str] = []
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered


def _folds(g: nx.MultiDiGraph, parents: dict[str, str]) -> list[Fold]:
    children: dict[str, list[str]] = defaultdict(list)
    for child, parent in parents.items():
        children[parent].append(child)
    folds: list[Fold] = []
    for parent, kids in sorted(children.items()):
        if len(kids) <= COLLAPSE_OVER:
            continue
        members = tuple(_round_robin(g, kids)[KEEP:])
        fold_id = f"more:{parent}"
        folds.append(Fold(fold_id, parent, members, f"+{len(members)} more"))
    return folds


# Above this many nodes a force-directed layout costs seconds (and networkx wants scipy for it): large parts
# are drawn as rings by hop distance instead, which takes linear time.
FORCE_LAYOUT_LIMIT = 400
RING_STEP = 260.0
RING_SPACING = 34.0


def _rings(part: nx.Graph) -> dict[str, tuple[float, float]]:
    """Rings around the best-connected node: each hop further out is a wider ring, children near their parent."""
    root = min(part.nodes, key=lambda n: (-part.degree(n), n))
    parents = dict(nx.bfs_predecessors(part, root))
    levels = nx.single_source_shortest_path_length(part, root)
    angle: dict[str, float] = {root: 0.0}
    positions: dict[str, tuple[float, float]] = {root: (0.0, 0.0)}
    by_level: dict[int, list[str]] = defaultdict(list)
    for node, level in levels.items():
        if level:
            by_level[level].append(node)
    radius = 0.0
    for level in sorted(by_level):
        ring = sorted(by_level[level], key=lambda n: (angle[parents[n]], n))
        radius = max(radius + RING_STEP, len(ring) * RING_SPACING / (2 * math.pi))
        for index, node in enumerate(ring):
            angle[node] = 2 * math.pi * index / len(ring)
            positions[node] = (radius * math.cos(angle[node]) * ASPECT, radius * math.sin(angle[node]))
    return positions


def _layout(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Force-directed positions for the largest component; smaller components in a row beneath it.

    Laying out disconnected parts together would push the few isolated nodes to the edges and shrink the
    component that matters into the middle of the canvas.
    """
    simple = undirected(g)
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), sorted(c)))
    positions: dict[str, tuple[float, float]] = {}
    main = simple.subgraph(components[0])
    scale = 70.0 * len(main) ** 0.5
    spread = 1.6 / max(len(main), 1) ** 0.5
    if len(main) > FORCE_LAYOUT_LIMIT:
        positions.update(_rings(main))
        scale = max(abs(y) for _x, y in positions.values()) or scale
    else:
        for node, (x, y) in nx.spring_layout(main, k=spread, seed=LAYOUT_SEED, iterations=80, scale=scale).items():
            positions[node] = (float(x) * ASPECT, float(y))
    x_next, row = -scale * ASPECT, scale * 1.15
    for component in components[1:]:
        size = 40.0 * len(component) ** 0.5
        part = simple.subgraph(component)
        if len(component) > FORCE_LAYOUT_LIMIT:
            sub = _rings(part)
        else:
            sub = nx.spring_layout(part, seed=LAYOUT_SEED, scale=size) if len(component) > 1 else {}
        for node in sorted(component):
            x, y = sub.get(node, (0.0, 0.0))
            positions[node] = (x_next + size + float(x), row + float(y))
        x_next += 2 * size + 140
        if x_next > scale * ASPECT:
            x_next, row = -scale * ASPECT, row + 160
    return {node: (round(x, 1), round(y, 1)) for node, (x, y) in positions.items()}


def citations_of(attrs: dict[str, Any]) -> tuple[Citation, ...]:
    keys = ("url", "title", "publisher", "published")
    return tuple(Citation(**{k: str(s.get(k, "")) for k in keys}) for s in attrs.get("sources", []))


def network_data(g: nx.MultiDiGraph, ontology: Ontology, centre: str | None, *, fold: bool = True) -> NetworkData:
    """Everything the page needs to draw `g` around `centre` (None: the whole graph)."""
    levels, parents = _levels(g, centre)
    folds = _folds(g, parents) if fold else []
    folded = {member: f.id for f in folds for member in f.members}
    positions = _layout(g) if len(g) > LAYOUT_OVER else {}
    nodes = []
    for iri, attrs in sorted(g.nodes(data=True), key=lambda item: (levels.get(item[0], 9), str(item[1]["label"]))):
        x, y = positions.get(iri, (None, None))
        nodes.append(
            NetNode(
                id=iri,
                record_id=record_id(iri) or "",
                label=str(attrs.get("label", "")),
                cls=str(attrs.get("cls", "")),
                class_label=str(attrs.get("class_label", "")),
                colour=str(attrs.get("colour", "#999999")),
                shape=str(attrs.get("shape", "dot")),
                country=str(attrs.get("country", "")),
                confidence=str(attrs.get("confidence", "verified")),
                date=str(attrs.get("date", "")),
                level=levels.get(iri, 0),
                folded_into=folded.get(iri),
                x=x,
                y=y,
            )
        )
    edges = [
        NetEdge(
            id=str(key),
            source=u,
            target=v,
            source_label=str(g.nodes[u]["label"]),
            target_label=str(g.nodes[v]["label"]),
            label=str(attrs.get("label", "")),
            relation=str(attrs.get("relation", "")),
            relation_label=ontology.label(URIRef(str(attrs.get("relation", "")))),
            via=str(attrs.get("via", "")),
            via_label=str(attrs.get("via_label", "")),
            start=str(attrs.get("start", "")),
            end=str(attrs.get("end", "")),
            confidence=str(attrs.get("confidence", "verified")),
            citations=citations_of(attrs),
        )
        for u, v, key, attrs in sorted(g.edges(keys=True, data=True), key=lambda e: str(e[2]))
    ]
    counts: dict[str, int] = defaultdict(int)
    for node in nodes:
        counts[node.cls] += 1
    legend = tuple(
        LegendEntry(c.iri, c.label, c.colour, c.shape, counts[str(c.iri)])
        for c in ontology.node_classes()
        if counts[str(c.iri)]
    )
    total = int(g.graph.get("total_nodes", len(nodes)))
    return NetworkData(tuple(nodes), tuple(edges), tuple(folds), legend, bool(positions), total)


def relation_options(ontology: Ontology, selected: list[str] | None) -> list[RelationOption]:
    """Every edge kind the ontology declares, marked as kept or dropped by the `rel` parameter."""
    options = []
    for kind in ontology.edge_kinds():
        name = str(kind.iri).rsplit("#", 1)[-1]
        label = f"{kind.label} ({ontology.label(kind.iri)})"
        options.append(RelationOption(name, str(kind.iri), label, selected is None or name in selected))
    return options


def relation_iris(ontology: Ontology, names: list[str] | None) -> frozenset[str] | None:
    """The IRIs of the edge kinds named in the URL, or None for all of them."""
    if not names:
        return None
    wanted = set(names)
    return frozenset(str(k.iri) for k in ontology.edge_kinds() if str(k.iri).rsplit("#", 1)[-1] in wanted)
