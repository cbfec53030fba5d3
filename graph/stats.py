"""Coverage figures of the built graph: counts per class, per jurisdiction, per source, and what is unverified."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.query import select_table

if TYPE_CHECKING:
    from graph.backend import Backend

CLASS_COUNTS = """
SELECT ?label (COUNT(DISTINCT ?s) AS ?records) WHERE {
  ?s a ?class . ?class a owl:Class ; rdfs:isDefinedBy <https://w3id.org/techcurbs/ontology> ; rdfs:label ?label .
} GROUP BY ?label ORDER BY DESC(?records) ?label
"""
ACTIONS_BY_JURISDICTION = """
SELECT ?jurisdiction (COUNT(DISTINCT ?a) AS ?actions) (COUNT(DISTINCT ?issuer) AS ?authorities) WHERE {
  ?a a tc:RegulatoryAction ; tc:jurisdiction/rdfs:label ?jurisdiction ; tc:issuer ?issuer .
} GROUP BY ?jurisdiction ORDER BY DESC(?actions) ?jurisdiction
"""
FACTS_PER_SOURCE = """
SELECT ?publisher ?title (COUNT(DISTINCT ?r) AS ?records) WHERE {
  ?r tc:source ?s . ?s tc:publisher ?publisher ; tc:title ?title .
} GROUP BY ?publisher ?title ORDER BY DESC(?records) ?publisher ?title
"""
UNVERIFIED = """
SELECT ?record ?label ?type WHERE {
  ?record tc:confidence tcc:confidence-unverified ; a ?cls .
  ?cls rdfs:label ?type .
  FILTER NOT EXISTS { ?record a ?sub . ?sub rdfs:subClassOf ?cls }
  OPTIONAL { ?record rdfs:label ?label }
} ORDER BY ?record
"""
COVERAGE = """
SELECT
  (COUNT(DISTINCT ?action) AS ?actions) (COUNT(DISTINCT ?authority) AS ?issuing_authorities)
  (COUNT(DISTINCT ?jur) AS ?issuing_jurisdictions)
WHERE { ?action a tc:RegulatoryAction ; tc:issuer ?authority ; tc:jurisdiction ?jur . }
"""
PEOPLE_WITH_POSTS = """
SELECT (COUNT(DISTINCT ?p) AS ?people_with_posts) WHERE { ?post a tc:Post ; tc:holder ?p . }
"""


@dataclass(frozen=True)
class Section:
    title: str
    variables: list[str]
    rows: list[list[str]]


def graph_stats(store: Backend) -> list[Section]:
    """Every figure `techcurbs stats` shows, section by section."""
    sections: list[Section] = []
    for title, sparql in (
        ("Coverage", COVERAGE),
        ("People with posts", PEOPLE_WITH_POSTS),
        ("Records per class", CLASS_COUNTS),
        ("Actions per issuing jurisdiction", ACTIONS_BY_JURISDICTION),
        ("Records per source", FACTS_PER_SOURCE),
        ("Unverified records", UNVERIFIED),
    ):
        table = select_table(store, sparql)
        sections.append(Section(title, table.variables, table.rows))
    return sections
