"""Every curated fact is traceable through SPARQL to its source documents."""

from __future__ import annotations

import pyoxigraph as ox

from graph.query import select_table


def test_the_source_url_of_the_canadian_order_is_one_query_away(curated_store: ox.Store) -> None:
    table = select_table(
        curated_store,
        """SELECT DISTINCT ?url ?publisher WHERE {
             ?order tc:actionType tcc:action-type-wind-up-order ;
                    tc:jurisdiction/tc:isoCode "CA" ;
                    tc:target/rdfs:label ?target ;
                    tc:source ?source .
             FILTER(CONTAINS(?target, "Hikvision"))
             ?source tc:url ?url ; tc:publisher ?publisher .
           }""",
    )
    urls = [row[0] for row in table.rows]
    assert "https://decisions.fct-cf.gc.ca/fc-cf/decisions/en/item/528994/index.do" in urls
    assert all(row[1] for row in table.rows)


def test_every_record_has_a_source_or_is_flagged_unverified(curated_store: ox.Store) -> None:
    table = select_table(
        curated_store,
        """SELECT ?record WHERE {
             ?record a tc:Entity .
             FILTER NOT EXISTS { ?record tc:source ?s }
             FILTER NOT EXISTS { ?record tc:confidence tcc:confidence-unverified }
           }""",
    )
    assert table.rows == []


def test_every_source_has_url_title_and_publisher(curated_store: ox.Store) -> None:
    table = select_table(
        curated_store,
        """SELECT ?source WHERE {
             ?source a tc:SourceDocument .
             FILTER NOT EXISTS { ?source tc:url ?u ; tc:title ?t ; tc:publisher ?p }
           }""",
    )
    assert table.rows == []


def test_partial_dates_keep_their_precision(curated_store: ox.Store) -> None:
    table = select_table(
        curated_store,
        """SELECT DISTINCT (DATATYPE(?d) AS ?type) WHERE { ?s tc:date|tc:announcedDate|tc:startDate ?d }""",
    )
    kinds = {row[0].rsplit("#", 1)[-1] for row in table.rows}
    assert "date" in kinds
    assert kinds <= {"date", "gYearMonth", "gYear"}
    assert kinds & {"gYearMonth", "gYear"}, "some facts are known only to the month or year"


def test_disagreements_are_separate_sourced_claims(curated_store: ox.Store) -> None:
    table = select_table(
        curated_store,
        """SELECT ?subject ?property (COUNT(DISTINCT ?value) AS ?values) WHERE {
             ?claim a tc:Claim ; tc:claimSubject ?subject ; tc:claimProperty ?property ; tc:claimValue ?value .
           } GROUP BY ?subject ?property""",
    )
    assert table.rows, "the curated data records disagreements as claims"
