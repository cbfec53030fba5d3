"""Phase two of a build: turn typed records into triples, as their field annotations declare.

Triples are made as Oxigraph terms directly: at a million triples, going through rdflib would cost more than
everything else in the build.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import pyoxigraph as ox
from pydantic import BaseModel
from rdflib import URIRef
from rdflib.namespace import RDF, SKOS, XSD

from graph.dataset import Dataset
from graph.ontology import Ontology
from graph.records import CLAIM_PROPERTIES, AnyRecord, Claim, Identifiers, Jurisdiction, Maps, Organisation, field_maps
from graph.vocab import ID, TC, WD

LANG = "en"
Term = ox.NamedNode | ox.Literal


@cache
def node(iri: str) -> ox.NamedNode:
    """An Oxigraph IRI term, made once per IRI (properties, classes and concepts repeat a lot)."""
    return ox.NamedNode(iri)


DATE_TYPES = {4: node(str(XSD.gYear)), 7: node(str(XSD.gYearMonth)), 10: node(str(XSD.date))}
DECIMAL = node(str(XSD.decimal))
ANY_URI = node(str(XSD.anyURI))
RDF_TYPE = node(str(RDF.type))


def date_literal(value: str) -> ox.Literal:
    """A partial date as a literal of the precision it was written in."""
    return ox.Literal(value, datatype=DATE_TYPES[len(value)])


def _decimal_literal(value: Any) -> ox.Literal:
    text = format(Decimal(str(value)).normalize(), "f")
    return ox.Literal(text, datatype=DECIMAL)


def value_term(maps: Maps, value: Any, ontology: Ontology) -> Term:
    """The RDF term of one field value."""
    match maps.kind:
        case "ref":
            return ox.NamedNode(f"{ID}{value}")
        case "concept":
            concept = ontology.concept(maps.scheme, value)
            assert concept is not None, (maps.scheme, value)  # checked while reading the dataset
            return node(str(concept))
        case "date":
            return date_literal(value)
        case "bool":
            return ox.Literal(bool(value))
        case "decimal":
            return _decimal_literal(value)
        case "uri":
            return ox.Literal(value, datatype=ANY_URI)
        case "code":
            return ox.Literal(str(value))
        case _:
            return ox.Literal(str(value), language=LANG)


def _rdf_classes(record: AnyRecord, ontology: Ontology) -> list[URIRef]:
    cls = record.rdf_class
    if isinstance(record, Organisation):
        cls = ontology.subclasses_by_key(TC.Organisation)[record.kind]
    elif isinstance(record, Jurisdiction):
        cls = ontology.subclasses_by_key(TC.Jurisdiction)[record.kind]
    return ontology.tc_superclasses(cls)


def _fields(subject: ox.NamedNode, model: BaseModel, ontology: Ontology, out: list[ox.Triple]) -> None:
    for name, maps in field_maps(type(model)).items():
        value = getattr(model, name)
        if value is None:
            continue
        prop = node(str(maps.prop))
        for item in value if isinstance(value, list) else [value]:
            out.append(ox.Triple(subject, prop, value_term(maps, item, ontology)))


def record_triples(record: AnyRecord, ontology: Ontology) -> list[ox.Triple]:
    """Every triple one record yields."""
    subject = ox.NamedNode(f"{ID}{record.id}")
    out = [ox.Triple(subject, RDF_TYPE, node(str(cls))) for cls in _rdf_classes(record, ontology)]
    _fields(subject, record, ontology, out)
    short_name = getattr(record, "short_name", None)
    if short_name:
        out.append(ox.Triple(subject, node(str(SKOS.altLabel)), ox.Literal(short_name, language=LANG)))
    identifiers = getattr(record, "identifiers", None)
    if isinstance(identifiers, Identifiers):
        _fields(subject, identifiers, ontology, out)
        if identifiers.wikidata:
            out.append(ox.Triple(subject, node(str(SKOS.exactMatch)), ox.NamedNode(f"{WD}{identifiers.wikidata}")))
    if isinstance(record, Claim):
        prop, kind = CLAIM_PROPERTIES[record.property]
        out.append(ox.Triple(subject, node(str(TC.claimProperty)), node(str(prop))))
        out.append(ox.Triple(subject, node(str(TC.claimValue)), value_term(Maps(prop, kind), record.value, ontology)))
    return out


def build_curated_triples(dataset: Dataset, ontology: Ontology) -> list[ox.Triple]:
    """The curated records as triples (without the ontology)."""
    out: list[ox.Triple] = []
    for loc in dataset.records.values():
        out.extend(record_triples(loc.record, ontology))
    return out
