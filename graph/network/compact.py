"""The whole projection in flat tables: built once from the store, materialised into networkx only where needed.

`graph.network.builder` reads it from the store; `project` turns it into a networkx MultiDiGraph with every
attribute documented in `graph.network.projection`. A server keeps this form instead, answers the as-of dates
and edge filters of its views from the one copy (see `graph.network.view`), and materialises only the part a
view shows. What it holds per node and per edge is only what the attributes are derived from: the display hints
come from the ontology by class, an edge's dates, sources and confidence from the one relation record (or
subject) that states it, and each source document once. Edges are numbered in the projection's order (by key),
and each node's edges are listed by number both ways.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib import URIRef

from graph.network.facts import short_id
from graph.ontology import ClassInfo, EdgeKind, Ontology
from graph.vocab import record_id

SOURCE_KEYS = ("url", "title", "publisher", "published")


@dataclass(frozen=True, slots=True)
class NodeFacts:
    """What one node's attributes are made from; `sources` are positions in the table of source documents."""

    label: str
    cls: str
    country: str
    confidence: str
    date: str
    end: str
    aliases: tuple[str, ...]
    identifiers: tuple[str, ...]
    sources: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What the edges made from one relation record (a stake, a post, an action, an event) carry."""

    iri: str
    label: str
    start: str
    end: str
    share: str
    as_of: str
    controlling: bool
    role: str
    confidence: str
    sources: tuple[int, ...]


@dataclass(frozen=True)
class EdgeTemplate:
    """What every edge of one kind has in common; `kind_iri` is the edge kind it belongs to (see `project`)."""

    kind_iri: str
    relation: str
    kind: str  # "record", "leg" or "property"
    label: str
    inverse_label: str
    prefix: str  # the first part of its edges' keys


def _offsets(size: int, heads: Sequence[int]) -> tuple[array[int], array[int]]:
    """For items numbered in order with a head each (-1 for none): where each head's items start, and the items
    grouped by head, in order within each group."""
    starts = array("i", [0]) * (size + 1)
    for head in heads:
        if head >= 0:
            starts[head + 1] += 1
    for i in range(size):
        starts[i + 1] += starts[i]
    filled = starts[:-1]
    items = array("i", [0]) * starts[size]
    for item, head in enumerate(heads):
        if head >= 0:
            items[filled[head]] = item
            filled[head] += 1
    return starts, items


class CompactProjection:
    """Every node and edge of the projection, with what their attributes are made from, in flat tables."""

    def __init__(
        self,
        ontology: Ontology,
        kinds: list[EdgeKind],
        nodes: list[str],
        node_facts: list[NodeFacts],
        records: list[RecordFacts],
        sources: list[tuple[str, str, str, str]],
        templates: list[EdgeTemplate],
        edges: Sequence[tuple[int, int, int, int]],
    ) -> None:
        self.ontology = ontology
        self.kinds = kinds
        self.nodes = nodes  # IRIs, sorted: the projection's node order
        self.node_facts = node_facts
        self.records = records  # sorted by IRI
        self.sources = sources
        self.templates = templates
        self.edge_source = array("i", (e[0] for e in edges))
        self.edge_target = array("i", (e[1] for e in edges))
        self.edge_template = array("B", (e[2] for e in edges))
        self.edge_record = array("i", (e[3] for e in edges))
        self._out_at, self._out = _offsets(len(nodes), self.edge_source)
        self._in_at, self._in = _offsets(len(nodes), self.edge_target)
        self._by_record_at, self._by_record = _offsets(len(records), self.edge_record)
        self._info: dict[str, ClassInfo] = {}

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def edge_count(self) -> int:
        return len(self.edge_source)

    def position(self, iri: str) -> int | None:
        """The number of the node with this IRI, or None."""
        at = bisect_left(self.nodes, iri)
        return at if at < len(self.nodes) and self.nodes[at] == iri else None

    def record_position(self, iri: str) -> int | None:
        """The number of the relation record with this IRI (one that some edge comes from), or None."""
        at = bisect_left(self.records, iri, key=lambda r: r.iri)
        return at if at < len(self.records) and self.records[at].iri == iri else None

    def out_edges(self, node: int) -> array[int]:
        return self._out[self._out_at[node] : self._out_at[node + 1]]

    def in_edges(self, node: int) -> array[int]:
        return self._in[self._in_at[node] : self._in_at[node + 1]]

    def record_edges(self, record: int) -> array[int]:
        return self._by_record[self._by_record_at[record] : self._by_record_at[record + 1]]

    def class_info(self, cls: str) -> ClassInfo:
        if cls not in self._info:
            self._info[cls] = self.ontology.class_info(URIRef(cls))
        return self._info[cls]

    def node_attributes(self, node: int) -> dict[str, Any]:
        """The attributes of one node, as documented in `graph.network.projection`."""
        iri, facts = self.nodes[node], self.node_facts[node]
        info = self.class_info(facts.cls)
        return {
            "iri": iri,
            "label": facts.label,
            "record_id": record_id(iri) or "",
            "cls": facts.cls,
            "class_label": info.label,
            "colour": info.colour,
            "shape": info.shape,
            "country": facts.country,
            "confidence": facts.confidence,
            "date": facts.date,
            "end": facts.end,
            "aliases": list(facts.aliases),
            "identifiers": list(facts.identifiers),
        }

    def cited(self, sources: tuple[int, ...]) -> list[dict[str, str]]:
        return [dict(zip(SOURCE_KEYS, self.sources[s], strict=True)) for s in sources]

    def edge_attributes(self, edge: int) -> dict[str, Any]:
        """The attributes of one edge; every edge has every attribute, empty when it does not apply."""
        template = self.templates[self.edge_template[edge]]
        at = self.edge_record[edge]
        common = {
            "relation": template.relation,
            "kind": template.kind,
            "label": template.label,
            "inverse_label": template.inverse_label,
        }
        if at < 0:
            subject = self.node_facts[self.edge_source[edge]]
            return common | {
                "via": "",
                "via_label": "",
                "start": "",
                "end": "",
                "sources": self.cited(subject.sources),
                "confidence": subject.confidence,
                "share": "",
                "as_of": "",
                "controlling": False,
                "role": "",
            }
        record = self.records[at]
        return common | {
            "via": record.iri,
            "via_label": record.label,
            "start": record.start,
            "end": record.end,
            "sources": self.cited(record.sources),
            "confidence": record.confidence,
            "share": record.share,
            "as_of": record.as_of,
            "controlling": record.controlling,
            "role": record.role,
        }

    def edge_key(self, edge: int) -> str:
        """The stable key of an edge: its kind, its record (if any) and the record ids of its two ends."""
        template = self.templates[self.edge_template[edge]]
        ends = f"{short_id(self.nodes[self.edge_source[edge]])}>{short_id(self.nodes[self.edge_target[edge]])}"
        at = self.edge_record[edge]
        if at < 0:
            return f"{template.prefix}:{ends}"
        return f"{template.prefix}:{short_id(self.records[at].iri)}:{ends}"

    def materialise(self, nodes: Iterable[int], edges: Iterable[int], **graph: Any) -> nx.MultiDiGraph:
        """A networkx graph of these nodes and edges (whose ends must be among the nodes), added in the order given."""
        g = nx.MultiDiGraph(**graph)
        for node in nodes:
            g.add_node(self.nodes[node], **self.node_attributes(node))
        for edge in edges:
            u, v = self.nodes[self.edge_source[edge]], self.nodes[self.edge_target[edge]]
            g.add_edge(u, v, key=self.edge_key(edge), **self.edge_attributes(edge))
        return g


def edge_kind_iris(kinds: list[EdgeKind]) -> set[str]:
    """Every IRI `project(relations=...)` accepts: the edge kinds, and the properties of relation classes."""
    return {str(k.iri) for k in kinds} | {str(p) for k in kinds if k.is_record for p in (k.source, k.target)}
