"""The network tests' store and projection, built once from `fixtures.FIXTURE`."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from graph.network import project
from graph.network.session import memory_store
from tests.graph.network.fixtures import FIXTURE


@pytest.fixture(scope="session")
def network_store() -> ox.Store:
    return memory_store([FIXTURE])


@pytest.fixture(scope="session")
def network(network_store: ox.Store) -> nx.MultiDiGraph:
    return project(network_store)
