"""A neighbourhood of hundreds or thousands of nodes is laid out quickly, without a scientific stack."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.explorer.netview import DRAWN_AT_MOST
from api.settings import Settings
from benchmarks.generate import hub_id
from tests.conftest import hub_store

HUB = 2000
ID = "https://w3id.org/techcurbs/id/"


@pytest.fixture(scope="module")
def hub_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = hub_store(tmp_path_factory, HUB, 3000)
    with TestClient(create_app(Settings(store=store, rate_limit_per_second=0))) as client:
        yield client


def test_a_two_thousand_node_view_is_laid_out_in_rings(hub_client: TestClient) -> None:
    started = time.monotonic()
    response = hub_client.get("/api/network", params={"entity": hub_id(HUB), "depth": 1})
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text[:300]
    data = response.json()["data"]
    assert len(data["nodes"]) == HUB
    assert data["precomputed_layout"] is True
    assert all(isinstance(node["x"], float) and isinstance(node["y"], float) for node in data["nodes"])
    assert len({(node["x"], node["y"]) for node in data["nodes"]}) == HUB, "no two nodes drawn on the same spot"
    print(f"\n{HUB}-node neighbourhood answered in {elapsed:.2f} s")
    page = hub_client.get("/network", params={"entity": hub_id(HUB), "depth": 1})
    assert page.status_code == 200


def test_a_view_too_large_to_draw_shows_its_busiest_part_and_says_so(hub_client: TestClient) -> None:
    whole = hub_client.get("/api/network").json()["data"]
    assert len(whole["nodes"]) == DRAWN_AT_MOST < whole["total_nodes"]
    drawn = {node["id"] for node in whole["nodes"]}
    assert f"{ID}{hub_id(HUB)}" in drawn, "the hub has the most relations of all"
    assert all(edge["source"] in drawn and edge["target"] in drawn for edge in whole["edges"])
    page = hub_client.get("/network")
    assert page.status_code == 200
    assert f"This view has {whole['total_nodes']:,} entities" in page.text
    assert f"show {DRAWN_AT_MOST:,} of them" in page.text

    hub = hub_client.get("/api/network", params={"entity": hub_id(HUB), "depth": 1}).json()["data"]
    assert len(hub["nodes"]) == hub["total_nodes"] == HUB, "a view that fits is drawn whole"
    assert "This view has" not in hub_client.get("/network", params={"entity": hub_id(HUB)}).text
    farther = hub_client.get("/api/network", params={"entity": hub_id(HUB), "depth": 2}).json()["data"]
    assert len(farther["nodes"]) == DRAWN_AT_MOST < farther["total_nodes"]
    assert {n["id"] for n in hub["nodes"]} <= {n["id"] for n in farther["nodes"]}, "the nearest hop comes first"
