"""Paths between entities, each hop expanded to a cited edge and told as a sentence."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.network import Citation, all_paths, find_paths, neighbourhood, project, shortest_path
from graph.vocab import TC
from tests.graph.network.fixtures import iri


def test_a_hop_against_an_edge_reads_with_the_inverse_label_and_cites_its_source(network: nx.MultiDiGraph) -> None:
    (path,) = find_paths(network, iri("hikvision"), iri("cetc-hik-group"), k=1)
    (hop,) = path.hops
    assert hop.forward is False
    assert hop.relation == str(TC.Ownership)
    assert hop.sentence == (
        "Hangzhou Hikvision Digital Technology Co., Ltd. is owned by China Electronics Technology HIK Group Co., Ltd."
        " (36.93%, as of 2025-06-30) [Caixin Global, 2025-06-30]"
    )
    assert hop.sources == (
        Citation(
            url="https://www.caixinglobal.com/2025-06-30/canada-kicks-out-chinese-surveillance-gear-maker-102336423.html",
            title="Canada Kicks Out Chinese Surveillance-Gear Maker",
            publisher="Caixin Global",
            published="2025-06-30",
        ),
    )
    assert hop.confidence == "verified"


def test_the_shortest_path_chains_hops_end_to_end(network_store: ox.Store) -> None:
    owned = project(network_store, relations=[str(TC.Ownership)])
    path = shortest_path(owned, iri("hikvision-canada"), iri("cn-sasac"))
    assert path is not None
    assert path.nodes == tuple(iri(i) for i in ("hikvision-canada", "hikvision", "cetc-hik-group", "cetc", "cn-sasac"))
    assert all(a.target == b.source for a, b in zip(path.hops, path.hops[1:], strict=False))
    assert [h.label for h in path.hops] == ["is owned by"] * 4
    assert path.explain().splitlines()[0].startswith("1. Hikvision Canada Inc. is owned by Hangzhou Hikvision")


def test_k_shortest_paths_are_distinct_and_shortest_first(network: nx.MultiDiGraph) -> None:
    paths = find_paths(network, iri("hikvision"), iri("meng-wanzhou"), k=3)
    assert len(paths) == 3
    assert len({p.nodes for p in paths}) == 3
    assert [len(p) for p in paths] == sorted(len(p) for p in paths)
    assert paths[0].nodes[0] == iri("hikvision") and paths[0].nodes[-1] == iri("meng-wanzhou")
    assert all(hop.sentence and hop.label for p in paths for hop in p.hops)


def test_a_hop_between_two_parties_of_an_action_names_the_action(network: nx.MultiDiGraph) -> None:
    (path,) = find_paths(network, iri("us-fcc"), iri("huawei"), k=1)
    assert path.hops[0].sentence == (
        "Federal Communications Commission restricts Huawei Technologies Co., Ltd. (FCC ban on new equipment"
        " authorizations for Covered List equipment (FCC 22-84), 2022-11-25) [Federal Register (U.S. Government"
        " Publishing Office, govinfo), 2023-02-06]"
    )


def test_max_hops_and_direction_limit_the_paths(network_store: ox.Store) -> None:
    owned = project(network_store, relations=[str(TC.Ownership)])
    assert find_paths(owned, iri("hikvision-canada"), iri("cn-sasac"), max_hops=3) == []
    assert find_paths(owned, iri("hikvision-canada"), iri("cn-sasac"), directed=True) == []
    (up,) = find_paths(owned, iri("cn-sasac"), iri("hikvision-canada"), directed=True, k=1)
    assert all(h.forward for h in up.hops)
    assert [h.label for h in up.hops] == ["owns"] * 4


def test_all_paths_lists_every_simple_path_within_the_limit(network: nx.MultiDiGraph) -> None:
    paths = all_paths(network, iri("hikvision"), iri("huawei"), max_hops=3)
    simple = {tuple(p) for p in nx.all_simple_paths(nx.Graph(network), iri("hikvision"), iri("huawei"), cutoff=3)}
    found = {p.nodes for p in paths}
    assert found <= simple
    assert [len(p) for p in paths] == sorted(len(p) for p in paths)
    ban = iri("us-2022-fcc-equipment-authorization-ban")
    assert (iri("hikvision"), ban, iri("huawei")) in found
    assert (iri("hikvision"), iri("us-fcc"), iri("huawei")) in found
    # Through the order and then along the shortcut made from that same order: said twice, left out.
    assert (iri("hikvision"), ban, iri("us-fcc"), iri("huawei")) not in found
    for nodes in simple - found:
        assert any(n for n in nodes if network.nodes[n]["cls"] in (str(TC.RegulatoryAction), str(TC.Event)))


def test_unverified_hops_are_marked(network: nx.MultiDiGraph) -> None:
    (path,) = find_paths(network, iri("gong-hongjia"), iri("hikvision"), k=1)
    assert path.hops[0].sentence.endswith("(10.3%) [no source] (unverified)")
    assert path.hops[0].confidence == "unverified"


def test_records_are_flat(network: nx.MultiDiGraph) -> None:
    (path,) = find_paths(network, iri("hikvision"), iri("cetc-hik-group"), k=1)
    (record,) = path.to_records()
    assert record["hop"] == 1
    assert record["sources"] == "Caixin Global, 2025-06-30"
    assert all(isinstance(v, str | int | bool) for v in record.values())


def test_unknown_nodes_are_refused(network: nx.MultiDiGraph) -> None:
    with pytest.raises(nx.NodeNotFound):
        find_paths(network, iri("nobody"), iri("hikvision"))


def test_neighbourhood_follows_edges_both_ways(network: nx.MultiDiGraph) -> None:
    near = neighbourhood(network, iri("hikvision"), depth=1)
    assert iri("cetc-hik-group") in near  # an owner: an edge into hikvision
    assert iri("hikvision-canada") in near  # a subsidiary: an edge out of it
    assert iri("cetc") not in near
    assert iri("cetc") in neighbourhood(network, iri("hikvision"), depth=2)
    assert near.number_of_edges() == network.subgraph(near.nodes).number_of_edges()


def test_avoided_classes_are_not_passed_through_but_may_be_ends(network: nx.MultiDiGraph) -> None:
    plain = find_paths(network, iri("hikvision"), iri("meng-wanzhou"), k=1)
    assert plain[0].nodes == (iri("hikvision"), iri("cn"), iri("meng-wanzhou"))  # "both Chinese"
    avoided = find_paths(network, iri("hikvision"), iri("meng-wanzhou"), k=3, avoid=[str(TC.Jurisdiction)])
    assert avoided
    for path in avoided:
        assert not {iri("cn"), iri("ca"), iri("ca-bc"), iri("us")} & set(path.nodes)
    (ending,) = find_paths(network, iri("ca"), iri("cn"), k=1, avoid=[str(TC.Jurisdiction)])
    assert ending.nodes[0] == iri("ca") and ending.nodes[-1] == iri("cn")
    assert not {iri("ca-bc"), iri("us")} & set(ending.nodes[1:-1])


def test_neighbourhood_keeps_the_projection_order(network: nx.MultiDiGraph) -> None:
    near = neighbourhood(network, iri("hikvision"), depth=2)
    assert list(near.nodes) == [n for n in network.nodes if n in near]
    assert list(near.edges(keys=True)) == [e for e in network.edges(keys=True) if e[0] in near and e[1] in near]


def test_a_post_hop_names_the_role_and_its_dates(network_store: ox.Store) -> None:
    posts = project(network_store, relations=[str(TC.Post)])
    (path,) = find_paths(posts, iri("melanie-joly"), iri("ca-government"), k=1)
    assert path.hops[0].sentence == (
        "Mélanie Joly held a post in Government of Canada (as Minister of Industry, 2025-05 to 2026-01) [no source]"
        " (unverified)"
    )


def test_a_hop_through_an_event_reads_from_the_agent(network: nx.MultiDiGraph) -> None:
    event = iri("ev-2018-meng-detention")
    (path,) = find_paths(network, iri("ca-cbsa"), event, k=1)
    assert path.hops[0].sentence == (
        "Canada Border Services Agency took part in Meng Wanzhou detained at Vancouver International Airport"
        " (2018-12-01) [Wikipedia]"
    )
    (back,) = find_paths(network, iri("meng-wanzhou"), event, k=1)
    assert back.hops[0].label == "was acted on by"
