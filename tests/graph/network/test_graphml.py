"""The GraphML export: the projection with flat attributes, byte-identical for the same store."""

from __future__ import annotations

import io
import json

import networkx as nx
import pyoxigraph as ox

from graph.export import export_graph
from graph.network import graphml_bytes
from tests.graph.network.fixtures import iri


def test_graphml_round_trips_the_projection(network_store: ox.Store, network: nx.MultiDiGraph) -> None:
    data = graphml_bytes(network_store)
    assert data == graphml_bytes(network_store)
    assert data == export_graph(network_store, "graphml")
    read = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert set(read.nodes) == set(network.nodes)
    assert read.number_of_edges() == network.number_of_edges()
    assert read.nodes[iri("hikvision")]["aliases"] == "Hikvision; Hikvision Digital Technology"
    edge = read.edges[
        iri("cetc-hik-group"), iri("hikvision"), "Ownership:own-cetc-hik-hikvision:cetc-hik-group>hikvision"
    ]
    assert [s["publisher"] for s in json.loads(edge["sources"])] == ["Caixin Global"]
