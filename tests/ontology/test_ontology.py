"""Gates on the ontology files: they parse, every term is documented, every class has a shape, nothing undeclared is used."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from graph.ontology import load_ontology, load_shapes
from graph.vocab import ONTOLOGY_DIR, ONTOLOGY_IRI, PROJECT_ROOT, TC, TCC

ONTOLOGY = load_ontology()
DECLARED = ONTOLOGY.declared_terms()


@pytest.mark.parametrize("path", sorted(ONTOLOGY_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_every_ontology_file_parses_with_both_parsers(path: Path) -> None:
    assert len(Graph().parse(path, format="turtle")) > 0
    assert len(list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))) > 0


@pytest.mark.parametrize("term", sorted(DECLARED), ids=str)
def test_every_term_has_label_definition_and_is_defined_by(term: URIRef) -> None:
    graph = ONTOLOGY.graph
    labels = [label for label in graph.objects(term, RDFS.label) if getattr(label, "language", None) == "en"]
    assert labels, f"{term} has no English rdfs:label"
    assert graph.value(term, SKOS.definition) is not None, f"{term} has no skos:definition"
    if term != ONTOLOGY_IRI:
        assert graph.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI, f"{term} lacks rdfs:isDefinedBy"


def test_every_class_has_exactly_one_named_node_shape() -> None:
    shapes = load_shapes()
    classes = {c for c in ONTOLOGY.graph.subjects(RDF.type, OWL.Class) if str(c).startswith(str(TC))}
    targeted = [t for t in shapes.objects(None, SH.targetClass)]
    for cls in classes:
        assert targeted.count(cls) == 1, f"{cls} should have exactly one shape"
        shape = shapes.value(None, SH.targetClass, cls)
        assert isinstance(shape, URIRef), f"the shape of {cls} is not named"


def test_every_concept_belongs_to_a_scheme_with_a_unique_notation() -> None:
    graph = ONTOLOGY.graph
    for concept in graph.subjects(RDF.type, SKOS.Concept):
        scheme = graph.value(concept, SKOS.inScheme)
        assert scheme is not None and (scheme, RDF.type, SKOS.ConceptScheme) in graph, concept
        assert str(concept).startswith(str(TCC))
    for scheme, notations in ONTOLOGY.concepts.items():
        assert len(notations) == len(set(notations)), scheme


def test_no_undeclared_term_is_used_in_code() -> None:
    pattern = re.compile(r"\bTC(?:C)?\.([A-Za-z][A-Za-z0-9_-]*)|\bTC\[\"([^\"]+)\"\]")
    used: set[URIRef] = set()
    for folder in ("graph", "api"):
        for source in (PROJECT_ROOT / folder).rglob("*.py"):
            for match in pattern.finditer(source.read_text(encoding="utf-8")):
                name = match.group(1) or match.group(2)
                namespace = TCC if match.group(0).startswith("TCC") else TC
                used.add(URIRef(f"{namespace}{name}"))
    undeclared = sorted(str(term) for term in used if term not in DECLARED)
    assert not undeclared, f"used in code but not declared in the ontology: {undeclared}"


def test_no_undeclared_term_is_used_in_the_built_data(curated_store: ox.Store) -> None:
    rows = curated_store.query(
        """SELECT DISTINCT ?term WHERE {
             { ?s ?term ?o } UNION { ?s a ?term } UNION { ?s ?p ?term . FILTER(isIRI(?term)) }
             FILTER(STRSTARTS(STR(?term), "https://w3id.org/techcurbs/ontology#")
                 || STRSTARTS(STR(?term), "https://w3id.org/techcurbs/concept/"))
           }"""
    )
    used = {URIRef(row["term"].value) for row in rows}
    assert used, "the curated graph uses no TechCurbs term at all"
    undeclared = sorted(str(term) for term in used if term not in DECLARED)
    assert not undeclared, f"used in data but not declared in the ontology: {undeclared}"
