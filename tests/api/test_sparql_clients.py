"""Researchers' own tools against the live endpoint: SPARQLWrapper in every return format, rdflib's SPARQLStore."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from graph.query import select_table
from graph.vocab import sparql_prologue
from tests.conftest import LiveServer

SELECT = sparql_prologue() + "SELECT ?s ?label WHERE { ?s a tc:State ; rdfs:label ?label } ORDER BY ?s"
CONSTRUCT = sparql_prologue() + "CONSTRUCT { ?s rdfs:label ?label } WHERE { ?s a tc:State ; rdfs:label ?label }"


def wrapper(server: LiveServer, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{server.url}/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


def expected_states(curated_store: ox.Store) -> list[tuple[str, str]]:
    table = select_table(curated_store, SELECT)
    return [(row[0], row[1]) for row in table.rows]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_in_every_format(live_server: LiveServer, curated_store: ox.Store, method: str) -> None:
    expected = expected_states(curated_store)
    assert expected
    as_json = wrapper(live_server, SELECT, JSON, method).query().convert()
    assert isinstance(as_json, dict)
    assert [(b["s"]["value"], b["label"]["value"]) for b in as_json["results"]["bindings"]] == expected
    as_xml = wrapper(live_server, SELECT, XML, method).query().convert()
    names = {"r": "http://www.w3.org/2005/sparql-results#"}
    rows = as_xml.getElementsByTagNameNS(names["r"], "result")  # type: ignore[union-attr]
    assert len(rows) == len(expected)
    as_csv = wrapper(live_server, SELECT, CSV, method).query().convert()
    assert isinstance(as_csv, bytes)
    parsed = list(csv.reader(io.StringIO(as_csv.decode())))
    assert parsed[0] == ["s", "label"]
    assert [tuple(r) for r in parsed[1:]] == expected
    as_tsv = wrapper(live_server, SELECT, TSV, method).query().convert()
    assert isinstance(as_tsv, bytes)
    lines = as_tsv.decode().splitlines()
    assert lines[0] == "?s\t?label"
    assert [line.split("\t")[0] for line in lines[1:]] == [f"<{s}>" for s, _ in expected]


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
def test_sparqlwrapper_construct_in_every_format(live_server: LiveServer, curated_store: ox.Store, fmt: str) -> None:
    expected = {
        (URIRef(s), URIRef("http://www.w3.org/2000/01/rdf-schema#label")) for s, _ in expected_states(curated_store)
    }
    result = wrapper(live_server, CONSTRUCT, fmt).query()
    converted = result.convert()
    if isinstance(converted, Graph):
        graph = converted
    else:
        assert isinstance(converted, bytes)
        kind = {TURTLE: "turtle", N3: "turtle", JSONLD: "json-ld"}[fmt]
        graph = Graph().parse(data=converted.decode(), format=kind)
    assert {(s, p) for s, p, _ in graph} == expected


def test_sparqlwrapper_ask(live_server: LiveServer) -> None:
    result = wrapper(live_server, sparql_prologue() + "ASK { id:hikvision a ?type }", JSON).query().convert()
    assert result == {"head": {}, "boolean": True}


def test_rdflib_sparqlstore_gives_what_the_store_gives(live_server: LiveServer, curated_store: ox.Store) -> None:
    store = SPARQLStore(f"{live_server.url}/sparql", returnFormat="xml")
    graph = Graph(store=store)
    rows = graph.query(SELECT)
    assert [(str(r[0]), str(r[1])) for r in rows] == expected_states(curated_store)  # type: ignore[index]
    assert graph.query(sparql_prologue() + "ASK { id:hikvision a tc:Company }").askAnswer is True
    store_json = SPARQLStore(f"{live_server.url}/sparql", returnFormat="json", method="POST")
    rows_json = Graph(store=store_json).query(SELECT)
    assert [(str(r[0]), str(r[1])) for r in rows_json] == expected_states(curated_store)  # type: ignore[index]
    triples = set(Graph(store=store).triples((URIRef("https://w3id.org/techcurbs/id/hikvision"), None, None)))
    direct = curated_store.quads_for_pattern(
        ox.NamedNode("https://w3id.org/techcurbs/id/hikvision"), None, None, ox.DefaultGraph()
    )
    assert len(triples) == len(list(direct))
    assert json.dumps(sorted(str(t[1]) for t in triples))
