"""The graph as a network: the networkx projection, names, paths with their sources, and network measures.

Everything here is derived from the store and the ontology's edge declarations; see `projection` for how
relation records and object properties become nodes and edges, and `paths` for how a path is explained. A
server keeps the projection in the compact form of `compact` and answers each date and edge filter from it
through `view`, materialising networkx graphs only of what a page shows.
"""

from __future__ import annotations

from graph.network.graphml import graphml_bytes
from graph.network.html import NetworkView, network_view
from graph.network.local_server import local_server
from graph.network.measures import ACTOR_CLASSES, Centrality, Community, centrality, communities, pagerank
from graph.network.names import AmbiguousNameError, UnknownNameError, resolve
from graph.network.ownership import (
    OwnershipChain,
    Restriction,
    ownership_chain,
    ownership_group,
    restriction_table,
    restrictions_reaching,
)
from graph.network.paths import (
    Citation,
    Hop,
    RelationPath,
    all_paths,
    find_paths,
    neighbourhood,
    shortest_path,
)
from graph.network.projection import project
from graph.network.records import Record, rdflib_records, sparql_json_records, to_records
from graph.network.session import TechCurbsGraph, memory_store, open_graph

__all__ = [
    "ACTOR_CLASSES",
    "AmbiguousNameError",
    "Centrality",
    "Citation",
    "Community",
    "Hop",
    "NetworkView",
    "OwnershipChain",
    "Record",
    "RelationPath",
    "Restriction",
    "TechCurbsGraph",
    "UnknownNameError",
    "all_paths",
    "centrality",
    "communities",
    "find_paths",
    "graphml_bytes",
    "local_server",
    "memory_store",
    "neighbourhood",
    "network_view",
    "open_graph",
    "ownership_chain",
    "ownership_group",
    "pagerank",
    "project",
    "rdflib_records",
    "resolve",
    "restriction_table",
    "restrictions_reaching",
    "shortest_path",
    "sparql_json_records",
    "to_records",
]
