"""Network measures: centrality, PageRank and communities, reproducible and reported by class."""

from __future__ import annotations

import networkx as nx
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from graph.network import ACTOR_CLASSES, centrality, communities, pagerank, to_records
from graph.network.measures import community_of
from graph.network.paths import simple_graph
from tests.graph.network.fixtures import iri


def test_pagerank_agrees_with_networkx_reference_implementation(network: nx.MultiDiGraph) -> None:
    for directed in (False, True):
        simple = simple_graph(network, directed=directed)
        ours = pagerank(simple)
        reference = _pagerank_python(simple, tol=1.0e-12)
        assert abs(sum(ours.values()) - 1.0) < 1.0e-9
        assert all(abs(ours[n] - reference[n]) < 1.0e-6 for n in simple)


def test_centrality_reports_actors_most_central_first(network: nx.MultiDiGraph) -> None:
    rows = centrality(network)
    simple = simple_graph(network, directed=False)
    betweenness = nx.betweenness_centrality(simple)
    assert [r.betweenness for r in rows] == sorted((r.betweenness for r in rows), reverse=True)
    assert {r.class_label for r in rows} <= {
        "company",
        "government body",
        "regulator",
        "person",
        "state",
        "sub-national jurisdiction",
    }
    assert iri("ca-2025-hikvision-wind-up") not in {r.iri for r in rows}
    top = rows[0]
    assert top.betweenness == max(betweenness[r.iri] for r in rows)
    assert top.degree == simple.degree(top.iri)
    assert len(centrality(network, classes=None)) == network.number_of_nodes()
    assert ACTOR_CLASSES


def test_centrality_can_rank_by_pagerank_and_be_cut(network: nx.MultiDiGraph) -> None:
    rows = centrality(network, by="pagerank", top=3)
    assert len(rows) == 3
    assert [r.pagerank for r in rows] == sorted((r.pagerank for r in rows), reverse=True)
    (record, *_) = to_records(rows)
    assert set(record) == {"iri", "label", "class", "degree", "degree_centrality", "betweenness", "pagerank"}


def test_communities_partition_the_nodes_and_repeat_exactly(network: nx.MultiDiGraph) -> None:
    found = communities(network)
    assert sorted(n for c in found for n in c.members) == sorted(network.nodes)
    assert [c.size for c in found] == sorted((c.size for c in found), reverse=True)
    assert found == communities(network)
    groups = community_of(found)
    assert groups[iri("cetc")] == groups[iri("cn-sasac")]
    greedy = communities(network, method="greedy")
    assert sorted(n for c in greedy for n in c.members) == sorted(network.nodes)
