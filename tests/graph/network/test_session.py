"""Opening the graph in one call, from data directories or a built store, and asking it questions."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.network import TechCurbsGraph, find_paths, local_server, open_graph, restriction_table
from graph.network.plot import plot_restriction_matrix, restriction_matrix
from graph.vocab import TC
from tests.graph.network.fixtures import FIXTURE, iri


@pytest.fixture(scope="module")
def opened(network_store: ox.Store) -> TechCurbsGraph:
    return open_graph(network_store)


def test_open_graph_compiles_data_directories_in_memory() -> None:
    graph = open_graph(data=[FIXTURE])
    assert graph.resolve("Hikvision") == iri("hikvision")
    assert graph.network() is graph.network()


def test_open_graph_opens_a_built_store(curated_store_path: Path) -> None:
    graph = open_graph(curated_store_path)
    assert graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a tc:RegulatoryAction }")[0]["n"] != "0"


def test_open_graph_takes_one_source() -> None:
    with pytest.raises(ValueError, match="not several"):
        open_graph(store="var/store", data=["data"])
    with pytest.raises(ValueError, match="not several"):
        open_graph(data=["data"], endpoint="http://127.0.0.1:9/sparql")


def test_an_endpoint_gives_the_same_network_as_the_store() -> None:
    with local_server(data=[FIXTURE]) as url:
        remote = open_graph(endpoint=f"{url}/sparql")
        local = open_graph(data=[FIXTURE])
        assert list(remote.network().edges(keys=True, data=True)) == list(local.network().edges(keys=True, data=True))
        assert dict(remote.network().nodes(data=True)) == dict(local.network().nodes(data=True))
        assert remote.paths("Hikvision", "Meng Wanzhou") == local.paths("Hikvision", "Meng Wanzhou")
        assert remote.query("SELECT ?l WHERE { ?s tc:share ?l } ORDER BY ?l") == local.query(
            "SELECT ?l WHERE { ?s tc:share ?l } ORDER BY ?l"
        )


def test_query_returns_records(opened: TechCurbsGraph) -> None:
    rows = opened.query(
        "SELECT ?share WHERE { id:own-cetc-hik-hikvision tc:share ?share . OPTIONAL { ?x tc:nothing ?y } }"
    )
    assert rows == [{"share": "36.93"}]
    rows = opened.query("SELECT ?s ?y WHERE { VALUES ?s { id:cetc } OPTIONAL { ?s tc:nothing ?y } }")
    assert rows == [{"s": iri("cetc"), "y": None}]


def test_paths_by_name_equal_find_paths_on_the_projection(opened: TechCurbsGraph) -> None:
    by_name = opened.paths("Hikvision", "Meng Wanzhou", avoid=[str(TC.Jurisdiction)])
    direct = find_paths(opened.network(), iri("hikvision"), iri("meng-wanzhou"), avoid=[str(TC.Jurisdiction)])
    assert by_name == direct
    assert all(
        n == iri("hikvision")
        or n == iri("meng-wanzhou")
        or opened.network().nodes[n]["cls"] not in (str(TC.State), str(TC.SubnationalJurisdiction))
        for p in by_name
        for n in p.nodes
    )
    assert opened.paths("Hikvision", "Meng Wanzhou", every=True, max_hops=2)


def test_options_give_their_own_projection(opened: TechCurbsGraph) -> None:
    assert opened.network(as_of="2019") is not opened.network()
    assert iri("ca-2025-hikvision-wind-up") not in opened.network(as_of="2019")
    assert opened.network(relations=[str(TC.Ownership)]).number_of_edges() == 5


def test_the_restriction_matrix_counts_actions(opened: TechCurbsGraph) -> None:
    rows = restriction_table(opened.network())
    jurisdictions, targets, matrix = restriction_matrix(rows)
    assert jurisdictions == ["United States of America", "Canada"]
    assert matrix[jurisdictions.index("Canada")][targets.index("Hikvision Canada Inc.")] == 1
    assert matrix[jurisdictions.index("Canada")][targets.index("Huawei Technologies Co., Ltd.")] == 0
    doubled = [*rows, dict(rows[0], issuer="A second issuer of the same action")]
    assert restriction_matrix(doubled) == (jurisdictions, targets, matrix)
    assert restriction_matrix(rows, top=1)[1] == ["Hangzhou Hikvision Digital Technology Co., Ltd."]
    figure = plot_restriction_matrix(rows)
    assert figure.axes[0].get_title() == "Actions by jurisdiction and target"
