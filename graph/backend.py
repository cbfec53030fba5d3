"""Where the graph lives: the embedded Oxigraph store (default) or any SPARQL 1.1 endpoint.

Everything that reads the graph (the API, the explorer, the Python API) asks `open_backend` and then only calls
`query`, so the same code runs on either.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from graph.remote import RemoteStore
from graph.store import BuildInfo, build_info, open_store

Backend = ox.Store | RemoteStore


def open_backend(store: Path, endpoint: str = "", timeout: float = 10.0) -> Backend:
    """The remote endpoint when one is named, else the published store opened read-only."""
    if endpoint:
        return RemoteStore(endpoint, timeout=timeout)
    return open_store(store)


def backend_build_info(backend: Backend, store: Path, endpoint: str = "") -> BuildInfo:
    """What the backend serves: the build record of a local store, or a fingerprint of a remote dataset.

    A remote dataset has no build record; its size and endpoint stand in for one, so that answers cached or
    tagged for one dataset are not served for another.
    """
    if not endpoint:
        return build_info(store)
    quads = len(backend)
    digest = hashlib.sha256(f"{endpoint}\n{quads}".encode()).hexdigest()
    return BuildInfo(digest=digest, quads=quads, records=0, named_graphs=[], sources=[endpoint])
