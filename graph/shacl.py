"""Phase three of a build: validate the curated graph against the SHACL shapes, located back to the YAML."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from graph.dataset import Dataset
from graph.errors import Problem
from graph.ontology import Ontology, load_shapes
from graph.records import field_maps
from graph.vocab import record_id


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: the node, the property path, the constraint that fired and its message."""

    focus: str
    path: str
    constraint: str
    message: str


def shacl_violations(data: Graph, ontology: Ontology) -> list[Violation]:
    """Validate a data graph (with the ontology for classes and concepts) and list every violation."""
    merged = Graph()
    for triple in data:
        merged.add(triple)
    for triple in ontology.graph:
        merged.add(triple)
    conforms, report, _text = validate(
        merged,
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
