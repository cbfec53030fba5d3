"""Reading the store into a `CompactProjection`: the facts it is made from, and how they become its tables.

The rules are those `graph.network.projection` documents: nodes are the instances of network-node classes, and
edges come from the ontology's edge kinds, from relation records (with legs through those that are nodes) and
from object properties, keyed and ordered as `project` keys and orders them.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import URIRef
from rdflib.namespace import SKOS

from graph.network.compact import CompactProjection, EdgeTemplate, NodeFacts, RecordFacts
from graph.network.facts import (
    CONFIDENCE,
    LABEL,
    NODE_DATE_PROPERTIES,
    PUBLISHED,
    PUBLISHER,
    ROLE,
    SOURCE,
    TITLE,
    URL,
    Context,
    SparqlStore,
    fetch_facts,
    local_name,
    short_id,
)
from graph.ontology import Ontology, load_ontology
from graph.query import truthy
from graph.vocab import TC

NAME_PROPERTIES = tuple(str(p) for p in (SKOS.altLabel, TC.shortName, SKOS.hiddenLabel, TC.formerName))
IDENTIFIER_PROPERTIES = tuple(
    str(p) for p in (TC.wikidataId, TC.lei, TC.docketNumber, TC.federalRegisterCitation, TC.celexNumber)
)
OTHER_IDENTIFIER = str(TC.identifier)
START, END, SHARE, AS_OF, CONTROLLING = (
    str(p) for p in (TC.startDate, TC.endDate, TC.share, TC.asOfDate, TC.controlling)
)
COUNTRY = str(TC.country)


class _Builder:
    """Reads the facts and turns them into the tables of a CompactProjection."""

    def __init__(self, store: SparqlStore, ontology: Ontology) -> None:
        self.ontology = ontology
        self.kinds = ontology.edge_kinds()
        self.node_classes = {str(c.iri) for c in ontology.node_classes()}
        record_kinds = [k for k in self.kinds if k.is_record]
        scope = [*self.node_classes, *(str(k.iri) for k in record_kinds), str(TC.SourceDocument)]
        properties = [
            LABEL,
            ROLE,
            CONFIDENCE,
            SOURCE,
            URL,
            TITLE,
            PUBLISHER,
            PUBLISHED,
            *NODE_DATE_PROPERTIES,
            START,
            END,
            SHARE,
            AS_OF,
            CONTROLLING,
            COUNTRY,
            *NAME_PROPERTIES,
            *IDENTIFIER_PROPERTIES,
            OTHER_IDENTIFIER,
            *(p for k in record_kinds for p in (k.source, k.target) if p is not None),
            *(k.iri for k in self.kinds if not k.is_record),
        ]
        self.facts = fetch_facts(store, scope, properties)
        notations = {str(iri): notation for notation, iri in ontology.concepts.get("confidence", {}).items()}
        self.ctx = Context(ontology, self.facts, notations)
        self.sources: list[tuple[str, str, str, str]] = []
        self._source_at: dict[str, int] = {}
        self._cited: dict[tuple[int, ...], tuple[int, ...]] = {}

    def cited(self, iri: str) -> tuple[int, ...]:
        """The source documents of a record, oldest first, as positions in the table of sources (shared tuples)."""
        found = []
        for doc in self.facts.all(iri, SOURCE):
            if doc not in self._source_at:
                self._source_at[doc] = len(self.sources)
                self.sources.append(self.ctx.source(doc))
            found.append(self._source_at[doc])
        found.sort(key=lambda s: (self.sources[s][3] == "", self.sources[s][3], self.sources[s][2], self.sources[s][0]))
        ids = tuple(found)
        return self._cited.setdefault(ids, ids)

    def node(self, iri: str) -> NodeFacts:
        facts, ctx = self.facts, self.ctx
        country = facts.first(iri, COUNTRY)
        identifiers = [v for p in IDENTIFIER_PROPERTIES for v in facts.all(iri, p)]
        identifiers += facts.all(iri, OTHER_IDENTIFIER)
        return NodeFacts(
            label=ctx.label(iri),
            cls=ctx.most_specific(iri),
            country=ctx.label(country) if country else "",
            confidence=ctx.confidence(iri),
            date=ctx.node_date(iri),
            end=facts.first(iri, END),
            aliases=tuple(sorted({v for p in NAME_PROPERTIES for v in facts.all(iri, p)})),
            identifiers=tuple(sorted(set(identifiers))),
            sources=self.cited(iri),
        )

    def record(self, iri: str) -> RecordFacts:
        facts, ctx = self.facts, self.ctx
        return RecordFacts(
            iri=iri,
            label=ctx.label(iri),
            start=facts.first(iri, START) or ctx.node_date(iri),
            end=facts.first(iri, END),
            share=facts.first(iri, SHARE),
            as_of=facts.first(iri, AS_OF),
            controlling=truthy(facts.first(iri, CONTROLLING)),
            role=facts.first(iri, ROLE),
            confidence=ctx.confidence(iri),
            sources=self.cited(iri),
        )

    def templates(self) -> tuple[list[EdgeTemplate], dict[tuple[str, str], int]]:
        """One template per edge kind, and per relation class two more for the legs through its records."""
        templates: list[EdgeTemplate] = []
        for kind in self.kinds:
            iri = str(kind.iri)
            if kind.source is None or kind.target is None:
                templates.append(EdgeTemplate(iri, iri, "property", kind.label, kind.inverse_label, local_name(iri)))
                continue
            # The leg from a party to the record reads the source property backwards ("issued", "took part in").
            backwards, forwards = self.ontology.edge_labels(kind.source)
            source, target = str(kind.source), str(kind.target)
            templates += [
                EdgeTemplate(iri, iri, "record", kind.label, kind.inverse_label, local_name(iri)),
                EdgeTemplate(iri, source, "leg", forwards, backwards, local_name(source)),
                EdgeTemplate(iri, target, "leg", kind.label, kind.inverse_label, local_name(target)),
            ]
        return templates, {(t.kind_iri, t.relation if t.kind == "leg" else t.kind): i for i, t in enumerate(templates)}

    def pending(
        self, nodes: dict[str, int], which: dict[tuple[str, str], int]
    ) -> Iterator[tuple[str, int, int, int, str]]:
        """Every edge as (key, source, target, template, record IRI or ""), in the order the kinds are declared."""
        facts = self.facts
        for kind in self.kinds:
            iri = str(kind.iri)
            if kind.source is None or kind.target is None:
                template, name = which[(iri, "property")], local_name(iri)
                for subject in nodes:
                    for obj in facts.all(subject, iri):
                        if obj in nodes:
                            key = f"{name}:{short_id(subject)}>{short_id(obj)}"
                            yield key, nodes[subject], nodes[obj], template, ""
                continue
            keeps_nodes = iri in self.node_classes
            record_template = which[(iri, "record")]
            source_prop, target_prop = str(kind.source), str(kind.target)
            source_leg, target_leg = which[(iri, source_prop)], which[(iri, target_prop)]
            name, source_name, target_name = local_name(iri), local_name(source_prop), local_name(target_prop)
            for record in facts.subjects():
                if kind.iri not in facts.types(record):
                    continue
                rid = short_id(record)
                sources = [s for s in facts.all(record, source_prop) if s in nodes]
                targets = [t for t in facts.all(record, target_prop) if t in nodes]
                for s in sources:
                    for t in targets:
                        key = f"{name}:{rid}:{short_id(s)}>{short_id(t)}"
                        yield key, nodes[s], nodes[t], record_template, record
                if not keeps_nodes or record not in nodes:
                    continue
                for s in sources:
                    yield f"{source_name}:{rid}:{short_id(s)}>{rid}", nodes[s], nodes[record], source_leg, record
                for t in targets:
                    yield f"{target_name}:{rid}:{rid}>{short_id(t)}", nodes[record], nodes[t], target_leg, record

    def build(self) -> CompactProjection:
        facts = self.facts
        is_node: dict[frozenset[URIRef], bool] = {}
        nodes: dict[str, int] = {}
        for subject in facts.subjects():
            types = facts.types(subject)
            if types not in is_node:
                is_node[types] = any(str(t) in self.node_classes for t in types)
            if is_node[types]:
                nodes[subject] = len(nodes)
        node_facts = [self.node(iri) for iri in nodes]
        templates, which = self.templates()
        pending = sorted(self.pending(nodes, which), key=lambda edge: edge[0])
        # Two edges with one key are one edge with the later one's attributes, as networkx's add_edge makes them.
        unique = [edge for i, edge in enumerate(pending) if i + 1 == len(pending) or pending[i + 1][0] != edge[0]]
        del pending
        record_iris = sorted({edge[4] for edge in unique if edge[4]})
        record_at = {iri: i for i, iri in enumerate(record_iris)}
        records = [self.record(iri) for iri in record_iris]
        edges = [(s, t, template, record_at[r] if r else -1) for _, s, t, template, r in unique]
        del unique
        return CompactProjection(
            self.ontology, self.kinds, list(nodes), node_facts, records, self.sources, templates, edges
        )


def compact_projection(store: SparqlStore, ontology: Ontology | None = None) -> CompactProjection:
    """Read the store once into a CompactProjection (see the module docstring)."""
    return _Builder(store, ontology or load_ontology()).build()
