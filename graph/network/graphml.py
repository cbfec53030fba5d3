"""The network projection as GraphML, for Gephi, Cytoscape and yEd; the same build gives the same bytes."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

import networkx as nx

from graph.network.projection import project

if TYPE_CHECKING:
    from graph.backend import Backend


def flat(value: Any) -> Any:
    """A value GraphML can hold: lists of text joined with "; ", lists of dicts as JSON."""
    if isinstance(value, list | tuple):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(list(value), sort_keys=True, ensure_ascii=False)
    return value


def flattened(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the projection whose attributes are all scalars."""
    out = nx.MultiDiGraph(**{k: flat(v) for k, v in g.graph.items()})
    for node, attrs in g.nodes(data=True):
        out.add_node(node, **{k: flat(v) for k, v in attrs.items()})
    for u, v, key, attrs in g.edges(keys=True, data=True):
        out.add_edge(u, v, key=key, **{k: flat(v) for k, v in attrs.items()})
    return out


def graphml_bytes(store: Backend, *, as_of: str | None = None) -> bytes:
    """The projection of the store as GraphML (UTF-8), with list attributes flattened to text."""
    buffer = io.BytesIO()
    nx.write_graphml(flattened(project(store, as_of=as_of)), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()
