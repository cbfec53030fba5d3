"""The SPARQL 1.1 Protocol over real HTTP: methods, content negotiation, descriptions, CORS, the query page."""

from __future__ import annotations

import importlib
import json
import re
import urllib.parse

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, VOID

from api.sparql.examples import examples
from api.sparql.functions import match_score
from graph.vocab import sparql_prologue
from tests.conftest import REMOTE_BACKEND, LiveServer

SELECT = "SELECT ?s WHERE { ?s a tc:State } ORDER BY ?s LIMIT 3"
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def send(server: LiveServer, method: str, query: str, accept: str) -> httpx.Response:
    url = f"{server.url}/sparql"
    headers = {"Accept": accept}
    if method == "GET":
        return httpx.get(url, params={"query": query}, headers=headers)
    if method == "POST-form":
        return httpx.post(url, data={"query": query}, headers=headers)
    return httpx.post(url, content=query, headers={**headers, "Content-Type": "application/sparql-query"})


@pytest.mark.parametrize("method", ["GET", "POST-form", "POST-direct"])
@pytest.mark.parametrize("accept", sorted(RESULT_TYPES))
def test_select_and_ask_by_every_method_and_result_type(live_server: LiveServer, method: str, accept: str) -> None:
    response = send(live_server, method, SELECT, accept)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    assert response.headers["access-control-allow-origin"] == "*"
    ask = send(live_server, method, "ASK { id:hikvision a tc:Company }", accept)
    assert ask.status_code == 200
    if accept == "text/csv":  # CSV is lossy and has no parser; count lines instead
        assert response.text.count("\r\n") == 4
        assert ask.text.strip().endswith("true")
        return
    solutions = ox.parse_query_results(response.content, format=RESULT_TYPES[accept])
    assert isinstance(solutions, ox.QuerySolutions)
    assert len(list(solutions)) == 3
    answer = ox.parse_query_results(ask.content, format=RESULT_TYPES[accept])
    assert isinstance(answer, ox.QueryBoolean)
    assert bool(answer)


@pytest.mark.parametrize("accept", sorted(GRAPH_TYPES))
def test_construct_and_describe_in_every_graph_type(live_server: LiveServer, accept: str) -> None:
    for query in ("CONSTRUCT WHERE { id:hikvision ?p ?o }", "DESCRIBE id:hikvision"):
        response = send(live_server, "GET", query, accept)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == f"{accept}; charset=utf-8"
        triples = list(ox.parse(response.content, format=GRAPH_TYPES[accept]))
        assert triples
        assert all(t.subject == ox.NamedNode("https://w3id.org/techcurbs/id/hikvision") for t in triples)


def test_negotiation_quality_values_format_parameter_and_406(live_server: LiveServer) -> None:
    preferred = send(live_server, "GET", SELECT, "text/csv;q=0.5, application/sparql-results+xml;q=0.9")
    assert preferred.headers["content-type"].startswith("application/sparql-results+xml")
    anything = send(live_server, "GET", SELECT, "*/*")
    assert anything.headers["content-type"].startswith("application/sparql-results+json")
    by_format = httpx.get(f"{live_server.url}/sparql", params={"query": SELECT, "format": "tsv"})
    assert by_format.headers["content-type"].startswith("text/tab-separated-values")
    refused = send(live_server, "GET", SELECT, "text/turtle")
    assert refused.status_code == 406
    assert refused.json()["error"] == "not_acceptable"
    wrong_kind = send(live_server, "GET", "CONSTRUCT WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert wrong_kind.status_code == 406


def test_dataset_parameters_and_named_graphs(live_server: LiveServer) -> None:
    graphs = send(
        live_server, "GET", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "application/sparql-results+json"
    )
    assert graphs.status_code == 200
    empty_default = httpx.get(
        f"{live_server.url}/sparql",
        params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": "urn:x:nothing"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert empty_default.json()["boolean"] is False


def test_bad_requests_are_4xx_with_the_envelope(live_server: LiveServer) -> None:
    url = f"{live_server.url}/sparql"
    cases = [
        httpx.put(url, params={"query": "ASK {}"}),
        httpx.get(url, params=[("query", "ASK {}"), ("query", "ASK {}")]),
        httpx.post(url, content="ASK {}", headers={"Content-Type": "text/plain"}),
        httpx.post(url, content="ASK {}"),
        httpx.post(
            url, content="ASK {}".encode("utf-16"), headers={"Content-Type": "application/sparql-query; charset=UTF-16"}
        ),
        httpx.post(url, content=b"ASK { \xff }", headers={"Content-Type": "application/sparql-query"}),
        httpx.get(url, params={"query": "ASK {"}),
    ]
    for response in cases:
        assert 400 <= response.status_code < 500, response.text
        body = response.json()
        assert set(body) == {"error", "detail", "status"}
        assert body["status"] == response.status_code


def test_service_description_for_machines_and_page_for_browsers(live_server: LiveServer) -> None:
    description = httpx.get(f"{live_server.url}/sparql", headers={"Accept": "text/turtle"})
    assert description.headers["content-type"] == "text/turtle; charset=utf-8"
    graph = Graph().parse(data=description.text, format="turtle")
    assert (
        URIRef(f"{live_server.url}/sparql"),
        RDF.type,
        URIRef("http://www.w3.org/ns/sparql-service-description#Service"),
    ) in graph
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = httpx.get(f"{live_server.url}/sparql", headers={"Accept": browser})
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert "<textarea" in page.text


def test_query_page_escapes_and_lists_examples(live_server: LiveServer) -> None:
    hostile = 'SELECT * { ?s ?p "</textarea><script>alert(1)</script>" }'
    page = httpx.get(f"{live_server.url}/query", params={"query": hostile})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text
    assert "&lt;/textarea&gt;&lt;script&gt;" in page.text
    assert 'data-run="true"' in page.text
    for example in examples():
        assert example.title in page.text
    # Everything the page loads is same-origin and served here.
    for asset in re.findall(r'(?:src|href)="([^"#]+)"', page.text):
        assert not asset.startswith(("http:", "https:", "//")), asset
        assert httpx.get(f"{live_server.url}{asset}").status_code == 200
    assert httpx.get(f"{live_server.url}/static/query/..%2f..%2fapp.py").status_code == 404


@pytest.mark.parametrize("name", [e.name for e in examples()])
def test_every_example_query_runs_and_returns_rows(live_server: LiveServer, name: str) -> None:
    example = next(e for e in examples() if e.name == name)
    if REMOTE_BACKEND and "tcf:" in example.query:
        pytest.skip("tcf: functions run only in the embedded engine; a remote engine answers that it lacks them")
    accept = "text/turtle" if "CONSTRUCT" in example.query else "application/sparql-results+json"
    response = send(live_server, "POST-form", example.query, accept)
    assert response.status_code == 200, response.text
    if accept == "text/turtle":
        assert list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    else:
        assert response.json()["results"]["bindings"]


def test_cors_preflight_and_headers(live_server: LiveServer) -> None:
    preflight = httpx.options(
        f"{live_server.url}/sparql",
        headers={
            "Origin": "https://yasgui.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    error = httpx.get(f"{live_server.url}/sparql", params={"query": "ASK {"}, headers={"Origin": "https://x.example"})
    assert error.headers["access-control-allow-origin"] == "*"


def test_void_downloads_and_entity_dereferencing(live_server: LiveServer, curated_store: ox.Store) -> None:
    void = httpx.get(f"{live_server.url}/.well-known/void", headers={"Accept": "text/turtle"})
    assert void.status_code == 200
    graph = Graph().parse(data=void.text, format="turtle")
    dataset = URIRef(f"{live_server.url}/.well-known/void#dataset")
    assert (dataset, RDF.type, VOID.Dataset) in graph
    assert int(graph.value(dataset, VOID.triples)) == len(curated_store)  # type: ignore[arg-type]
    assert graph.value(dataset, URIRef("http://purl.org/dc/terms/license")) is not None
    dumps = sorted(str(d) for d in graph.objects(dataset, VOID.dataDump))
    assert len(dumps) == 4
    nquads = httpx.get(f"{live_server.url}/download/techcurbs.nq")
    assert nquads.headers["content-type"] == "application/n-quads; charset=utf-8"
    assert len(list(ox.parse(nquads.content, format=ox.RdfFormat.N_QUADS))) == len(curated_store)
    for dump in dumps:
        assert httpx.get(dump).status_code == 200
    turtle = httpx.get(f"{live_server.url}/id/hikvision", headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200
    triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    hikvision = ox.NamedNode("https://w3id.org/techcurbs/id/hikvision")
    sources = {t.object for t in triples if t.subject == hikvision and t.predicate.value.endswith("#source")}
    assert sources
    assert {t.subject for t in triples} >= sources  # the sources are described too
    jsonld = httpx.get(f"{live_server.url}/id/hikvision", headers={"Accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert json.loads(jsonld.text)
    assert httpx.get(f"{live_server.url}/id/no-such-record", headers={"Accept": "text/turtle"}).status_code == 404
    assert httpx.get(f"{live_server.url}/id/hikvision", headers={"Accept": "image/png"}).status_code == 406
    browser = httpx.get(f"{live_server.url}/id/hikvision", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 200
    expected = "text/html" if hasattr(importlib.import_module("api.explorer"), "entity_html") else "text/turtle"
    assert browser.headers["content-type"].startswith(expected)


@pytest.mark.skipif(REMOTE_BACKEND, reason="tcf: functions run only in the embedded engine")
def test_label_search_function_and_explain(live_server: LiveServer) -> None:
    assert match_score("Hikvision", "hikv") == 0.9
    assert match_score("Société Générale", "societe") == 0.9
    assert match_score("Huawei", "hikv") == 0.0
    query = 'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(tcf:matches(?l, "hikv")) }'
    response = send(live_server, "GET", query, "application/sparql-results+json")
    labels = [b["l"]["value"] for b in response.json()["results"]["bindings"]]
    assert any("hikvision" in label.lower() for label in labels)
    assert all(match_score(label, "hikv") > 0 for label in labels)
    explained = httpx.get(f"{live_server.url}/sparql", params={"query": SELECT, "explain": "true"})
    assert explained.status_code == 200
    assert explained.headers["content-type"].startswith("text/plain")
    assert "OrderBy" in explained.text


def test_metrics_count_outcomes(live_server: LiveServer) -> None:
    send(live_server, "GET", "ASK {}", "application/sparql-results+json")
    send(live_server, "GET", "DROP ALL", "application/sparql-results+json")
    text = httpx.get(f"{live_server.url}/metrics").text
    assert 'techcurbs_sparql_queries_total{outcome="ok"}' in text
    assert 'techcurbs_sparql_refusals_total{reason="update"}' in text
    assert "techcurbs_sparql_query_seconds_bucket" in text


def test_permalink_round_trip(live_server: LiveServer) -> None:
    query = sparql_prologue() + SELECT
    link = f"{live_server.url}/query?{urllib.parse.urlencode({'query': query})}"
    page = httpx.get(link)
    assert "PREFIX tc: &lt;https://w3id.org/techcurbs/ontology#&gt;" in page.text


@pytest.mark.parametrize(
    ("query", "accept", "limit"),
    [
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "application/n-triples", None),
        ("SELECT * WHERE { ?s ?p ?o }", "application/sparql-results+json", None),
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 300", "application/sparql-results+json", 300),
    ],
)
def test_small_and_large_answers_arrive_whole(
    live_server: LiveServer, curated_store: ox.Store, query: str, accept: str, limit: int | None
) -> None:
    # Small answers come back from the worker in its reply, large ones (over a MiB) from a file: both complete.
    response = send(live_server, "GET", query, accept)
    assert response.status_code == 200, response.text
    expected = limit or len(list(curated_store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    assert int(response.headers["X-TechCurbs-Rows"]) == expected
    assert (len(response.content) > 1 << 20) == (limit is None)
    if accept == "application/n-triples":
        assert len(list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))) == expected
    else:
        assert len(response.json()["results"]["bindings"]) == expected
