"""The explorer's JSON: search, entity, network, paths and timeline over the curated store."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from api.explorer.views import entity_view, network_view, paths_view, search_view, timeline_view
from graph.timeline import TimelineFilter

ID = "https://w3id.org/techcurbs/id/"


def get(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


def test_search_finds_names_aliases_and_accents(client: TestClient) -> None:
    hits = get(client, "/api/search?q=hikvision can")["results"]
    assert hits[0]["id"] == "hikvision-canada"
    assert hits[0]["type"] == "company" and hits[0]["country"] == "Canada"
    assert get(client, "/api/search?q=melanie")["results"][0]["id"] == "melanie-joly"
    alias = get(client, "/api/search?q=GIC")["results"][0]
    assert alias["id"] == "ca-governor-in-council" and alias["matched"] == "GIC"
    assert get(client, "/api/search?q=")["results"] == []


def test_search_limit_is_validated(client: TestClient) -> None:
    body = get(client, "/api/search?q=a&limit=500", 422)
    assert body["error"] == "invalid_parameters" and body["status"] == 422


def test_entity_json_has_cited_relations_in_both_directions(client: TestClient) -> None:
    page = get(client, "/api/entity/hikvision-canada")
    assert page["ref"]["label"] == "Hikvision Canada Inc."
    directions = {group["direction"] for group in page["relation_groups"]}
    assert directions == {"in", "out"}
    for group in page["relation_groups"]:
        for relation in group["relations"]:
            assert relation["citations"] or relation["confidence"] == "unverified"
            assert relation["confidence"] in ("verified", "unverified")
    others = {r["other"]["iri"] for g in page["relation_groups"] for r in g["relations"]}
    assert len(others) == page["neighbours"]


def test_entity_json_has_ownership_chain_restrictions_and_claims(client: TestClient) -> None:
    page = get(client, "/api/entity/hikvision-canada")
    chain = page["ownership_chain"]
    assert chain[0]["owner"]["id"] == "hikvision"
    assert all(step["citations"] for step in chain)
    reaches = {(r["action"]["ref"]["id"], r["reach"]) for r in page["restrictions"]}
    assert ("ca-2025-hikvision-wind-up", "this entity") in reaches
    assert any(reach == "a parent" for _, reach in reaches)
    claims = [c for c in page["claims"] if c["property_label"] == "operating since"]
    assert claims and {c["value"] for c in claims[0]["claims"]} >= {"2014", "2015"}


def test_entity_json_as_of_hides_what_came_later(client: TestClient) -> None:
    now = get(client, "/api/entity/hikvision-canada")
    before = get(client, "/api/entity/hikvision-canada?as_of=2025-07-01")
    dates = [item["date"] for item in before["timeline"]]
    assert dates and all(d <= "2025-07-01" for d in dates)
    assert len(before["timeline"]) < len(now["timeline"])
    assert before["as_of"] == "2025-07-01"


def test_unknown_entity_is_a_404_envelope(client: TestClient) -> None:
    body = get(client, "/api/entity/no-such-thing", 404)
    assert body == {"error": "not_found", "detail": "no entity with id 'no-such-thing'", "status": 404}


def test_bad_as_of_is_a_422_envelope(client: TestClient) -> None:
    body = get(client, "/api/entity/hikvision?as_of=2025-13", 422)
    assert body["error"] == "invalid_parameters"
    assert body["detail"][0]["field"] == "query.as_of"


def test_network_json_is_the_neighbourhood(client: TestClient) -> None:
    view = get(client, "/api/network?entity=hikvision-canada")
    nodes = {n["id"] for n in view["data"]["nodes"]}
    assert f"{ID}hikvision-canada" in nodes and f"{ID}hikvision" in nodes
    for edge in view["data"]["edges"]:
        assert edge["source"] in nodes and edge["target"] in nodes
    entity = get(client, "/api/entity/hikvision-canada")
    assert len(nodes) == entity["neighbours"] + 1
    deeper = get(client, "/api/network?entity=hikvision-canada&depth=2")
    assert len(deeper["data"]["nodes"]) > len(nodes)


def test_network_folds_large_neighbour_groups(client: TestClient) -> None:
    view = get(client, "/api/network?entity=hikvision&depth=2")
    folds = view["data"]["folds"]
    assert folds, "a depth-2 view of Hikvision has some neighbour group larger than the threshold"
    folded = {m for f in folds for m in f["members"]}
    assert {n["id"] for n in view["data"]["nodes"] if n["folded_into"]} == folded
    assert view["data"]["precomputed_layout"] is True
    assert all(n["x"] is not None for n in view["data"]["nodes"])


def test_network_relation_filter_keeps_only_those_kinds(client: TestClient) -> None:
    view = get(client, "/api/network?entity=hikvision-canada&rel=Ownership")
    relations = {e["relation"] for e in view["data"]["edges"]}
    assert relations == {"https://w3id.org/techcurbs/ontology#Ownership"}
    selected = [o["name"] for o in view["options"] if o["selected"]]
    assert selected == ["Ownership"]


def test_paths_json_lists_cited_hops(client: TestClient) -> None:
    view = get(client, "/api/paths?from=hikvision-canada&to=cn-sasac&k=2")
    assert 1 <= len(view["paths"]) <= 2
    first = view["paths"][0]
    assert first["nodes"][0] == f"{ID}hikvision-canada" and first["nodes"][-1] == f"{ID}cn-sasac"
    for hop in first["hops"]:
        assert hop["sentence"] and (hop["sources"] or hop["confidence"] == "unverified")


def test_paths_json_resolves_names_and_says_when_there_is_none(client: TestClient) -> None:
    view = get(client, "/api/paths?from=Hikvision Canada&to=SASAC&max_hops=1")
    assert view["source"]["id"] == "hikvision-canada" and view["target"]["id"] == "cn-sasac"
    assert view["paths"] == [] and "No path of at most 1 hops" in view["message"]
    unknown = get(client, "/api/paths?from=zzzz-nothing&to=cn-sasac")
    assert unknown["source"] is None and "from" in unknown["candidates"]


def test_timeline_json_filters(client: TestClient) -> None:
    everything = get(client, "/api/timeline")["timeline"]
    assert everything["total"] == len(everything["items"])
    dates = [i["date"] for i in everything["items"]]
    assert dates == sorted(dates, key=lambda d: tuple(int(p) for p in d.split("-")))
    canada = get(client, "/api/timeline?jurisdiction=ca&type=action")["timeline"]["items"]
    assert canada and all(i["jurisdiction"]["id"] == "ca" and i["kind"] == "action" for i in canada)
    targeted = get(client, "/api/timeline?target=hikvision-canada")["timeline"]["items"]
    assert targeted and all("hikvision-canada" in {t["id"] for t in i["targets"]} for i in targeted)
    ranged = get(client, "/api/timeline?from=2019&to=2019")["timeline"]["items"]
    assert ranged and all(i["date"].startswith("2019") for i in ranged)
    early = get(client, "/api/timeline?as_of=2019-06")["timeline"]["items"]
    assert all(i["date"][:7] <= "2019-06" for i in early)


@pytest.mark.parametrize(
    "url",
    [
        "/api/entity/hikvision-canada",
        "/api/entity/hikvision?as_of=2020",
        "/api/network?entity=hikvision&depth=2",
        "/api/paths?from=Hikvision&to=Meng Wanzhou&k=3",
        "/api/search?q=hik",
        "/api/timeline?jurisdiction=ca",
    ],
)
def test_json_is_written_as_fastapi_writes_it(app: FastAPI, client: TestClient, url: str) -> None:
    """The views are serialised by pydantic directly; the bytes are those of JSONResponse(jsonable_encoder(...))."""
    ex = app.state.explorer
    params = dict(client.build_request("GET", url).url.params)
    path = url.split("?")[0]
    if path.startswith("/api/entity/"):
        view: Any = entity_view(ex, path.rsplit("/", 1)[1], params.get("as_of"))
    elif path == "/api/network":
        view = network_view(ex, params["entity"], int(params["depth"]), None, None)
    elif path == "/api/paths":
        view = paths_view(ex, params["from"], params["to"], int(params["k"]), 6, None)
    elif path == "/api/search":
        view = {"query": params["q"], "results": search_view(ex, params["q"], 10)}
    else:
        view = timeline_view(ex, TimelineFilter(jurisdiction=params["jurisdiction"]))
    response = client.get(url)
    assert response.headers["content-type"] == "application/json"
    assert response.content == JSONResponse(jsonable_encoder(view)).body


def test_every_date_and_filter_is_a_view_of_one_reading_of_the_network(app: FastAPI, client: TestClient) -> None:
    ex = app.state.explorer
    for url in (
        "/api/network?entity=hikvision&as_of=2019",
        "/api/network?entity=hikvision&rel=Ownership",
        "/api/entity/hikvision?as_of=2020-06",
        "/api/paths?from=hikvision&to=cn-sasac&as_of=2021",
    ):
        assert client.get(url).status_code == 200
    network = ex.network()
    assert ex.view("2019").compact is network
    assert ex.view("2020-06").compact is network
    assert ex.view(None, frozenset({"https://w3id.org/techcurbs/ontology#Ownership"})).compact is network
