"""Downloads of the current view parse with networkx and rdflib and hold exactly the nodes and edges of the JSON."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

VIEWS = [
    ("network", "entity=hikvision-canada"),
    ("network", "entity=hikvision&depth=2&as_of=2025"),
    ("network", "entity=cn&rel=country"),
    ("paths", "from=hikvision-canada&to=cn-sasac&k=3"),
]


def counts_of_json(client: TestClient, view: str, query: str) -> tuple[int, int]:
    body = client.get(f"/api/{view}?{query}").json()
    data = body["data"] or {"nodes": [], "edges": []}
    return len(data["nodes"]), len(data["edges"])


def download(client: TestClient, view: str, fmt: str, query: str) -> bytes:
    response = client.get(f"/export/{view}.{fmt}?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    return response.content


@pytest.mark.parametrize(("view", "query"), VIEWS)
def test_graphml_and_gexf_parse_with_networkx_with_the_same_counts(client: TestClient, view: str, query: str) -> None:
    expected = counts_of_json(client, view, query)
    assert expected[0] > 0
    graphml = nx.read_graphml(io.BytesIO(download(client, view, "graphml", query)))
    gexf = nx.read_gexf(io.BytesIO(download(client, view, "gexf", query)))
    assert (graphml.number_of_nodes(), graphml.number_of_edges()) == expected
    assert (gexf.number_of_nodes(), gexf.number_of_edges()) == expected


@pytest.mark.parametrize(("view", "query"), VIEWS)
def test_jsonld_parses_with_rdflib_with_the_same_counts(client: TestClient, view: str, query: str) -> None:
    rdf = Graph().parse(data=download(client, view, "jsonld", query), format="json-ld")
    statements = set(rdf.subjects(RDF.type, RDF.Statement))
    nodes = {s for s in rdf.subjects(RDFS.label, None) if s not in statements}
    assert (len(nodes), len(statements)) == counts_of_json(client, view, query)
    for statement in statements:
        assert rdf.value(statement, RDF.subject) in nodes and rdf.value(statement, RDF.object) in nodes


@pytest.mark.parametrize(("view", "query"), VIEWS)
def test_csv_has_one_row_per_node_and_per_edge(client: TestClient, view: str, query: str) -> None:
    nodes = list(csv.DictReader(io.StringIO(download(client, view, "nodes.csv", query).decode("utf-8"))))
    edges = list(csv.DictReader(io.StringIO(download(client, view, "edges.csv", query).decode("utf-8"))))
    assert (len(nodes), len(edges)) == counts_of_json(client, view, query)
    ids = {row["id"] for row in nodes}
    assert all(row["source"] in ids and row["target"] in ids for row in edges)


def test_json_download_is_the_json_view(client: TestClient) -> None:
    query = "entity=hikvision-canada"
    assert json.loads(download(client, "network", "json", query)) == client.get(f"/api/network?{query}").json()


def test_whole_graph_graphml_is_the_projection(client: TestClient) -> None:
    whole = nx.read_graphml(io.BytesIO(download(client, "network", "graphml", "")))
    assert whole.number_of_nodes() == len(client.get("/api/network").json()["data"]["nodes"])


def test_timeline_csv_has_one_row_per_item(client: TestClient) -> None:
    response = client.get("/export/timeline.csv?jurisdiction=ca")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    items = client.get("/api/timeline?jurisdiction=ca").json()["timeline"]["items"]
    assert [r["id"] for r in rows] == [i["ref"]["id"] for i in items]


def test_unknown_format_is_refused(client: TestClient) -> None:
    response = client.get("/export/network.xlsx?entity=hikvision")
    assert response.status_code == 422 and response.json()["error"] == "invalid_parameters"
