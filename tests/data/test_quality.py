"""Quality gates on the curated data: what researchers and journalists will cite must be complete and sourced."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from graph.build import compile_data
from graph.query import select_table
from graph.vocab import DATA_DIR
from tests.conftest import SHARED

FACT_SHEET = SHARED / "facts" / "fact-sheet.md"


def _rows(store: ox.Store, sparql: str) -> list[list[str]]:
    return select_table(store, sparql).rows


def test_every_action_has_issuer_jurisdiction_target_date_and_source(curated_store: ox.Store) -> None:
    incomplete = _rows(
        curated_store,
        """SELECT ?a WHERE {
             ?a a tc:RegulatoryAction .
             FILTER (NOT EXISTS { ?a tc:issuer ?i } || NOT EXISTS { ?a tc:jurisdiction ?j }
                  || NOT EXISTS { ?a tc:target ?t } || NOT EXISTS { ?a tc:source ?s }
                  || NOT EXISTS { ?a tc:announcedDate|tc:publishedDate|tc:effectiveDate ?d })
           }""",
    )
    assert incomplete == []


def test_every_organisation_has_a_country_and_every_post_holder_organisation_and_start(
    curated_store: ox.Store,
) -> None:
    assert _rows(curated_store, "SELECT ?o WHERE { ?o a tc:Organisation FILTER NOT EXISTS { ?o tc:country ?c } }") == []
    assert (
        _rows(
            curated_store,
            """SELECT ?p WHERE { ?p a tc:Post
                 FILTER (NOT EXISTS { ?p tc:holder ?h } || NOT EXISTS { ?p tc:postIn ?o }
                      || NOT EXISTS { ?p tc:startDate ?s }) }""",
        )
        == []
    )


def test_no_two_entities_share_a_label(curated_store: ox.Store) -> None:
    shared = _rows(
        curated_store,
        """SELECT ?label (COUNT(DISTINCT ?e) AS ?n) WHERE {
             ?e a tc:Entity ; rdfs:label ?label .
           } GROUP BY ?label HAVING (COUNT(DISTINCT ?e) > 1)""",
    )
    assert shared == [], "give each a distinguishing name (country, year, official form)"


def test_coverage_reaches_the_figures_people_were_promised(curated_store: ox.Store) -> None:
    (row,) = _rows(
        curated_store,
        """SELECT
             (COUNT(DISTINCT ?action) AS ?actions) (COUNT(DISTINCT ?issuer) AS ?issuers)
           WHERE { ?action a tc:RegulatoryAction ; tc:issuer ?issuer }""",
    )
    actions, issuers = map(int, row)
    counts = {
        name: int(_rows(curated_store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")[0][0])
        for name, pattern in {
            "organisations": "?x a tc:Organisation",
            "people with posts": "?post a tc:Post ; tc:holder ?x",
            "events": "?x a tc:Event",
            "instruments and cases": "{ ?x a tc:LegalInstrument } UNION { ?x a tc:LegalCase }",
            "jurisdictions issuing": "?a a tc:RegulatoryAction ; tc:jurisdiction ?x",
        }.items()
    }
    assert actions >= 60
    assert max(issuers, counts["jurisdictions issuing"]) >= 10
    assert counts["organisations"] >= 45
    assert counts["people with posts"] >= 25
    assert counts["events"] >= 15
    assert counts["instruments and cases"] >= 20


def test_china_and_allies_measures_are_covered(curated_store: ox.Store) -> None:
    codes = {
        row[0]
        for row in _rows(
            curated_store, "SELECT DISTINCT ?code WHERE { ?a a tc:RegulatoryAction ; tc:jurisdiction/tc:isoCode ?code }"
        )
    }
    assert {"CN", "US", "CA", "NL", "JP"} <= codes


def test_identifiers_look_like_what_they_claim(curated_store: ox.Store) -> None:
    for (qid,) in _rows(curated_store, "SELECT ?q WHERE { ?e tc:wikidataId ?q }"):
        assert re.fullmatch(r"Q[1-9]\d*", qid)
    for (citation,) in _rows(curated_store, "SELECT ?c WHERE { ?e tc:federalRegisterCitation ?c }"):
        assert re.fullmatch(r"\d+ FR \d+", citation), citation


@pytest.mark.skipif(not FACT_SHEET.exists(), reason=f"the fact sheet is not at {FACT_SHEET}")
def test_every_fact_sheet_row_is_in_the_data() -> None:
    rows = set(re.findall(r"^\| ([AB]\d{2}) \|", FACT_SHEET.read_text(encoding="utf-8"), flags=re.M))
    assert len(rows) > 90
    covered = {
        row
        for loc in compile_data([DATA_DIR]).dataset.records.values()
        for row in getattr(loc.record, "fact_sheet", [])
    }
    assert sorted(rows - covered) == []


@pytest.mark.skipif(not FACT_SHEET.exists(), reason=f"the fact sheet is not at {FACT_SHEET}")
def test_rows_without_a_source_enter_only_as_unverified() -> None:
    text = FACT_SHEET.read_text(encoding="utf-8")
    needs_source = set(re.findall(r"^\| ([AB]\d{2}) \|.*\| needs source \|", text, flags=re.M))
    assert needs_source
    for loc in compile_data([DATA_DIR]).dataset.records.values():
        if set(getattr(loc.record, "fact_sheet", [])) & needs_source and not getattr(loc.record, "sources", []):
            assert getattr(loc.record, "confidence", "") == "unverified", loc.record.id
