"""Views of the compact projection answer exactly as the networkx projection does, from one reading of the store.

Each test sets a view beside `project` for the same date and edge kinds, on the curated data and on a small
synthetic data set (`benchmarks.generate`, which has deep ownership trees and many actions).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from benchmarks.generate import generate
from graph.entity import entity_page
from graph.network import AmbiguousNameError, UnknownNameError, find_paths, neighbourhood, project, resolve
from graph.network.builder import compact_projection
from graph.network.compact import CompactProjection
from graph.network.names import NameLookup, written
from graph.network.paths import simple_graph
from graph.network.session import memory_store
from graph.network.view import ProjectionView
from graph.ontology import load_ontology
from graph.timeline import timeline_items
from graph.vocab import ID, TC

ONTOLOGY = load_ontology()
DATES = [None, "2019", "2020-01-01", "2025-07"]
RELATIONS = [None, [str(TC.Ownership)], [str(TC.RegulatoryAction), str(TC.country)], [str(TC.issuer)]]


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    data = tmp_path_factory.mktemp("synthetic")
    generate(6000, Path(data))
    return memory_store([data])


@pytest.fixture(scope="module", params=["curated", "synthetic"])
def store(request: pytest.FixtureRequest, curated_store: ox.Store, synthetic_store: ox.Store) -> ox.Store:
    return curated_store if request.param == "curated" else synthetic_store


@pytest.fixture(scope="module")
def compact(store: ox.Store) -> CompactProjection:
    return compact_projection(store, ONTOLOGY)


def listed(g: nx.MultiDiGraph) -> tuple[Any, ...]:
    """Everything about a graph that anyone can see, in the order they see it."""
    return (
        dict(g.graph),
        list(g.nodes(data=True)),
        list(g.edges(keys=True, data=True)),
        [list(g.in_edges(n, keys=True)) for n in g.nodes],
    )


@pytest.mark.parametrize("as_of", DATES)
@pytest.mark.parametrize("relations", RELATIONS)
def test_a_view_is_the_projection_of_its_date_and_kinds(
    store: ox.Store, compact: CompactProjection, as_of: str | None, relations: list[str] | None
) -> None:
    assert listed(ProjectionView(compact, as_of, relations).graph()) == listed(
        project(store, as_of=as_of, relations=relations)
    )


def test_an_unknown_relation_is_refused(compact: CompactProjection) -> None:
    with pytest.raises(ValueError, match="not an edge kind"):
        ProjectionView(compact, relations=[str(TC.share)])


@pytest.mark.parametrize("as_of", [None, "2020-01-01"])
def test_a_neighbourhood_in_a_view_is_the_neighbourhood_in_the_projection(
    store: ox.Store, compact: CompactProjection, as_of: str | None
) -> None:
    whole = project(store, as_of=as_of)
    view = ProjectionView(compact, as_of)
    for node in list(whole.nodes)[::5]:
        for depth in (1, 2):
            assert listed(view.neighbourhood(node, depth)) == listed(neighbourhood(whole, node, depth))
    with pytest.raises(nx.NodeNotFound):
        view.neighbourhood(f"{ID}nobody")


def edges_among(g: nx.MultiDiGraph, nodes: Any) -> list[tuple[str, str, str]]:
    return sorted(g.subgraph(nodes).edges(keys=True))


def test_a_limited_neighbourhood_keeps_the_nearest_then_the_busiest_nodes(
    store: ox.Store, compact: CompactProjection
) -> None:
    whole = project(store)
    view = ProjectionView(compact)
    cut_any = False
    for node in list(whole.nodes)[::7]:
        full = neighbourhood(whole, node, 2)
        if len(full) < 4:
            assert listed(view.neighbourhood(node, 2, 4)) == listed(full), "nothing to leave out"
            continue
        limit = len(full) // 2
        cut = view.neighbourhood(node, 2, limit)
        cut_any = True
        assert len(cut) == limit and node in cut
        assert cut.graph["total_nodes"] == len(full)
        assert sorted(cut.edges(keys=True)) == edges_among(full, cut.nodes)
        hops = nx.single_source_shortest_path_length(nx.Graph(full.to_undirected()), node)
        left_out = [n for n in full if n not in cut]
        assert max(hops[n] for n in cut) <= min(hops[n] for n in left_out), "a nearer node was left out"
        last = max(hops[n] for n in cut)
        rivals = [whole.degree(n) for n in left_out if hops[n] == last]
        if rivals:
            assert min(whole.degree(n) for n in cut if hops[n] == last) >= max(rivals)
    assert cut_any


def test_the_busiest_nodes_stand_for_a_view_too_large_to_draw(store: ox.Store, compact: CompactProjection) -> None:
    whole = project(store)
    view = ProjectionView(compact)
    assert listed(view.busiest(len(whole))) == listed(whole)
    limit = len(whole) // 3
    cut = view.busiest(limit)
    assert len(cut) == limit and cut.graph["total_nodes"] == len(whole)
    assert min(whole.degree(n) for n in cut) >= max(whole.degree(n) for n in whole if n not in cut)
    assert sorted(cut.edges(keys=True)) == edges_among(whole, cut.nodes)


@pytest.mark.parametrize("as_of", [None, "2020-01-01"])
def test_the_search_graph_of_a_view_is_the_simple_graph_of_the_projection(
    store: ox.Store, compact: CompactProjection, as_of: str | None
) -> None:
    expected = simple_graph(project(store, as_of=as_of), directed=False)
    found = ProjectionView(compact, as_of).search_graph()
    assert list(found.nodes) == list(expected.nodes)
    assert [list(found.adj[n]) for n in found] == [list(expected.adj[n]) for n in expected]
    assert nx.is_frozen(found)


@pytest.mark.parametrize("as_of", [None, "2020-01-01"])
def test_paths_in_a_view_are_the_paths_in_the_projection(
    store: ox.Store, compact: CompactProjection, as_of: str | None
) -> None:
    whole = project(store, as_of=as_of)
    view = ProjectionView(compact, as_of)
    nodes = list(whole.nodes)
    simple = view.search_graph()
    for source, target in zip(nodes[::11], nodes[5::13], strict=False):
        expected = find_paths(whole, source, target, k=3, max_hops=5)
        assert view.paths(source, target, k=3, max_hops=5, simple=simple) == expected
        assert view.paths(source, target, k=3, max_hops=5) == expected


@pytest.mark.parametrize("as_of", [None, "2020-01-01"])
def test_an_entity_page_read_from_the_surroundings_is_the_page_read_from_the_projection(
    store: ox.Store, compact: CompactProjection, as_of: str | None
) -> None:
    whole = project(store, as_of=as_of)
    view = ProjectionView(compact, as_of)
    items = timeline_items(store)
    records = sorted({str(a["via"]) for _, _, a in whole.edges(data=True) if a["via"]})
    for iri in list(whole.nodes)[::4] + records[::6]:
        rid = iri.removeprefix(str(ID))
        expected = entity_page(store, whole, ONTOLOGY, rid, as_of=as_of, items=items)
        part = view.surroundings(iri)
        assert entity_page(store, part, ONTOLOGY, rid, as_of=as_of, items=items, in_view=view) == expected
        assert part.number_of_nodes() <= whole.number_of_nodes()


def names_to_try(g: nx.MultiDiGraph) -> list[str]:
    names = ["", "  ", "nobody at all", "huawei canada", "Q148", "wd:Q148", "id:hikvision-canada", "id:co-1"]
    for iri, attrs in list(g.nodes(data=True))[::5]:
        names += [iri, str(attrs["record_id"]), f"  {str(attrs['label']).upper()} ", *attrs["aliases"]]
        names += attrs["identifiers"]
    return names


def outcome(find: Any, name: str) -> tuple[str, object]:
    try:
        return "found", find(name)
    except AmbiguousNameError as error:
        return "ambiguous", (error.name, error.candidates)
    except UnknownNameError as error:
        return "unknown", error.name


@pytest.mark.parametrize("as_of", [None, "2019"])
def test_the_name_lookup_finds_what_resolve_finds(
    store: ox.Store, compact: CompactProjection, as_of: str | None
) -> None:
    whole = project(store, as_of=as_of)
    view = ProjectionView(compact, as_of)
    lookup = NameLookup(compact)
    for name in names_to_try(project(store)):
        expected = outcome(lambda n: resolve(whole, n), name)
        assert outcome(lambda n: lookup.match(written(n), view.has_node), name) == expected, name
