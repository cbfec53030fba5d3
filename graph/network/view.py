"""The compact projection as of a date and with some kinds of edge, without a copy of it.

A `ProjectionView` answers what `project(store, as_of=..., relations=...)` would: the same nodes, edges,
attributes and order. It decides membership from the dates and kinds kept in the `CompactProjection`, and
materialises networkx graphs only of the part a caller asks for: the whole view (what `project` returns), a
neighbourhood, what an entity page shows, or the edges along some paths. Path search runs on `search_graph`, a
plain undirected graph of the view's links without attributes.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx

from graph.network.compact import CompactProjection, edge_kind_iris
from graph.network.dates import in_force
from graph.network.paths import RelationPath, expand, shortest_paths
from graph.ontology import EdgeKind
from graph.vocab import TC

OWNERSHIP = str(TC.Ownership)


def check_relations(kinds: list[EdgeKind], relations: Iterable[str] | None) -> frozenset[str] | None:
    """The edge kinds to keep, or None for all; an IRI that names no edge kind raises ValueError."""
    if relations is None:
        return None
    wanted = frozenset(relations)
    unknown = wanted - edge_kind_iris(kinds)
    if unknown:
        raise ValueError(f"not an edge kind of the ontology: {', '.join(sorted(unknown))} (see Ontology.edge_kinds())")
    return wanted


# The one attribute dict of every node and link of a LinkGraph: a link graph has no attributes.
_NO_ATTRIBUTES: dict[str, Any] = {}


def _no_attributes() -> dict[str, Any]:
    return _NO_ATTRIBUTES


class LinkGraph(nx.Graph):  # type: ignore[misc]  # networkx has no type hints: its classes are Any
    """An undirected graph of links without attributes, frozen once built, for path search.

    networkx gives every node and every link an attribute dict of its own; here they all share one empty dict
    (through networkx's factory hooks), which halves the size of a graph of a quarter of a million links.
    """

    node_attr_dict_factory = staticmethod(_no_attributes)
    edge_attr_dict_factory = staticmethod(_no_attributes)


class ProjectionView:
    """What of the compact projection was in force at `as_of` (None: everything), with only the edges of the
    kinds in `relations` (None: every kind); the legs through actions and events belong both to their property
    and to their relation class."""

    def __init__(
        self, compact: CompactProjection, as_of: str | None = None, relations: Iterable[str] | None = None
    ) -> None:
        self.compact = compact
        self.as_of = as_of or None
        self.relations = check_relations(compact.kinds, relations)
        wanted = self.relations
        self._kept_templates = bytes(
            wanted is None or t.kind_iri in wanted or t.relation in wanted for t in compact.templates
        )
        self._nodes_in_force: bytes | None = None
        self._records_in_force: bytes | None = None
        if self.as_of is not None:
            known: dict[tuple[str, str], bool] = {}

            def held(start: str, end: str) -> bool:
                if (start, end) not in known:
                    known[(start, end)] = in_force(start, end, self.as_of)
                return known[(start, end)]

            self._nodes_in_force = bytes(held(f.date, f.end) for f in compact.node_facts)
            self._records_in_force = bytes(held(r.start, r.end) for r in compact.records)

    def has_node(self, node: int) -> bool:
        return self._nodes_in_force is None or bool(self._nodes_in_force[node])

    def has_edge(self, edge: int) -> bool:
        c = self.compact
        if not self._kept_templates[c.edge_template[edge]]:
            return False
        record = c.edge_record[edge]
        if self._records_in_force is not None and record >= 0 and not self._records_in_force[record]:
            return False
        return self.has_node(c.edge_source[edge]) and self.has_node(c.edge_target[edge])

    def position(self, iri: str) -> int | None:
        """The number of the node with this IRI if it is in the view, else None."""
        node = self.compact.position(iri)
        return node if node is not None and self.has_node(node) else None

    def __contains__(self, iri: object) -> bool:
        return isinstance(iri, str) and self.position(iri) is not None

    def _node(self, iri: str) -> int:
        node = self.position(iri)
        if node is None:
            raise nx.NodeNotFound(f"{iri} is not a node of this graph (resolve names with resolve())")
        return node

    def out_edges(self, node: int) -> list[int]:
        return [e for e in self.compact.out_edges(node) if self.has_edge(e)]

    def in_edges(self, node: int) -> list[int]:
        return [e for e in self.compact.in_edges(node) if self.has_edge(e)]

    def nodes(self) -> list[str]:
        return [iri for node, iri in enumerate(self.compact.nodes) if self.has_node(node)]

    def graph(self) -> nx.MultiDiGraph:
        """The whole view as networkx: exactly what `project` returns for the same date and kinds."""
        c = self.compact
        nodes = (n for n in range(len(c)) if self.has_node(n))
        edges = (e for e in range(c.edge_count) if self.has_edge(e))
        return c.materialise(nodes, edges, as_of=self.as_of or "")

    def _materialise(self, nodes: set[int], edges: Iterable[int]) -> nx.MultiDiGraph:
        """Some nodes and edges in the order a projection lists them: by source node, then by the first edge to
        each target, then by key (as `graph.network.neighbourhood` copies them)."""
        c = self.compact
        by_source: dict[int, dict[int, list[int]]] = {}
        for edge in sorted(set(edges)):
            by_source.setdefault(c.edge_source[edge], {}).setdefault(c.edge_target[edge], []).append(edge)
        ordered = [e for u in sorted(by_source) for group in by_source[u].values() for e in group]
        return c.materialise(sorted(nodes), ordered, as_of=self.as_of or "")

    def _ends(self, edges: Iterable[int]) -> set[int]:
        c = self.compact
        return {n for e in edges for n in (c.edge_source[e], c.edge_target[e])}

    def _degree(self, node: int) -> int:
        return len(self.out_edges(node)) + len(self.in_edges(node))

    def _among(self, nodes: set[int], total: int) -> nx.MultiDiGraph:
        """`nodes` and the edges between them; when `total` is larger (some nodes were left out), the graph
        attribute `total_nodes` says how many there were to choose from."""
        c = self.compact
        edges = [e for u in nodes for e in self.out_edges(u) if c.edge_target[e] in nodes]
        graph = self._materialise(nodes, edges)
        if total > len(nodes):
            graph.graph["total_nodes"] = total
        return graph

    def neighbourhood(self, iri: str, depth: int = 1, limit: int | None = None) -> nx.MultiDiGraph:
        """Everything within `depth` hops of a node, following edges both ways: `graph.network.neighbourhood`
        of the whole view. With a `limit`, at most that many nodes: nearer hops first and, within the hop that
        overflows, the nodes with the most edges (then the first found)."""
        c = self.compact
        reach = {self._node(iri)}
        kept: set[int] | None = None
        frontier = list(reach)
        for _ in range(depth):
            found = []
            for node in frontier:
                for edge in self.out_edges(node):
                    found.append(c.edge_target[edge])
                for edge in self.in_edges(node):
                    found.append(c.edge_source[edge])
            frontier = [n for n in dict.fromkeys(found) if n not in reach]
            if limit is not None and kept is None and len(reach) + len(frontier) > limit:
                room = max(limit - len(reach), 0)
                ranked = sorted(frontier, key=lambda n: -self._degree(n))  # stable: ties stay in the order found
                kept = reach | set(ranked[:room])
            reach.update(frontier)
        return self._among(kept if kept is not None else reach, len(reach))

    def busiest(self, limit: int) -> nx.MultiDiGraph:
        """The whole view when it has at most `limit` nodes (as `graph()` draws it); otherwise the `limit`
        nodes with the most edges (ties: the first in the projection) and the edges between them."""
        c = self.compact
        present = [n for n in range(len(c)) if self.has_node(n)]
        if len(present) <= limit:
            return self.graph()
        degree = [0] * len(c)
        for edge in range(c.edge_count):
            if self.has_edge(edge):
                degree[c.edge_source[edge]] += 1
                degree[c.edge_target[edge]] += 1
        top = heapq.nsmallest(limit, present, key=lambda n: (-degree[n], n))
        return self._among(set(top), len(present))

    def surroundings(self, iri: str) -> nx.MultiDiGraph:
        """The part of the view an entity page reads (see `graph.entity.entity_page`): the node, its edges and
        their other ends, the records they come from (a record that is not a node with its edges), the stakes
        above and below it, and, for a relation record, the edges it makes."""
        c = self.compact
        nodes: set[int] = set()
        edges: set[int] = set()
        node = self.position(iri)
        if node is not None:
            nodes.add(node)
            mine = self.out_edges(node) + self.in_edges(node)
            edges.update(mine)
            for record in {c.edge_record[e] for e in mine if c.edge_record[e] >= 0}:
                via = self.position(c.records[record].iri)
                if via is not None:
                    nodes.add(via)
                else:
                    edges.update(e for e in c.record_edges(record) if self.has_edge(e))
            for up in (True, False):
                edges.update(self._stakes(node, up=up))
        own = c.record_position(iri)
        if node is None and own is not None:
            edges.update(e for e in c.record_edges(own) if self.has_edge(e))
        return self._materialise(nodes | self._ends(edges), edges)

    def _stakes(self, node: int, *, up: bool) -> set[int]:
        """The ownership edges above (or below) a node, transitively."""
        c = self.compact
        found: set[int] = set()
        seen, todo = {node}, [node]
        while todo:
            current = todo.pop()
            for edge in self.in_edges(current) if up else self.out_edges(current):
                template = c.templates[c.edge_template[edge]]
                if template.kind != "record" or template.relation != OWNERSHIP:
                    continue
                found.add(edge)
                other = c.edge_source[edge] if up else c.edge_target[edge]
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return found

    def along(self, paths: Iterable[Sequence[str]]) -> nx.MultiDiGraph:
        """Every edge, either way, between the consecutive nodes of some paths, with those nodes and the nodes
        the edges come by: what explaining the paths hop by hop reads (see `graph.network.paths.expand`)."""
        c = self.compact
        nodes: set[int] = set()
        edges: set[int] = set()
        for path in paths:
            positions = [self._node(iri) for iri in path]
            nodes.update(positions)
            for a, b in itertools.pairwise(positions):
                edges.update(e for e in self.out_edges(a) if c.edge_target[e] == b)
                edges.update(e for e in self.out_edges(b) if c.edge_target[e] == a)
        for edge in edges:
            record = c.edge_record[edge]
            via = self.position(c.records[record].iri) if record >= 0 else None
            if via is not None:
                nodes.add(via)
        return self._materialise(nodes | self._ends(edges), edges)

    def search_graph(self) -> nx.Graph:
        """One undirected link per pair of linked nodes, without attributes: `graph.network.paths.simple_graph`
        of the whole view, in the same order, for path search."""
        c = self.compact
        simple = LinkGraph()
        nodes = self.nodes()
        simple.add_nodes_from(nodes)
        names = c.nodes

        def links() -> Iterable[tuple[str, str]]:
            for u in range(len(c)):
                if self.has_node(u):
                    for edge in self.out_edges(u):
                        v = c.edge_target[edge]
                        if v != u:
                            yield names[u], names[v]

        simple.add_edges_from(links())
        return nx.freeze(simple)

    def paths(
        self, source: str, target: str, *, k: int = 3, max_hops: int = 6, simple: nx.Graph | None = None
    ) -> list[RelationPath]:
        """`graph.network.find_paths` (undirected, avoiding nothing) on the whole view; `simple` is its
        `search_graph` when the caller keeps one."""
        self._node(source)
        self._node(target)
        if source == target:
            return [RelationPath(nodes=(source,), hops=())]
        simple = self.search_graph() if simple is None else simple

        def explain(nodes: list[str]) -> RelationPath:
            return expand(self.along([nodes]), nodes, directed=False)

        return shortest_paths(simple, source, target, explain, k, max_hops)
