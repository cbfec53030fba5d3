"""The statements the projection is made from, read property by property and held as shared text.

The projection needs a few dozen properties of the instances of some classes (names, dates, sources, the
parties of relation records), not every statement about them. Each property is read in a query of its own, a
plain scan of one predicate that the store answers quickly, and every IRI and value is interned, so that the
million statements of a large build take tens of megabytes while they are read instead of hundreds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS

from graph.network.dates import earliest
from graph.ontology import ClassInfo, Ontology
from graph.vocab import TC, record_id

# Property IRIs as text, made once: rdflib makes a new URIRef at every namespace attribute look-up, which adds up
# over a million facts.
LABEL, ROLE, CONFIDENCE, SOURCE = str(RDFS.label), str(TC.role), str(TC.confidence), str(TC.source)
URL, TITLE, PUBLISHER, PUBLISHED = str(TC.url), str(TC.title), str(TC.publisher), str(TC.publishedDate)
# Properties whose earliest value dates a node (an action, event, instrument or case); see `Context.node_date`.
NODE_DATE_PROPERTIES = tuple(
    str(p) for p in (TC.date, TC.announcedDate, TC.publishedDate, TC.effectiveDate, TC.filedDate)
)


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


def _pairs(store: SparqlStore, sparql: str) -> Iterable[tuple[str, str]]:
    """(subject, object) of a two-column query over all graphs, for named subjects and named or literal objects."""
    result = store.query(sparql, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    for solution in result:
        subject, obj = solution[0], solution[1]
        if isinstance(subject, ox.NamedNode) and isinstance(obj, ox.NamedNode | ox.Literal):
            yield subject.value, obj.value


class Facts:
    """Some properties of the instances of some classes, as interned text, by property and then subject.

    Only the subjects in scope (instances of the classes read) have types or values, as when every statement
    about them is read: another subject is unknown here, and is named by its id.
    """

    def __init__(self) -> None:
        self._types: dict[str, frozenset[URIRef]] = {}
        self._values: dict[str, dict[str, str | list[str]]] = {}

    def types(self, subject: str) -> frozenset[URIRef]:
        return self._types.get(subject, frozenset())

    def all(self, subject: str, prop: str) -> list[str]:
        """Every value, sorted and distinct, so that the projection does not depend on the store's order."""
        found = self._values.get(prop, {}).get(subject)
        if found is None:
            return []
        return [found] if isinstance(found, str) else sorted(set(found))

    def first(self, subject: str, prop: str) -> str:
        found = self._values.get(prop, {}).get(subject)
        if found is None:
            return ""
        return found if isinstance(found, str) else min(found)

    def subjects(self) -> list[str]:
        return sorted(self._types)

    def read(self, store: SparqlStore, classes: Iterable[str], properties: Iterable[str]) -> None:
        """Read the types of every instance of `classes`, then each property of those instances."""
        wanted = set(classes)
        # One object per distinct text while reading: a subject or a date is held once however often it occurs.
        canonical: dict[str, str] = {}

        def text(value: str) -> str:
            return canonical.setdefault(value, value)

        shared: dict[frozenset[str], frozenset[URIRef]] = {}
        types: dict[str, set[str]] = {}
        for subject, cls in _pairs(store, f"SELECT ?s ?t WHERE {{ ?s <{RDF.type}> ?t }}"):
            types.setdefault(subject, set()).add(cls)
        for subject, found in types.items():
            if wanted.isdisjoint(found):
                continue
            kinds = frozenset(found)
            if kinds not in shared:
                shared[kinds] = frozenset(URIRef(t) for t in found)
            self._types[text(subject)] = shared[kinds]
        del types
        for prop in dict.fromkeys(properties):
            values: dict[str, str | list[str]] = {}
            for subject, value in _pairs(store, f"SELECT ?s ?o WHERE {{ ?s <{prop}> ?o }}"):
                if subject not in self._types:
                    continue
                subject, value = text(subject), text(value)
                before = values.get(subject)
                if before is None:
                    values[subject] = value
                elif isinstance(before, str):
                    values[subject] = [before, value]
                else:
                    before.append(value)
            self._values[prop] = values


def fetch_facts(store: SparqlStore, classes: Iterable[URIRef | str], properties: Iterable[URIRef | str]) -> Facts:
    """The types and the given properties of every instance of the given classes, read over all graphs."""
    facts = Facts()
    facts.read(store, (str(c) for c in classes), (str(p) for p in properties))
    return facts


@dataclass
class Context:
    """What reading the facts needs: the ontology and the confidence notations, with class look-ups remembered."""

    ontology: Ontology
    facts: Facts
    confidence_notations: dict[str, str]

    def __post_init__(self) -> None:
        self._classes: dict[frozenset[URIRef], str] = {}
        self._info: dict[str, ClassInfo] = {}

    def label(self, iri: str) -> str:
        label = self.facts.first(iri, LABEL)
        if label:
            return label
        role = self.facts.first(iri, ROLE)
        if role:
            return role
        cls = self.most_specific(iri)
        return f"{self.class_info(cls).label} {short_id(iri)}" if cls else short_id(iri)

    def most_specific(self, iri: str) -> str:
        types = self.facts.types(iri)
        if types not in self._classes:
            cls = self.ontology.most_specific(set(types))
            self._classes[types] = str(cls) if cls is not None else ""
        return self._classes[types]

    def class_info(self, cls: str) -> ClassInfo:
        """The display hints of a class (also of "", the class of nothing known), looked up once per class."""
        if cls not in self._info:
            self._info[cls] = self.ontology.class_info(URIRef(cls))
        return self._info[cls]

    def confidence(self, iri: str) -> str:
        concept = self.facts.first(iri, CONFIDENCE)
        if concept:
            return self.confidence_notations.get(concept, local_name(concept))
        return "verified" if self.facts.all(iri, SOURCE) else "unverified"

    def source(self, doc: str) -> tuple[str, str, str, str]:
        """A source document as (url, title, publisher, published)."""
        facts = self.facts
        return (
            facts.first(doc, URL) or doc,
            facts.first(doc, TITLE),
            facts.first(doc, PUBLISHER),
            facts.first(doc, PUBLISHED),
        )

    def node_date(self, iri: str) -> str:
        return earliest(v for p in NODE_DATE_PROPERTIES for v in self.facts.all(iri, p))
