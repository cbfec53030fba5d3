"""Resolving names: label, alias, short name, identifier, record id and IRI; ambiguity lists the candidates."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.network import AmbiguousNameError, UnknownNameError, resolve
from graph.vocab import ID, WD
from tests.graph.network.fixtures import iri


@pytest.mark.parametrize(
    ("name", "record_id"),
    [
        ("Hangzhou Hikvision Digital Technology Co., Ltd.", "hikvision"),
        ("hangzhou hikvision digital technology co., ltd.", "hikvision"),
        ("Hikvision", "hikvision"),
        ("  HIKVISION   digital technology ", "hikvision"),
        ("SZSE: 002415", "hikvision"),
        ("hikvision-canada", "hikvision-canada"),
        ("id:hikvision-canada", "hikvision-canada"),
        (f"{ID}cetc", "cetc"),
        ("Melanie Joly", "melanie-joly"),
        ("melanie joly", "melanie-joly"),
        ("Q148", "cn"),
        ("wd:Q148", "cn"),
        (f"{WD}Q148", "cn"),
        ("Meng Wanzhou", "meng-wanzhou"),
    ],
)
def test_resolve_finds_the_entity(network: nx.MultiDiGraph, name: str, record_id: str) -> None:
    assert resolve(network, name) == iri(record_id)


def test_resolve_works_on_a_store_too(network_store: ox.Store) -> None:
    assert resolve(network_store, "CETC HIK Group") == iri("cetc-hik-group")


def test_an_ambiguous_name_lists_its_candidates(network: nx.MultiDiGraph) -> None:
    with pytest.raises(AmbiguousNameError) as caught:
        resolve(network, "huawei canada")
    assert caught.value.candidates == [
        (iri("gong-hongjia"), "Gong Hongjia", "person"),
        (iri("huawei-canada"), "Huawei Technologies Canada Co., Ltd.", "company"),
    ]
    assert "Gong Hongjia" in str(caught.value)
    assert isinstance(caught.value, LookupError)


@pytest.mark.parametrize("name", ["Hikvision Mars", "", "own-cetc-hik-hikvision"])
def test_an_unknown_name_raises_a_lookup_error(network: nx.MultiDiGraph, name: str) -> None:
    with pytest.raises(UnknownNameError) as caught:
        resolve(network, name)
    assert isinstance(caught.value, LookupError)
    assert caught.value.name == name
