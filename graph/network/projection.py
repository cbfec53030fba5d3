"""The store as a networkx multigraph, projected as the ontology's edge declarations say.

Nodes are the instances of classes marked `tc:networkNode`. Edges come from `Ontology.edge_kinds()`, never from
a list written here:

- an object property marked `tc:networkEdge` gives one edge per statement between two nodes (`kind="property"`);
- a relation class with `tc:edgeSource`/`tc:edgeTarget` gives one edge from each source to each target of each
  record, with the record as `via` (`kind="record"`): an ownership owner -> owned, a post holder -> organisation,
  an action issuer -> each target, an event each agent -> each affected party;
- a relation class that is also a node class (regulatory actions and events) additionally keeps its records as
  nodes joined to their parties, so that paths through them exist (`kind="leg"`): source -> record
  ("issued", "took part in": the source property read backwards) and record -> target (the class's
  own edge label, "restricts", "acted on").

Every edge carries the sources and the confidence of the record that states it (the relation record, or the
subject of the object property).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import networkx as nx
import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.network.dates import earliest, in_force
from graph.ontology import EdgeKind, Ontology, load_ontology
from graph.query import truthy
from graph.vocab import TC, record_id

# Properties whose earliest value dates a node (an action, event, instrument or case); see `node_date`.
NODE_DATE_PROPERTIES = (TC.date, TC.announcedDate, TC.publishedDate, TC.effectiveDate, TC.filedDate)
NAME_PROPERTIES = (SKOS.altLabel, TC.shortName, SKOS.hiddenLabel, TC.formerName)
IDENTIFIER_PROPERTIES = (TC.wikidataId, TC.lei, TC.docketNumber, TC.federalRegisterCitation, TC.celexNumber)
OTHER_IDENTIFIER = TC.identifier
SOURCE_KEYS = ("url", "title", "publisher", "published")


class SparqlStore(Protocol):
    """What the projection needs of a store: pyoxigraph's `query` (an `ox.Store` or a `graph.remote.RemoteStore`)."""

    def query(
        self, query: str, *, prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False
    ) -> object: ...


def local_name(iri: str) -> str:
    """The part of an IRI after its last `#` or `/`."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def short_id(iri: str) -> str:
    """The record id of a curated IRI, or the IRI itself."""
    return record_id(iri) or iri


@dataclass
class Facts:
    """The statements about the subjects one query fetched, as text, grouped by subject and property."""

    values: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))

    def add(self, subject: str, prop: str, value: str) -> None:
        self.values[subject][prop].append(value)

    def all(self, subject: str, prop: URIRef) -> list[str]:
        """Every value, sorted, so that the projection does not depend on the store's order."""
        return sorted(set(self.values.get(subject, {}).get(str(prop), [])))

    def first(self, subject: str, prop: URIRef) -> str:
        found = self.all(subject, prop)
        return found[0] if found else ""

    def subjects(self) -> list[str]:
        return sorted(self.values)


def fetch_facts(store: SparqlStore, classes: Iterable[URIRef]) -> Facts:
    """Every statement about every instance of the given classes, in one query over all graphs."""
    values = " ".join(f"<{c}>" for c in sorted(set(classes)))
    sparql = f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?c {{ {values} }} ?s a ?c . ?s ?p ?o . }}"
    facts = Facts()
    result = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    for solution in result:
        subject, prop, obj = solution["s"], solution["p"], solution["o"]
        named = isinstance(subject, ox.NamedNode) and isinstance(prop, ox.NamedNode)
        if named and isinstance(obj, ox.NamedNode | ox.Literal):
            facts.add(subject.value, prop.value, obj.value)
    return facts


@dataclass(frozen=True)
class Context:
    """What building one projection needs: the ontology, the facts and the confidence notations."""

    ontology: Ontology
    facts: Facts
    confidence_notations: dict[str, str]

    def label(self, iri: str) -> str:
        label = self.facts.first(iri, RDFS.label)
        if label:
            return label
        role = self.facts.first(iri, TC.role)
        if role:
            return role
        cls = self.most_specific(iri)
        return f"{self.ontology.label(URIRef(cls))} {short_id(iri)}" if cls else short_id(iri)

    def types(self, iri: str) -> set[URIRef]:
        return {URIRef(t) for t in self.facts.all(iri, RDF.type)}

    def most_specific(self, iri: str) -> str:
        cls = self.ontology.most_specific(self.types(iri))
        return str(cls) if cls is not None else ""

    def confidence(self, iri: str) -> str:
        concept = self.facts.first(iri, TC.confidence)
        if concept:
            return self.confidence_notations.get(concept, local_name(concept))
        return "verified" if self.facts.all(iri, TC.source) else "unverified"

    def sources(self, iri: str) -> list[dict[str, str]]:
        """The source documents of a record, oldest first, as plain dicts."""
        found = []
        for doc in self.facts.all(iri, TC.source):
            found.append(
                {
                    "url": self.facts.first(doc, TC.url) or doc,
                    "title": self.facts.first(doc, TC.title),
                    "publisher": self.facts.first(doc, TC.publisher),
                    "published": self.facts.first(doc, TC.publishedDate),
                }
            )
        return sorted(found, key=lambda s: (s["published"] == "", s["published"], s["publisher"], s["url"]))

    def node_date(self, iri: str) -> str:
        return earliest(v for p in NODE_DATE_PROPERTIES for v in self.facts.all(iri, p))


def node_attributes(ctx: Context, iri: str) -> dict[str, Any]:
    """The attributes of one node, as documented in the package."""
    cls = ctx.most_specific(iri)
    info = ctx.ontology.class_info(URIRef(cls))
    country = ctx.facts.first(iri, TC.country)
    identifiers = [v for p in IDENTIFIER_PROPERTIES for v in ctx.facts.all(iri, p)]
    identifiers += ctx.facts.all(iri, OTHER_IDENTIFIER)
    return {
        "iri": iri,
        "label": ctx.label(iri),
        "record_id": record_id(iri) or "",
        "cls": cls,
        "class_label": info.label,
        "colour": info.colour,
        "shape": info.shape,
        "country": ctx.label(country) if country else "",
        "confidence": ctx.confidence(iri),
        "date": ctx.node_date(iri),
        "end": ctx.facts.first(iri, TC.endDate),
        "aliases": sorted({v for p in NAME_PROPERTIES for v in ctx.facts.all(iri, p)}),
        "identifiers": sorted(set(identifiers)),
    }


@dataclass(frozen=True)
class PendingEdge:
    """An edge before filtering: its endpoints, key, attributes and the edge kind it belongs to."""

    source: str
    target: str
    key: str
    kind_iri: str
    attrs: dict[str, Any]


def _edge_attrs(
    ctx: Context, kind: str, relation: str, label: str, inverse: str, via: str, stated_by: str
) -> dict[str, Any]:
    """The attributes of one edge; `stated_by` is the record whose sources and confidence the edge carries.

    Every edge has every attribute (empty when it does not apply), so that GraphML gets one type per key.
    """
    facts = ctx.facts
    record = bool(via)
    return {
        "relation": relation,
        "kind": kind,
        "label": label,
        "inverse_label": inverse,
        "via": via,
        "via_label": ctx.label(via) if record else "",
        "start": (facts.first(via, TC.startDate) or ctx.node_date(via)) if record else "",
        "end": facts.first(via, TC.endDate) if record else "",
        "sources": ctx.sources(stated_by),
        "confidence": ctx.confidence(stated_by),
        "share": facts.first(via, TC.share) if record else "",
        "as_of": facts.first(via, TC.asOfDate) if record else "",
        "controlling": truthy(facts.first(via, TC.controlling)) if record else False,
        "role": facts.first(via, TC.role) if record else "",
    }


def record_edges(ctx: Context, kind: EdgeKind, nodes: set[str], node_classes: set[str]) -> list[PendingEdge]:
    """The edges one relation class projects to, with the legs through its records when they are nodes."""
    assert kind.source is not None and kind.target is not None
    edges: list[PendingEdge] = []
    name = local_name(str(kind.iri))
    keeps_nodes = str(kind.iri) in node_classes
    # The leg from a party to the record reads the source property backwards ("issued", "took part in").
    backwards, forwards = ctx.ontology.edge_labels(kind.source)
    for record in ctx.facts.subjects():
        if kind.iri not in ctx.types(record):
            continue
        rid = short_id(record)
        sources = [s for s in ctx.facts.all(record, kind.source) if s in nodes]
        targets = [t for t in ctx.facts.all(record, kind.target) if t in nodes]
        for s in sources:
            for t in targets:
                attrs = _edge_attrs(ctx, "record", str(kind.iri), kind.label, kind.inverse_label, record, record)
                edges.append(PendingEdge(s, t, f"{name}:{rid}:{short_id(s)}>{short_id(t)}", str(kind.iri), attrs))
        if not keeps_nodes or record not in nodes:
            continue
        for s in sources:
            attrs = _edge_attrs(ctx, "leg", str(kind.source), forwards, backwards, record, record)
            key = f"{local_name(str(kind.source))}:{rid}:{short_id(s)}>{rid}"
            edges.append(PendingEdge(s, record, key, str(kind.iri), attrs))
        for t in targets:
            attrs = _edge_attrs(ctx, "leg", str(kind.target), kind.label, kind.inverse_label, record, record)
            key = f"{local_name(str(kind.target))}:{rid}:{rid}>{short_id(t)}"
            edges.append(PendingEdge(record, t, key, str(kind.iri), attrs))
    return edges


def property_edges(ctx: Context, kind: EdgeKind, nodes: set[str]) -> list[PendingEdge]:
    """The edges one object property gives: one per statement between two nodes."""
    edges: list[PendingEdge] = []
    name = local_name(str(kind.iri))
    for subject in sorted(nodes):
        for obj in ctx.facts.all(subject, kind.iri):
            if obj in nodes:
                attrs = _edge_attrs(ctx, "property", str(kind.iri), kind.label, kind.inverse_label, "", subject)
                edges.append(
                    PendingEdge(subject, obj, f"{name}:{short_id(subject)}>{short_id(obj)}", str(kind.iri), attrs)
                )
    return edges


def project(
    store: SparqlStore,
    *,
    as_of: str | None = None,
    relations: Iterable[str] | None = None,
    ontology: Ontology | None = None,
) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph: nodes keyed by IRI, edges keyed by a stable id.

    `as_of` (a partial date) keeps only what had begun and not yet ended by then; undated things stay.
    `relations` keeps only the edges of these edge kinds (relation class or object property IRIs); the legs
    through actions and events belong both to their property (tc:issuer, ...) and to their relation class.
    An IRI that names no edge kind raises ValueError.
    """
    onto = ontology or load_ontology()
    kinds = onto.edge_kinds()
    wanted = set(relations) if relations is not None else None
    known = {str(k.iri) for k in kinds} | {str(p) for k in kinds if k.is_record for p in (k.source, k.target)}
    if wanted is not None and wanted - known:
        unknown = ", ".join(sorted(wanted - known))
        raise ValueError(f"not an edge kind of the ontology: {unknown} (see Ontology.edge_kinds())")
    node_classes = {str(c.iri) for c in onto.node_classes()}
    record_classes = [k.iri for k in kinds if k.is_record]
    facts = fetch_facts(store, [*map(URIRef, node_classes), *record_classes, TC.SourceDocument])
    notations = {str(iri): notation for notation, iri in onto.concepts.get("confidence", {}).items()}
    ctx = Context(onto, facts, notations)

    nodes: dict[str, dict[str, Any]] = {}
    for iri in facts.subjects():
        if not {str(t) for t in ctx.types(iri)} & node_classes:
            continue
        attrs = node_attributes(ctx, iri)
        if in_force(attrs["date"], attrs["end"], as_of):
            nodes[iri] = attrs

    pending: list[PendingEdge] = []
    for kind in kinds:
        if kind.is_record:
            pending.extend(record_edges(ctx, kind, set(nodes), node_classes))
        else:
            pending.extend(property_edges(ctx, kind, set(nodes)))

    graph = nx.MultiDiGraph(as_of=as_of or "")
    for iri in sorted(nodes):
        graph.add_node(iri, **nodes[iri])
    for edge in sorted(pending, key=lambda e: e.key):
        if wanted is not None and edge.kind_iri not in wanted and edge.attrs["relation"] not in wanted:
            continue
        if not in_force(edge.attrs["start"], edge.attrs["end"], as_of):
            continue
        graph.add_edge(edge.source, edge.target, key=edge.key, **edge.attrs)
    return graph
