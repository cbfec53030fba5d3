"""The query mix: what the explorer and its users ask, as SPARQL every server answers, on synthetic data.

The example queries of `api/queries` are used as written where they apply to synthetic data, with the record
ids they name replaced by synthetic ones; `tc:matches` (this project's own function) becomes the standard
`CONTAINS` so that every server can run it. The entity page sends the very queries `graph/entity.py` runs.
Every query carries the PREFIX lines, so no server relies on predeclared prefixes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.entity import CLAIM_NOTES, CLAIMS, STATEMENTS
from graph.vocab import entity_iri, sparql_prologue

QUERIES_DIR = Path(__file__).resolve().parent.parent / "api" / "queries"
# Records every synthetic data set has, whatever its size (see benchmarks.generate).
COMPANY = "co-1"
DEEP_COMPANY = "co-{deep}"
ACTION = "action-1"
SEARCH_TEXT = "kalo"


@dataclass(frozen=True)
class Query:
    """One query of the mix: a name for the tables, what it stands for, and its text."""

    name: str
    stands_for: str
    text: str


def _example(name: str) -> str:
    lines = (QUERIES_DIR / name).read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("#"))


def query_mix(companies: int) -> list[Query]:
    """The mix for a data set of `companies` synthetic companies (the last ones sit deepest in ownership trees)."""
    deep = entity_iri(DEEP_COMPANY.format(deep=max(1, companies - 1)))
    company = entity_iri(COMPANY)
    action = entity_iri(ACTION)
    plain = [
        Query("ex-actions", "api/queries/01-actions.rq as written", _example("01-actions.rq")),
        Query(
            "ex-search",
            "api/queries/02-search.rq with CONTAINS for tc:matches",
            f"""SELECT ?thing ?label WHERE {{
  ?thing rdfs:label ?label .
  FILTER(CONTAINS(LCASE(?label), "{SEARCH_TEXT}"))
}} ORDER BY ?label LIMIT 50""",
        ),
        Query(
            "ex-sources",
            f"api/queries/03-sources.rq for {ACTION}",
            _example("03-sources.rq").replace("id:ca-2025-hikvision-wind-up", f"<{action}>"),
        ),
        Query("ex-owners", "api/queries/04-owners.rq as written", _example("04-owners.rq")),
        Query("ex-classes", "api/queries/05-classes.rq as written", _example("05-classes.rq")),
        Query("ex-unverified", "api/queries/06-unverified.rq as written", _example("06-unverified.rq")),
        Query(
            "ex-describe",
            f"api/queries/07-describe.rq (CONSTRUCT) for {COMPANY}",
            _example("07-describe.rq").replace("id:hikvision", f"<{company}>"),
        ),
        Query("entity-statements", "graph/entity.py STATEMENTS", STATEMENTS.format(iri=company)),
        Query("entity-claims", "graph/entity.py CLAIMS", CLAIMS.format(subjects=f"<{company}>")),
        Query("entity-claim-notes", "graph/entity.py CLAIM_NOTES", CLAIM_NOTES.format(subjects=f"<{company}>")),
        Query(
            "ego-network",
            f"one-hop neighbours of {COMPANY}, both ways, through relation records, with labels",
            f"""SELECT ?p ?other ?label WHERE {{
  {{ <{company}> ?p ?other . FILTER(isIRI(?other)) }}
  UNION {{ ?other ?p <{company}> }}
  UNION {{ ?r tc:owned <{company}> ; tc:owner ?other . BIND(tc:owner AS ?p) }}
  UNION {{ ?r tc:owner <{company}> ; tc:owned ?other . BIND(tc:owned AS ?p) }}
  UNION {{ ?other tc:target <{company}> . BIND(tc:target AS ?p) }}
  OPTIONAL {{ ?other rdfs:label ?label }}
}}""",
        ),
        Query(
            "path",
            f"is {DEEP_COMPANY.format(deep='N-1')} controlled, at any depth, by {COMPANY}? (ASK, property path)",
            f"ASK {{ <{deep}> (^tc:owned/tc:owner)+ <{company}> }}",
        ),
        Query(
            "type-ahead",
            "names starting with what was typed, ten best",
            f"""SELECT ?thing ?label WHERE {{
  {{ ?thing rdfs:label ?label }} UNION {{ ?thing skos:altLabel ?label }}
  FILTER(STRSTARTS(LCASE(?label), "{SEARCH_TEXT}"))
}} ORDER BY STRLEN(?label) ?label LIMIT 10""",
        ),
        Query(
            "by-jurisdiction",
            "regulatory actions per jurisdiction (aggregate)",
            """SELECT ?jurisdiction ?name (COUNT(?action) AS ?actions) WHERE {
  ?action a tc:RegulatoryAction ; tc:jurisdiction ?jurisdiction .
  ?jurisdiction rdfs:label ?name .
} GROUP BY ?jurisdiction ?name ORDER BY DESC(?actions) ?name""",
        ),
        Query(
            "ownership-chain",
            f"every owner above {DEEP_COMPANY.format(deep='N-1')} (property path over tc:owned/tc:owner)",
            f"""SELECT ?owner ?label WHERE {{
  <{deep}> (^tc:owned/tc:owner)+ ?owner .
  OPTIONAL {{ ?owner rdfs:label ?label }}
}}""",
        ),
    ]
    prologue = sparql_prologue()
    return [Query(q.name, q.stands_for, prologue + q.text) for q in plain]


def explorer_paths(companies: int) -> list[tuple[str, str]]:
    """This project's own JSON views for the same questions (no other server has them): name and path."""
    deep = DEEP_COMPANY.format(deep=max(1, companies - 1))
    return [
        ("api-entity", f"/api/entity/{COMPANY}"),
        ("api-network", f"/api/network?entity={COMPANY}&depth=1"),
        ("api-paths", f"/api/paths?from={deep}&to={COMPANY}"),
        ("api-search", f"/api/search?q={SEARCH_TEXT}"),
    ]


# The explorer pages a server's first readers open: the home page, then an entity page.
START_PAGES = ("/", f"/entity/{COMPANY}")


def popular_pages(companies: int) -> list[str]:
    """Pages people open again and again, for the repeated explorer workload (this project only)."""
    return [
        "/",
        f"/entity/{COMPANY}",
        f"/entity/{ACTION}",
        f"/network?entity={COMPANY}&depth=1",
        f"/api/search?q={SEARCH_TEXT}",
    ]
