"""Every SHACL shape has a conforming and a violating example, and the test checks which constraint fired."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

from graph.ontology import load_ontology, load_shapes
from graph.shacl import shacl_violations
from graph.vocab import ID, TC

PREFIXES = """
@prefix tc: <https://w3id.org/techcurbs/ontology#> .
@prefix tcc: <https://w3id.org/techcurbs/concept/> .
@prefix id: <https://w3id.org/techcurbs/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

SOURCED = "tc:source id:src ; tc:confidence tcc:confidence-verified"

# One conforming instance of every class.
CONFORMING = (
    PREFIXES
    + f"""
id:src a tc:SourceDocument ; tc:url "https://example.org/a"^^xsd:anyURI ; tc:title "A title"@en ; tc:publisher "P" .
id:ca a tc:State, tc:Jurisdiction, tc:Entity ; rdfs:label "Canada"@en ; tc:isoCode "CA" ; {SOURCED} .
id:qc a tc:SubnationalJurisdiction, tc:Jurisdiction, tc:Entity ; rdfs:label "Quebec"@en ;
    tc:partOfJurisdiction id:ca ; {SOURCED} .
id:eu a tc:SupranationalJurisdiction, tc:Jurisdiction, tc:Entity ; rdfs:label "European Union"@en ; {SOURCED} .
id:co a tc:Company, tc:Organisation, tc:Entity ; rdfs:label "Company"@en ; tc:country id:ca ; {SOURCED} .
id:gov a tc:GovernmentBody, tc:Organisation, tc:Entity ; rdfs:label "Cabinet"@en ; tc:country id:ca ; {SOURCED} .
id:reg a tc:Regulator, tc:GovernmentBody, tc:Organisation, tc:Entity ; rdfs:label "Regulator"@en ;
    tc:country id:ca ; {SOURCED} .
id:court a tc:Court, tc:GovernmentBody, tc:Organisation, tc:Entity ; rdfs:label "Court"@en ; tc:country id:ca ;
    {SOURCED} .
id:leg a tc:Legislature, tc:GovernmentBody, tc:Organisation, tc:Entity ; rdfs:label "Parliament"@en ;
    tc:country id:ca ; {SOURCED} .
id:p a tc:Person, tc:Entity ; rdfs:label "A Minister"@en ; tc:country id:ca ; {SOURCED} .
id:tech a tc:Technology, tc:Entity ; rdfs:label "Chips"@en ; {SOURCED} .
id:post a tc:Post, tc:Entity ; tc:holder id:p ; tc:postIn id:gov ; tc:role "Minister"@en ;
    tc:startDate "2025"^^xsd:gYear ; {SOURCED} .
id:own a tc:Ownership, tc:Entity ; tc:owner id:gov ; tc:owned id:co ; tc:share 36.93 ; tc:controlling true ;
    {SOURCED} .
id:inst a tc:LegalInstrument, tc:Entity ; rdfs:label "An Act"@en ; tc:instrumentType tcc:instrument-type-statute ;
    tc:jurisdiction id:ca ; {SOURCED} .
id:act a tc:RegulatoryAction, tc:Entity ; rdfs:label "Order"@en ; tc:actionType tcc:action-type-wind-up-order ;
    tc:issuer id:gov ; tc:jurisdiction id:ca ; tc:target id:co ; tc:status tcc:status-in-force ;
    tc:announcedDate "2025-06-27"^^xsd:date ; tc:instrument id:inst ; tc:announcedBy id:p ; {SOURCED} .
id:case a tc:LegalCase, tc:Entity ; rdfs:label "Co v. Canada"@en ; tc:court id:court ; tc:challenges id:act ;
    {SOURCED} .
id:ev a tc:Event, tc:Entity ; rdfs:label "Statement"@en ; tc:eventType tcc:event-type-statement ;
    tc:date "2025-06"^^xsd:gYearMonth ; tc:place id:ca ; tc:inCase id:case ; {SOURCED} .
id:claim a tc:Claim, tc:Entity ; tc:claimSubject id:co ; tc:claimProperty tc:operatingSince ;
    tc:claimValue "2014"^^xsd:gYear ; {SOURCED} .
"""
)


def _graph(remove: str = "", add: str = "") -> Graph:
    graph = Graph().parse(data=CONFORMING, format="turtle")
    if remove:
        for triple in Graph().parse(data=PREFIXES + remove, format="turtle"):
            assert triple in graph, f"the example has no {triple}"
            graph.remove(triple)
    if add:
        graph.parse(data=PREFIXES + add, format="turtle")
    return graph


def test_the_conforming_example_conforms() -> None:
    assert shacl_violations(_graph(), load_ontology()) == []


# shape, triples removed, triples added, focus node, property path, constraint component expected to fire
CASES = [
    ("EntityShape", "id:co tc:source id:src .", "", "co", "", "OrConstraintComponent"),
    ("EntityShape", "", 'id:ev tc:endDate "soon" .', "ev", "endDate", "OrConstraintComponent"),
    (
        "EntityShape",
        "",
        "id:co tc:confidence tcc:status-in-force .",
        "co",
        "confidence",
        "MaxCountConstraintComponent",
    ),
    (
        "JurisdictionShape",
        'id:ca tc:isoCode "CA" .',
        'id:ca tc:isoCode "Canada" .',
        "ca",
        "isoCode",
        "PatternConstraintComponent",
    ),
    (
        "StateShape",
        "",
        "id:ca tc:partOfJurisdiction id:eu .",
        "ca",
        "partOfJurisdiction",
        "MaxCountConstraintComponent",
    ),
    (
        "SubnationalJurisdictionShape",
        "id:qc tc:partOfJurisdiction id:ca .",
        "",
        "qc",
        "partOfJurisdiction",
        "MinCountConstraintComponent",
    ),
    (
        "SupranationalJurisdictionShape",
        "",
        "id:eu tc:partOfJurisdiction id:ca .",
        "eu",
        "partOfJurisdiction",
        "MaxCountConstraintComponent",
    ),
    ("OrganisationShape", "id:co tc:country id:ca .", "", "co", "country", "MinCountConstraintComponent"),
    ("CompanyShape", "", 'id:co tc:lei "not-an-lei" .', "co", "lei", "PatternConstraintComponent"),
    (
        "GovernmentBodyShape",
        "",
        'id:gov tc:lei "5493001KJTIIGC8Y1R12" .',
        "gov",
        "lei",
        "MaxCountConstraintComponent",
    ),
    (
        "RegulatorShape",
        "id:reg tc:country id:ca .",
        "id:reg tc:country id:co .",
        "reg",
        "country",
        "ClassConstraintComponent",
    ),
    ("CourtShape", "", "id:court tc:stateOwned true .", "court", "stateOwned", "MaxCountConstraintComponent"),
    (
        "LegislatureShape",
        "",
        "id:leg tc:stateOwned true .",
        "leg",
        "stateOwned",
        "MaxCountConstraintComponent",
    ),
    ("PersonShape", 'id:p rdfs:label "A Minister"@en .', "", "p", "label", "MinCountConstraintComponent"),
    (
        "TechnologyShape",
        'id:tech rdfs:label "Chips"@en .',
        "",
        "tech",
        "label",
        "MinCountConstraintComponent",
    ),
    (
        "PostShape",
        'id:post tc:startDate "2025"^^xsd:gYear .',
        "",
        "post",
        "startDate",
        "MinCountConstraintComponent",
    ),
    (
        "OwnershipShape",
        "id:own tc:share 36.93 .",
        "id:own tc:share 136.0 .",
        "own",
        "share",
        "MaxInclusiveConstraintComponent",
    ),
    ("RegulatoryActionShape", "id:act tc:target id:co .", "", "act", "target", "MinCountConstraintComponent"),
    (
        "RegulatoryActionShape",
        "id:act tc:status tcc:status-in-force .",
        "id:act tc:status tcc:action-type-wind-up-order .",
        "act",
        "status",
        "NodeConstraintComponent",
    ),
    (
        "LegalInstrumentShape",
        "id:inst tc:instrumentType tcc:instrument-type-statute .",
        "",
        "inst",
        "instrumentType",
        "MinCountConstraintComponent",
    ),
    (
        "LegalCaseShape",
        "id:case tc:court id:court .",
        "id:case tc:court id:gov .",
        "case",
        "court",
        "ClassConstraintComponent",
    ),
    (
        "EventShape",
        'id:ev tc:date "2025-06"^^xsd:gYearMonth .',
        "",
        "ev",
        "date",
        "MinCountConstraintComponent",
    ),
    (
        "SourceDocumentShape",
        'id:src tc:publisher "P" .',
        "",
        "src",
        "publisher",
        "MinCountConstraintComponent",
    ),
    (
        "ClaimShape",
        'id:claim tc:claimValue "2014"^^xsd:gYear .',
        "",
        "claim",
        "claimValue",
        "MinCountConstraintComponent",
    ),
]


@pytest.mark.parametrize(("shape", "remove", "add", "focus", "path", "constraint"), CASES, ids=lambda v: str(v)[:40])
def test_violating_example_fires_the_expected_constraint(
    shape: str, remove: str, add: str, focus: str, path: str, constraint: str
) -> None:
    violations = shacl_violations(_graph(remove, add), load_ontology())
    fired = {(v.focus, v.path, v.constraint) for v in violations}
    expected_path = (
        "" if not path else str(TC[path]) if path != "label" else "http://www.w3.org/2000/01/rdf-schema#label"
    )
    assert (str(ID[focus]), expected_path, constraint) in fired, fired


def test_every_shape_has_a_violating_example() -> None:
    shapes = load_shapes()
    named = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(None, None) if isinstance(s, URIRef)}
    class_shapes = {name for name in named if not name.endswith("ConceptShape")}
    assert class_shapes <= {case[0] for case in CASES}


@pytest.mark.parametrize(("shape", "remove", "add", "focus", "path", "constraint"), CASES, ids=lambda v: str(v)[:40])
def test_pyshacl_and_the_fast_engine_agree(
    shape: str, remove: str, add: str, focus: str, path: str, constraint: str
) -> None:
    import pyshacl

    from graph.ontology import load_shapes as shapes

    data = _graph(remove, add) + load_ontology().graph
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes(), inference="none", advanced=True)
    assert not conforms
    reference = {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1])
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    fast = {(v.focus, v.constraint) for v in shacl_violations(_graph(remove, add), load_ontology())}
    assert fast == reference
