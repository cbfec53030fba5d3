"""The networkx projection: nodes and edges as the ontology declares them, with sources, dates and filters."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.network import project
from graph.ontology import load_ontology
from graph.vocab import TC
from tests.graph.network.fixtures import iri

NODE_KEYS = {"iri", "label", "record_id", "cls", "class_label", "colour", "shape", "country", "confidence", "date"}
EDGE_KEYS = {"relation", "label", "inverse_label", "via", "via_label", "start", "end", "sources", "confidence", "share"}


def edges_between(g: nx.MultiDiGraph, a: str, b: str) -> dict[str, dict[str, object]]:
    data = g.get_edge_data(iri(a), iri(b)) or {}
    return dict(data)


def test_every_node_and_edge_has_the_documented_attributes(network: nx.MultiDiGraph) -> None:
    for _, attrs in network.nodes(data=True):
        assert set(attrs) >= NODE_KEYS
    for _, _, attrs in network.edges(data=True):
        assert set(attrs) >= EDGE_KEYS
        for source in attrs["sources"]:
            assert set(source) == {"url", "title", "publisher", "published"}


def test_nodes_are_instances_of_network_node_classes_with_their_display_hints(network: nx.MultiDiGraph) -> None:
    node = network.nodes[iri("hikvision")]
    info = load_ontology().class_info(TC.Company)
    assert node["label"] == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert node["record_id"] == "hikvision"
    assert node["cls"] == str(TC.Company)
    assert (node["class_label"], node["colour"], node["shape"]) == (info.label, info.colour, info.shape)
    assert node["country"] == "People's Republic of China"
    assert node["confidence"] == "verified"
    assert "Hikvision" in node["aliases"]
    assert iri("own-cetc-hik-hikvision") not in network  # ownerships are edges, not nodes
    assert iri("caixin-2025-hikvision") not in network  # sources are citations, not nodes


def test_actions_and_events_stay_nodes_dated_by_their_earliest_date(network: nx.MultiDiGraph) -> None:
    assert network.nodes[iri("us-2022-fcc-equipment-authorization-ban")]["date"] == "2022-11-25"
    assert network.nodes[iri("ev-2018-meng-detention")]["date"] == "2018-12-01"
    assert network.nodes[iri("hikvision")]["date"] == ""


def test_an_ownership_projects_to_one_edge_from_owner_to_owned_with_its_share_and_source(
    network: nx.MultiDiGraph,
) -> None:
    (attrs,) = edges_between(network, "cetc-hik-group", "hikvision").values()
    assert attrs["relation"] == str(TC.Ownership)
    assert (attrs["label"], attrs["inverse_label"]) == ("owns", "is owned by")
    assert attrs["via"] == iri("own-cetc-hik-hikvision")
    assert attrs["share"] == "36.93"
    assert attrs["as_of"] == "2025-06-30"
    assert attrs["controlling"] is True
    assert [s["publisher"] for s in attrs["sources"]] == ["Caixin Global"]
    assert edges_between(network, "hikvision", "cetc-hik-group") == {}


def test_an_action_projects_issuer_to_each_target_and_keeps_its_legs(network: nx.MultiDiGraph) -> None:
    action = "us-2022-fcc-equipment-authorization-ban"
    for target in ("huawei", "hikvision"):
        (direct,) = edges_between(network, "us-fcc", target).values()
        assert direct["relation"] == str(TC.RegulatoryAction)
        assert direct["via"] == iri(action)
        assert direct["label"] == "restricts"
        (leg,) = edges_between(network, action, target).values()
        assert (leg["relation"], leg["label"]) == (str(TC.target), "restricts")
    (issued,) = edges_between(network, "us-fcc", action).values()
    assert issued["relation"] == str(TC.issuer)
    assert issued["label"] == "issued"


def test_an_event_projects_each_agent_to_each_affected_party(network: nx.MultiDiGraph) -> None:
    (acted,) = edges_between(network, "ca-cbsa", "meng-wanzhou").values()
    assert acted["relation"] == str(TC.Event)
    assert acted["label"] == "acted on"
    assert edges_between(network, "ev-2018-meng-detention", "huawei")  # tc:about, a network edge property


def test_every_edge_kind_comes_from_the_ontology(network: nx.MultiDiGraph) -> None:
    kinds = load_ontology().edge_kinds()
    declared = {str(k.iri) for k in kinds} | {str(p) for k in kinds if k.is_record for p in (k.source, k.target)}
    assert {attrs["relation"] for _, _, attrs in network.edges(data=True)} <= declared


def test_edge_keys_are_stable_and_unique(network_store: ox.Store, network: nx.MultiDiGraph) -> None:
    keys = [k for _, _, k in network.edges(keys=True)]
    assert len(keys) == len(set(keys))
    assert keys == [k for _, _, k in project(network_store).edges(keys=True)]
    assert "Ownership:own-cetc-hik-hikvision:cetc-hik-group>hikvision" in keys


def test_unverified_records_project_as_unverified(network: nx.MultiDiGraph) -> None:
    (stake,) = edges_between(network, "gong-hongjia", "hikvision").values()
    assert stake["confidence"] == "unverified"
    assert stake["sources"] == []


def test_as_of_drops_what_had_not_happened_or_had_ended(network_store: ox.Store) -> None:
    before = project(network_store, as_of="2020-01-01")
    assert iri("ev-2018-meng-detention") in before
    assert iri("ca-2025-hikvision-wind-up") not in before
    assert not edges_between(before, "ca-governor-in-council", "hikvision-canada")
    assert iri("hikvision") in before  # undated entities stay
    assert edges_between(before, "cetc-hik-group", "hikvision")  # an undated stake stays
    during = project(network_store, as_of="2025-07")
    assert edges_between(during, "melanie-joly", "ca-government")
    after = project(network_store, as_of="2026-06-01")
    assert not edges_between(after, "melanie-joly", "ca-government")  # the post ended 2026-01


def test_relations_restrict_the_edge_kinds(network_store: ox.Store) -> None:
    owned = project(network_store, relations=[str(TC.Ownership)])
    assert {a["relation"] for _, _, a in owned.edges(data=True)} == {str(TC.Ownership)}
    assert owned.number_of_nodes() == project(network_store).number_of_nodes()
    actions = project(network_store, relations=[str(TC.RegulatoryAction)])
    assert {a["relation"] for _, _, a in actions.edges(data=True)} == {
        str(TC.RegulatoryAction),
        str(TC.issuer),
        str(TC.target),
    }


def test_an_unknown_relation_is_refused(network_store: ox.Store) -> None:
    with pytest.raises(ValueError, match="not an edge kind"):
        project(network_store, relations=[str(TC.Ownership), str(TC.share)])
