"""The namespaces of the project, bound once; Python never spells a TechCurbs IRI by hand."""

from __future__ import annotations

from pathlib import Path

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_STORE = PROJECT_ROOT / "var" / "store"

ONTOLOGY_IRI = URIRef("https://w3id.org/techcurbs/ontology")
TC = Namespace("https://w3id.org/techcurbs/ontology#")
TCC = Namespace("https://w3id.org/techcurbs/concept/")
ID = Namespace("https://w3id.org/techcurbs/id/")
GRAPHS = Namespace("https://w3id.org/techcurbs/graph/")
TCF = Namespace("https://w3id.org/techcurbs/function#")
SCHEMA = Namespace("https://schema.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "tc": str(TC),
    "tcc": str(TCC),
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "wd": str(WD),
}


def entity_iri(record_id: str) -> URIRef:
    """The IRI of a curated record."""
    return ID[record_id]


def record_id(iri: str) -> str | None:
    """The record id of a curated IRI, or None for any other IRI."""
    base = str(ID)
    return iri[len(base) :] if iri.startswith(base) else None


def sparql_prologue() -> str:
    """PREFIX lines for every namespace above, for queries written in this project."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
