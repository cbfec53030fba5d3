"""The endpoint's Service Description and the dataset's VoID description, derived from the store and ontology."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID, XSD

from api.sparql.functions import MATCHES
from api.sparql.negotiation import ALL, GRAPH_SERIALISATIONS
from graph.ontology import Ontology
from graph.store import BuildInfo
from graph.vocab import FORMATS, ONTOLOGY_IRI, PREFIXES, SD, TCF

if TYPE_CHECKING:
    from graph.backend import Backend

# W3C namespaces rdflib does not bind; they describe services and formats, not TechCurbs terms.
FORMAT_IRIS = {
    "json": FORMATS.SPARQL_Results_JSON,
    "xml": FORMATS.SPARQL_Results_XML,
    "csv": FORMATS.SPARQL_Results_CSV,
    "tsv": FORMATS.SPARQL_Results_TSV,
    "ttl": FORMATS.Turtle,
    "nt": FORMATS["N-Triples"],
    "jsonld": FORMATS["JSON-LD"],
    "rdfxml": FORMATS.RDF_XML,
}
DOWNLOADS = {
    "nq": "application/n-quads",
    "trig": "application/trig",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
}
DESCRIPTION_SERIALISATIONS = {s.media_type: s.name for s in GRAPH_SERIALISATIONS}
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@dataclass(frozen=True)
class Statistics:
    """Counts VoID reports, computed once per build."""

    default_triples: int
    graph_triples: dict[str, int]
    classes: dict[str, int]
    properties: dict[str, int]
    subjects: int
    objects: int


def _count_rows(store: Backend, query: str, union: bool = False) -> list[tuple[str, int]]:
    result = store.query(query, use_default_graph_as_union=union)
    assert isinstance(result, ox.QuerySolutions)
    rows = []
    for solution in result:
        key, count = solution[0], solution[1]
        assert isinstance(count, ox.Literal)
        rows.append((key.value if key is not None else "", int(count.value)))
    return rows


def statistics(store: Backend) -> Statistics:
    """Triples per graph, entities per class, triples per property, distinct subjects and objects."""
    default = _count_rows(store, "SELECT ('' AS ?k) (COUNT(*) AS ?n) { ?s ?p ?o }")
    graphs = _count_rows(store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    classes = _count_rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c ORDER BY ?c", union=True)
    properties = _count_rows(store, "SELECT ?p (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?p ORDER BY ?p", union=True)
    subjects = _count_rows(store, "SELECT ('' AS ?k) (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }", union=True)
    objects = _count_rows(store, "SELECT ('' AS ?k) (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }", union=True)
    return Statistics(
        default_triples=default[0][1],
        graph_triples=dict(graphs),
        classes=dict(classes),
        properties=dict(properties),
        subjects=subjects[0][1],
        objects=objects[0][1],
    )


def _bind(graph: Graph) -> Graph:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    graph.bind("sd", SD)
    graph.bind("tcf", TCF)
    graph.bind("void", VOID)
    graph.bind("formats", FORMATS)
    return graph


def _dataset(graph: Graph, dataset: URIRef | BNode, stats: Statistics, build: BuildInfo) -> None:
    graph.add((dataset, VOID.triples, Literal(build.quads)))
    graph.add((dataset, VOID.classes, Literal(len(stats.classes))))
    graph.add((dataset, VOID.properties, Literal(len(stats.properties))))
    graph.add((dataset, VOID.distinctSubjects, Literal(stats.subjects)))
    graph.add((dataset, VOID.distinctObjects, Literal(stats.objects)))


def void_description(base: str, build: BuildInfo, stats: Statistics, ontology: Ontology) -> Graph:
    """VoID for the whole dataset: sizes, class and property partitions, named graphs, licence, endpoint, dumps."""
    graph = _bind(Graph())
    dataset = URIRef(f"{base}/.well-known/void#dataset")
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("TechCurbs", lang="en")))
    description = ontology.definition(ONTOLOGY_IRI)
    if description:
        graph.add((dataset, DCTERMS.description, Literal(description, lang="en")))
    licence = ontology.graph.value(ONTOLOGY_IRI, DCTERMS.license)
    if licence is not None:
        graph.add((dataset, DCTERMS.license, licence))
    graph.add((dataset, DCTERMS.identifier, Literal(build.digest)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
    graph.add((dataset, VOID.vocabulary, ONTOLOGY_IRI))
    graph.add((dataset, VOID.uriSpace, Literal(PREFIXES["id"])))
    for ext in DOWNLOADS:
        graph.add((dataset, VOID.dataDump, URIRef(f"{base}/download/techcurbs.{ext}")))
    _dataset(graph, dataset, stats, build)
    for cls, count in stats.classes.items():
        partition = BNode()
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], URIRef(cls)))
        graph.add((partition, VOID.entities, Literal(count)))
    for prop, count in stats.properties.items():
        partition = BNode()
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, URIRef(prop)))
        graph.add((partition, VOID.triples, Literal(count)))
    for name, count in stats.graph_triples.items():
        subset = URIRef(name)
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, Literal(count)))
        graph.add((subset, VOID.sparqlEndpoint, URIRef(f"{base}/sparql")))
    return graph


def service_description(
    endpoint: str, build: BuildInfo, stats: Statistics, allowlist: tuple[str, ...], ontology: Ontology
) -> Graph:
    """SPARQL 1.1 Service Description of the endpoint at `endpoint` (the URL it was fetched from)."""
    graph = _bind(Graph())
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for serialisation in ALL:
        graph.add((service, SD.resultFormat, FORMAT_IRIS[serialisation.name]))
    if allowlist:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    function = URIRef(str(MATCHES))
    graph.add((service, SD.extensionFunction, function))
    graph.add((function, RDF.type, SD.Function))
    graph.add((function, RDFS.label, Literal("label match score", lang="en")))
    graph.add(
        (
            function,
            RDFS.comment,
            Literal(
                'tcf:matches(?text, "query") returns an xsd:double from 0 (no match) to 1 (same text), ignoring '
                "case and accents; usable in FILTER and ORDER BY.",
                lang="en",
            ),
        )
    )
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, RDF.type, VOID.Dataset))
    _dataset(graph, dataset, stats, build)
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(stats.default_triples)))
    for name, count in stats.graph_triples.items():
        named, inner = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(count, datatype=XSD.integer)))
    licence = ontology.graph.value(ONTOLOGY_IRI, DCTERMS.license)
    if licence is not None:
        graph.add((dataset, DCTERMS.license, licence))
    return graph


def serialise_description(graph: Graph, name: str) -> bytes:
    """A description graph in Turtle, N-Triples, JSON-LD or RDF/XML."""
    data = graph.serialize(format=RDFLIB_FORMATS[name], encoding="utf-8")
    assert isinstance(data, bytes)
    return data
