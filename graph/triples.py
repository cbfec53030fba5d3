"""Phase two of a build: turn typed records into triples, as their field annotations declare."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from graph.dataset import Dataset
from graph.ontology import Ontology
from graph.records import (
    CLAIM_PROPERTIES,
    AnyRecord,
    Claim,
    Identifiers,
    Jurisdiction,
    Maps,
    Organisation,
    field_maps,
)
from graph.vocab import TC, WD, entity_iri

LANG = "en"


def date_literal(value: str) -> Literal:
    """A partial date as a literal of the precision it was written in."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


def _decimal_literal(value: Any) -> Literal:
    text = format(Decimal(str(value)).normalize(), "f")
    return Literal(text, datatype=XSD.decimal)


def value_term(maps: Maps, value: Any, ontology: Ontology) -> URIRef | Literal:
    """The RDF term of one field value."""
    match maps.kind:
        case "ref":
            return entity_iri(value)
        case "concept":
            concept = ontology.concept(maps.scheme, value)
            assert concept is not None, (maps.scheme, value)  # checked while reading the dataset
            return concept
        case "date":
            return date_literal(value)
        case "bool":
            return Literal(bool(value))
        case "decimal":
            return _decimal_literal(value)
        case "uri":
            return Literal(value, datatype=XSD.anyURI)
        case "code":
            return Literal(str(value))
        case _:
            return Literal(str(value), lang=LANG)


def _rdf_classes(record: AnyRecord, ontology: Ontology) -> list[URIRef]:
    cls = record.rdf_class
    if isinstance(record, Organisation):
        cls = ontology.subclasses_by_key(TC.Organisation)[record.kind]
    elif isinstance(record, Jurisdiction):
        cls = ontology.subclasses_by_key(TC.Jurisdiction)[record.kind]
    return ontology.tc_superclasses(cls)


def _add_fields(graph: Graph, subject: URIRef, model: Any, ontology: Ontology) -> None:
    for name, maps in field_maps(type(model)).items():
        value = getattr(model, name)
        if value is None:
            continue
        for item in value if isinstance(value, list) else [value]:
            graph.add((subject, maps.prop, value_term(maps, item, ontology)))


def _add_record(graph: Graph, record: AnyRecord, ontology: Ontology) -> None:
    subject = entity_iri(record.id)
    for cls in _rdf_classes(record, ontology):
        graph.add((subject, RDF.type, cls))
    _add_fields(graph, subject, record, ontology)
    short_name = getattr(record, "short_name", None)
    if short_name:
        graph.add((subject, SKOS.altLabel, Literal(short_name, lang=LANG)))
    identifiers = getattr(record, "identifiers", None)
    if isinstance(identifiers, Identifiers):
        _add_fields(graph, subject, identifiers, ontology)
        if identifiers.wikidata:
            graph.add((subject, SKOS.exactMatch, WD[identifiers.wikidata]))
    if isinstance(record, Claim):
        prop, kind = CLAIM_PROPERTIES[record.property]
        graph.add((subject, TC.claimProperty, prop))
        graph.add((subject, TC.claimValue, value_term(Maps(prop, kind), record.value, ontology)))


def build_curated_graph(dataset: Dataset, ontology: Ontology) -> Graph:
    """The curated records as one RDF graph (without the ontology)."""
    graph = Graph()
    for loc in dataset.records.values():
        _add_record(graph, loc.record, ontology)
    return graph
