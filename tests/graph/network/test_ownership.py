"""Ownership chains to the ultimate owner, and restrictions that reach a company through its owners or subsidiaries."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.network import ownership_chain, ownership_group, project, restriction_table, restrictions_reaching
from tests.graph.network.fixtures import iri


def test_the_chain_follows_controlling_stakes_to_the_ultimate_owner(network: nx.MultiDiGraph) -> None:
    chain = ownership_chain(network, iri("hikvision-canada"))
    assert chain.path.nodes == tuple(
        iri(i) for i in ("hikvision-canada", "hikvision", "cetc-hik-group", "cetc", "cn-sasac")
    )
    assert chain.ultimate_owner == iri("cn-sasac")
    # Gong Hongjia's 10.3% is not controlling, so it is not followed even though it is a stake in Hikvision.
    assert iri("gong-hongjia") not in chain.path.nodes
    assert chain.hops[1].sentence == (
        "Hangzhou Hikvision Digital Technology Co., Ltd. is owned by China Electronics Technology HIK Group Co., Ltd."
        " (36.93%, as of 2025-06-30) [Caixin Global, 2025-06-30]"
    )


def test_without_the_controlling_rule_the_largest_share_is_followed(network: nx.MultiDiGraph) -> None:
    chain = ownership_chain(network, iri("hikvision"), controlling_only=False)
    assert chain.path.nodes[1] == iri("cetc-hik-group")  # 36.93% before 10.3%


def test_a_company_nobody_owns_is_its_own_ultimate_owner(network: nx.MultiDiGraph) -> None:
    chain = ownership_chain(network, iri("huawei"))
    assert chain.ultimate_owner == iri("huawei")
    assert chain.hops == ()
    with pytest.raises(nx.NodeNotFound):
        ownership_chain(network, iri("nobody"))


def test_the_group_holds_owners_up_and_subsidiaries_down(network: nx.MultiDiGraph) -> None:
    group = ownership_group(network, iri("hikvision"))
    assert set(group) == {iri(i) for i in ("hikvision", "hikvision-canada", "cetc-hik-group", "cetc", "cn-sasac")}
    assert group[iri("cetc")].nodes == (iri("hikvision"), iri("cetc-hik-group"), iri("cetc"))


def test_restrictions_reach_a_company_directly_and_through_its_owner(network: nx.MultiDiGraph) -> None:
    found = restrictions_reaching(network, iri("hikvision-canada"))
    assert [(r.relationship, r.target, r.action) for r in found] == [
        ("itself", iri("hikvision-canada"), iri("ca-2025-hikvision-wind-up")),
        ("owner", iri("hikvision"), iri("us-2022-fcc-equipment-authorization-ban")),
    ]
    assert found[0].jurisdiction_label == "Canada"
    assert found[1].jurisdiction_label == "United States of America"
    assert found[1].to_record()["through"] == "Hikvision Canada Inc. -> Hangzhou Hikvision Digital Technology Co., Ltd."


def test_restrictions_reach_a_parent_through_its_subsidiary(network: nx.MultiDiGraph) -> None:
    found = restrictions_reaching(network, iri("hikvision"))
    assert {(r.relationship, r.target) for r in found} == {
        ("itself", iri("hikvision")),
        ("subsidiary", iri("hikvision-canada")),
    }


def test_restrictions_respect_as_of(network_store: ox.Store) -> None:
    before = project(network_store, as_of="2024")
    assert [r.relationship for r in restrictions_reaching(before, iri("hikvision-canada"))] == ["owner"]


def test_the_restriction_table_names_jurisdiction_target_and_action(network: nx.MultiDiGraph) -> None:
    rows = restriction_table(network)
    assert [(r["jurisdiction"], r["target"]) for r in rows] == [
        ("Canada", "Hikvision Canada Inc."),
        ("United States of America", "Hangzhou Hikvision Digital Technology Co., Ltd."),
        ("United States of America", "Huawei Technologies Co., Ltd."),
    ]
