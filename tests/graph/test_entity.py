"""The entity page of `graph.entity`: relations from the projection, ownership, restrictions, claims, as-of."""

from __future__ import annotations

import itertools

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.entity import entity_page
from graph.entity_types import EntityNotFoundError
from graph.network import project
from graph.ontology import load_ontology

ONTOLOGY = load_ontology()


@pytest.fixture(scope="module")
def projection(curated_store: ox.Store) -> nx.MultiDiGraph:
    return project(curated_store)


def test_relations_are_the_edges_of_the_projection(curated_store: ox.Store, projection: nx.MultiDiGraph) -> None:
    page = entity_page(curated_store, projection, ONTOLOGY, "hikvision-canada")
    iri = page.ref.iri
    edges = projection.in_degree(iri) + projection.out_degree(iri)
    assert sum(len(g.relations) for g in page.relation_groups) == edges
    neighbours = set(projection.predecessors(iri)) | set(projection.successors(iri))
    assert page.neighbours == len(neighbours)
    assert {g.direction for g in page.relation_groups} == {"in", "out"}


def test_every_relation_is_cited_or_marked_unverified(curated_store: ox.Store, projection: nx.MultiDiGraph) -> None:
    page = entity_page(curated_store, projection, ONTOLOGY, "hikvision")
    for group in page.relation_groups:
        for relation in group.relations:
            assert relation.citations or relation.confidence == "unverified"
            assert all(c.url.startswith("http") for c in relation.citations)


def test_the_ownership_chain_runs_up_to_an_owner_nobody_owns(
    curated_store: ox.Store, projection: nx.MultiDiGraph
) -> None:
    page = entity_page(curated_store, projection, ONTOLOGY, "hikvision-canada")
    chain = page.ownership_chain
    assert chain[0].owned.id == "hikvision-canada" and chain[0].owner.id == "hikvision"
    for lower, upper in itertools.pairwise(chain):
        assert lower.owner == upper.owned
    assert page.ultimate_owner == chain[-1].owner
    top = page.ultimate_owner
    assert top is not None
    top_page = entity_page(curated_store, projection, ONTOLOGY, top.id)
    assert top_page.ownership_chain == ()


def test_restrictions_reach_parents_and_subsidiaries(curated_store: ox.Store, projection: nx.MultiDiGraph) -> None:
    child = entity_page(curated_store, projection, ONTOLOGY, "hikvision-canada")
    reaches = {(r.action.ref.id, r.reach) for r in child.restrictions}
    assert ("ca-2025-hikvision-wind-up", "this entity") in reaches
    assert any(reach == "a parent" for _, reach in reaches)
    parent = entity_page(curated_store, projection, ONTOLOGY, "hikvision")
    assert ("ca-2025-hikvision-wind-up", "a subsidiary") in {(r.action.ref.id, r.reach) for r in parent.restrictions}


def test_claims_where_sources_disagree_are_kept_side_by_side(
    curated_store: ox.Store, projection: nx.MultiDiGraph
) -> None:
    page = entity_page(curated_store, projection, ONTOLOGY, "hikvision-canada")
    group = next(g for g in page.claims if g.property_label == "operating since")
    assert group.disagree and {c.value for c in group.claims} >= {"2014", "2015"}
    assert all(c.citations for c in group.claims)
    stake = entity_page(curated_store, projection, ONTOLOGY, "hikvision")
    assert any(g.property_label == "share" and g.subject.id == "own-cetc-hik-hikvision" for g in stake.claims)


def test_as_of_hides_later_events_and_relations(curated_store: ox.Store) -> None:
    as_of = "2025-07-01"
    page = entity_page(curated_store, project(curated_store, as_of=as_of), ONTOLOGY, "hikvision-canada", as_of=as_of)
    assert page.timeline and all(item.date <= as_of for item in page.timeline)
    assert "ev-2025-fc-stay-refused" not in {item.ref.id for item in page.timeline}
    others = {r.other.id for g in page.relation_groups for r in g.relations}
    assert "ev-2025-fc-stay-refused" not in others


def test_a_record_that_is_not_a_node_still_has_a_page(curated_store: ox.Store, projection: nx.MultiDiGraph) -> None:
    page = entity_page(curated_store, projection, ONTOLOGY, "own-hikvision-hikvision-canada")
    assert not page.is_node and page.class_label == "ownership"
    assert {f.label for f in page.facts} >= {"owner", "owned", "share"}
    assert page.citations


def test_identifiers_become_links(curated_store: ox.Store, projection: nx.MultiDiGraph) -> None:
    page = entity_page(curated_store, projection, ONTOLOGY, "hikvision")
    assert any(link.value.startswith("SZSE") for link in page.links)


def test_an_unknown_id_is_an_error(curated_store: ox.Store, projection: nx.MultiDiGraph) -> None:
    with pytest.raises(EntityNotFoundError):
        entity_page(curated_store, projection, ONTOLOGY, "no-such-record")
