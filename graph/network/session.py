"""One call to open the graph from a built store or straight from data directories, for notebooks and scripts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from graph.build import compile_data
from graph.network.builder import compact_projection
from graph.network.compact import CompactProjection
from graph.network.measures import ACTOR_CLASSES, Centrality, Community, Measure, centrality, communities
from graph.network.names import resolve
from graph.network.ownership import OwnershipChain, Restriction, ownership_chain, restrictions_reaching
from graph.network.paths import RelationPath, all_paths, find_paths
from graph.network.projection import SparqlStore
from graph.network.records import Record
from graph.network.view import ProjectionView
from graph.query import QueryError, term_text
from graph.remote import RemoteStore
from graph.store import open_store
from graph.vocab import DATA_DIR, PREFIXES


def memory_store(directories: Iterable[Path]) -> ox.Store:
    """The data directories compiled (and validated) as `techcurbs build` does, loaded into an in-memory store."""
    compiled = compile_data([Path(d) for d in directories])
    store = ox.Store()
    store.bulk_load(compiled.nquads, format=ox.RdfFormat.N_QUADS)
    return store


@dataclass
class TechCurbsGraph:
    """An opened graph: its store, projections of it (cached per option), names, paths and SPARQL.

    `store` is a pyoxigraph Store (built or in memory) or a `graph.remote.RemoteStore` for an endpoint.
    """

    store: SparqlStore
    origin: str
    _networks: dict[tuple[str, tuple[str, ...] | None], nx.MultiDiGraph] = field(default_factory=dict, repr=False)
    _compact: CompactProjection | None = field(default=None, repr=False)

    def network(self, *, as_of: str | None = None, relations: Iterable[str] | None = None) -> nx.MultiDiGraph:
        """The networkx projection (see `graph.network.project`); computed once per set of options, from one
        reading of the store."""
        wanted = tuple(sorted(relations)) if relations is not None else None
        key = (as_of or "", wanted)
        if key not in self._networks:
            if self._compact is None:
                self._compact = compact_projection(self.store)
            self._networks[key] = ProjectionView(self._compact, as_of, wanted).graph()
        return self._networks[key]

    def resolve(self, name: str) -> str:
        """The IRI of the entity called `name` (label, alias, identifier, record id or IRI)."""
        return resolve(self.network(), name)

    def label(self, iri: str) -> str:
        return str(self.network().nodes[iri]["label"])

    def paths(
        self,
        source: str,
        target: str,
        *,
        k: int = 3,
        max_hops: int = 6,
        directed: bool = False,
        as_of: str | None = None,
        relations: Iterable[str] | None = None,
        avoid: Iterable[str] = (),
        every: bool = False,
    ) -> list[RelationPath]:
        """Paths between two entities given by name or IRI: the k shortest, or `every` path up to max_hops.

        `avoid` lists classes a path may not pass through (see `graph.network.find_paths`).
        """
        g = self.network(as_of=as_of, relations=relations)
        a, b = self.resolve(source), self.resolve(target)
        if every:
            return all_paths(g, a, b, max_hops=max_hops, directed=directed, avoid=avoid)
        return find_paths(g, a, b, k=k, max_hops=max_hops, directed=directed, avoid=avoid)

    def ownership_chain(self, company: str, *, as_of: str | None = None) -> OwnershipChain:
        """The chain of controlling stakes from a company (by name or IRI) to its ultimate owner."""
        return ownership_chain(self.network(as_of=as_of), self.resolve(company))

    def restrictions_reaching(self, company: str, *, as_of: str | None = None) -> list[Restriction]:
        """The actions against a company (by name or IRI), its owners and its subsidiaries."""
        return restrictions_reaching(self.network(as_of=as_of), self.resolve(company))

    def centrality(
        self,
        *,
        as_of: str | None = None,
        classes: Iterable[str] | None = ACTOR_CLASSES,
        by: Measure = "betweenness",
        top: int | None = None,
    ) -> list[Centrality]:
        """Degree, betweenness and PageRank, most central first (see `graph.network.centrality`)."""
        return centrality(self.network(as_of=as_of), classes=classes, by=by, top=top)

    def communities(self, *, as_of: str | None = None) -> list[Community]:
        """Louvain communities with a fixed seed (see `graph.network.communities`)."""
        return communities(self.network(as_of=as_of))

    def query(self, sparql: str) -> list[Record]:
        """A SELECT query as records: one dict per row, values as text, None when unbound; prefixes predeclared."""
        try:
            result = self.store.query(sparql, prefixes=PREFIXES)
        except (SyntaxError, OSError) as exc:
            raise QueryError(str(exc)) from exc
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("query() takes SELECT queries; use .store.query() for ASK and CONSTRUCT")
        names = [v.value for v in result.variables]
        rows: list[Record] = []
        for solution in result:
            rows.append({n: None if solution[n] is None else term_text(solution[n]) for n in names})
        return rows


def open_graph(
    store: Path | str | ox.Store | None = None,
    data: Iterable[Path | str] | None = None,
    *,
    endpoint: str | None = None,
    timeout: float = 30.0,
) -> TechCurbsGraph:
    """Open the graph: a built store (a path or an opened Store), data directories compiled in memory, or the
    query URL of a SPARQL endpoint that serves a TechCurbs build (read through `graph.remote.RemoteStore`).

    With none, data/ is compiled in memory, so the graph is always that of the curated files as they are. On an
    endpoint, plain RDF files loaded into named graphs count only if the endpoint's default graph includes them.
    """
    if sum(x is not None for x in (store, data, endpoint)) > 1:
        raise ValueError("give one of a store, data directories or an endpoint, not several")
    if endpoint is not None:
        return TechCurbsGraph(store=RemoteStore(endpoint, timeout=timeout), origin=endpoint)
    if isinstance(store, ox.Store):
        return TechCurbsGraph(store=store, origin="store")
    if store is not None:
        return TechCurbsGraph(store=open_store(Path(store)), origin=str(store))
    directories = [Path(d) for d in data] if data is not None else [DATA_DIR]
    return TechCurbsGraph(store=memory_store(directories), origin=", ".join(str(d) for d in directories))
