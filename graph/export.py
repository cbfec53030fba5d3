"""Whole-graph downloads in the RDF formats people load elsewhere, byte-identical for the same build."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.vocab import PREFIXES

if TYPE_CHECKING:
    from graph.backend import Backend


def export_graph(store: Backend, fmt: str) -> bytes:
    """The whole dataset as N-Quads (sorted), TriG or JSON-LD; Turtle holds the default graph only."""
    if fmt == "nq":
        data = store.dump(format=ox.RdfFormat.N_QUADS)
        assert isinstance(data, bytes)
        return b"".join(sorted(data.splitlines(keepends=True)))
    if fmt == "graphml":
        from graph.network import graphml_bytes

        return graphml_bytes(store)
    formats = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD}
    if fmt not in formats:
        raise ValueError(f"unknown export format {fmt!r} (known: nq, ttl, trig, jsonld, graphml)")
    from_graph = ox.DefaultGraph() if fmt == "ttl" else None
    prefixes = PREFIXES if fmt in ("ttl", "trig") else None
    data = store.dump(format=formats[fmt], from_graph=from_graph, prefixes=prefixes)
    assert isinstance(data, bytes)
    return data
