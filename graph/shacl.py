"""Phase three of a build: validate the curated graph against the SHACL shapes, located back to the YAML."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox
from pyshacl_turbo import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from graph.dataset import Dataset
from graph.errors import Problem
from graph.ontology import ONTOLOGY_FILES, Ontology, load_shapes
from graph.records import field_maps
from graph.vocab import record_id


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: the node, the property path, the constraint that fired and its message."""

    focus: str
    path: str
    constraint: str
    message: str


@cache
def _ontology_quads(directory: Path) -> tuple[ox.Quad, ...]:
    return tuple(
        quad for name in ONTOLOGY_FILES for quad in ox.parse(path=directory / name, format=ox.RdfFormat.TURTLE)
    )


def shacl_violations(data: Graph | Iterable[ox.Triple], ontology: Ontology) -> list[Violation]:
    """Validate triples, with the ontology beside them for classes and concepts; list every violation.

    The engine is pyshacl-turbo, pySHACL's API over a Rust core, reading an in-memory Oxigraph store: the curated
    graph validates in well under a second and a million triples in seconds, where pySHACL takes minutes. A test
    checks that both engines find the same violations.
    """
    if isinstance(data, Graph):
        serialised = data.serialize(format="nt", encoding="utf-8")
        assert isinstance(serialised, bytes)
        data = [q.triple for q in ox.parse(serialised, format=ox.RdfFormat.N_TRIPLES)]
    store = ox.Store()
    store.bulk_extend(_ontology_quads(ontology.directory))
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in data)
    conforms, report, _text = validate(
        store,
        shacl_graph=load_shapes(ontology.directory),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return []
    assert isinstance(report, Graph)
    found: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        constraint = report.value(result, SH.sourceConstraintComponent)
        message = report.value(result, SH.resultMessage)
        found.append(
            Violation(
                focus=str(focus),
                path=str(path) if isinstance(path, URIRef) else "",
                constraint=str(constraint).rsplit("#", 1)[-1],
                message=str(message) if isinstance(message, Literal) else "",
            )
        )
    return sorted(found)


def locate(violations: list[Violation], dataset: Dataset) -> list[Problem]:
    """Turn violations into problems with the file, line and YAML field of the record concerned."""
    problems: list[Problem] = []
    for violation in violations:
        rid = record_id(violation.focus)
        loc = dataset.records.get(rid) if rid else None
        if loc is None:
            problems.append(Problem("(graph)", 0, violation.path, f"{violation.focus}: {violation.message}"))
            continue
        field = next(
            (name for name, maps in field_maps(type(loc.record)).items() if str(maps.prop) == violation.path),
            "",
        )
        text = f"{violation.message} ({violation.constraint})"
        problems.append(Problem(loc.file, loc.field_line(field) if field else loc.line, field or "record", text))
    return problems
