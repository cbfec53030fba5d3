"""View models of the explorer: each handler calls one function here, which calls `graph/` and shapes the answer.

The graph never changes between builds, so the explorer reads its network once per build, compactly (see
`graph.network.compact`), and answers every as-of date and edge filter from that one copy through views of it;
only the part a page shows is materialised as networkx. Name indexes, timeline items, path-search graphs and
drawings are kept per build too; the network, the name index and the timeline items also on disk, so that a
restarted server loads them instead of reading them again (see `api.explorer.snapshots`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode

import networkx as nx

from api.explorer.cache import LruCache
from api.explorer.netview import (
    DRAWN_AT_MOST,
    NetworkData,
    RelationOption,
    network_data,
    relation_iris,
    relation_options,
)
from api.explorer.snapshots import Snapshots
from api.state import AppState
from graph.entity import entity_page
from graph.entity_types import EntityNotFoundError, EntityPage
from graph.network import AmbiguousNameError, RelationPath, UnknownNameError
from graph.network.builder import compact_projection
from graph.network.compact import CompactProjection
from graph.network.names import NameLookup, written
from graph.network.view import ProjectionView
from graph.search import NamedEntity, NameIndex, name_index
from graph.timeline import (
    Figures,
    Timeline,
    TimelineFilter,
    TimelineItem,
    headline,
    timeline,
    timeline_items,
)
from graph.vocab import entity_iri

T = TypeVar("T")


class Explorer:
    """The explorer's view of the running app: its state and the caches derived from the build."""

    def __init__(self, state: AppState, maxsize: int = 32) -> None:
        self.state = state
        self._networks: LruCache[CompactProjection] = LruCache(1)
        self._lookups: LruCache[NameLookup] = LruCache(1)
        self._views: LruCache[ProjectionView] = LruCache(maxsize)
        # A search graph links every pair of linked nodes of a view: tens of megabytes for a large build.
        self._search_graphs: LruCache[nx.Graph] = LruCache(2)
        self._indexes: LruCache[NameIndex] = LruCache(1)
        self._drawings: LruCache[NetworkData] = LruCache(maxsize)
        self._items: LruCache[list[TimelineItem]] = LruCache(1)
        self._snapshots = Snapshots(state.settings.snapshot_path())

    @property
    def digest(self) -> str:
        return self.state.build.digest

    def network(self) -> CompactProjection:
        """The build's whole network, read once."""
        return self._networks.get(self.digest, lambda: self._kept("network", CompactProjection, self._read_network))

    def _read_network(self) -> CompactProjection:
        return compact_projection(self.state.store, self.state.ontology)

    def _kept(self, name: str, kind: type[T], derive: Callable[[], T]) -> T:
        """What `derive` reads from the store, from the build's snapshot when a restarted server has one."""
        return self._snapshots.get(self.digest, name, kind, derive)

    def view(self, as_of: str | None = None, relations: frozenset[str] | None = None) -> ProjectionView:
        """The network as of a date and with some kinds of edge, without a copy of it."""
        key = (self.digest, as_of, relations)
        return self._views.get(key, lambda: ProjectionView(self.network(), as_of, relations))

    def search_graph(self, view: ProjectionView) -> nx.Graph:
        """The graph paths are searched on in a view."""
        return self._search_graphs.get((self.digest, view.as_of, view.relations), view.search_graph)

    def lookup(self) -> NameLookup:
        """Every name of every node of the network, for finding the entity a name in a form means."""
        return self._lookups.get(self.digest, lambda: NameLookup(self.network()))

    def drawing(self, key: tuple[object, ...], build: Callable[[], NetworkData]) -> NetworkData:
        """A network view model, laid out once per build and view."""
        return self._drawings.get((self.digest, *key), build)

    def items(self) -> list[TimelineItem]:
        """Every dated action and event of the build."""
        return self._items.get(self.digest, lambda: self._kept("items", list, self._read_items))

    def _read_items(self) -> list[TimelineItem]:
        return timeline_items(self.state.store)

    def names(self) -> NameIndex:
        return self._indexes.get(self.digest, lambda: self._kept("names", NameIndex, self._read_names))

    def _read_names(self) -> NameIndex:
        return name_index(self.state.store, self.state.ontology)

    def entity(self, rid: str) -> NamedEntity:
        found = self.names().by_id.get(rid)
        if found is None:
            raise EntityNotFoundError(rid)
        return found


def clean(value: str | None) -> str | None:
    """Empty form fields mean "not set"."""
    return value or None


@dataclass(frozen=True)
class HomeView:
    figures: Figures
    latest: list[TimelineItem]
    entities: int


def home_view(ex: Explorer) -> HomeView:
    figures, latest = headline(ex.state.store, items=ex.items())
    return HomeView(figures, latest, len(ex.names()))


@dataclass(frozen=True)
class SearchHit:
    id: str
    label: str
    matched: str | None
    type: str
    country: str
    colour: str
    url: str


def search_view(ex: Explorer, q: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            id=s.entity.id,
            label=s.entity.label,
            matched=s.matched,
            type=s.entity.class_label,
            country=s.entity.country,
            colour=s.entity.colour,
            url=f"/entity/{s.entity.id}",
        )
        for s in ex.names().search(q, limit)
    ]


def entity_view(ex: Explorer, rid: str, as_of: str | None) -> EntityPage:
    as_of = clean(as_of)
    view = ex.view(as_of)
    return entity_page(
        ex.state.store,
        view.surroundings(str(entity_iri(rid))),
        ex.state.ontology,
        rid,
        as_of=as_of,
        items=ex.items(),
        in_view=view,
    )


@dataclass(frozen=True)
class NetworkView:
    centre: NamedEntity | None
    depth: int
    as_of: str | None
    relations: list[str] | None
    options: list[RelationOption]
    data: NetworkData
    query: str

    @property
    def title(self) -> str:
        return f"Network of {self.centre.label}" if self.centre else "The whole network"


def _query(**params: str | int | list[str] | None) -> str:
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if isinstance(value, list):
            pairs.extend((name, v) for v in value)
        elif value not in (None, ""):
            pairs.append((name, str(value)))
    return urlencode(pairs)


def network_view(
    ex: Explorer, entity: str | None, depth: int, as_of: str | None, relations: list[str] | None
) -> NetworkView:
    """The neighbourhood of an entity (or the whole graph) at a date, with only the chosen kinds of edge."""
    entity, as_of = clean(entity), clean(as_of)
    ontology = ex.state.ontology
    kinds = relation_iris(ontology, relations)
    centre = ex.entity(entity) if entity else None

    def draw() -> NetworkData:
        view = ex.view(as_of, kinds)
        if centre is None:
            return network_data(view.busiest(DRAWN_AT_MOST), ontology, None)
        if centre.iri not in view:
            return network_data(nx.MultiDiGraph(), ontology, None)
        return network_data(view.neighbourhood(centre.iri, depth, DRAWN_AT_MOST), ontology, centre.iri)

    data = ex.drawing(("network", entity, depth, as_of, kinds), draw)
    query = _query(entity=entity, depth=depth, as_of=as_of, rel=relations or None)
    return NetworkView(centre, depth, as_of, relations, relation_options(ontology, relations), data, query)


@dataclass(frozen=True)
class Candidate:
    id: str
    label: str
    type: str


@dataclass(frozen=True)
class PathsView:
    source: NamedEntity | None
    target: NamedEntity | None
    source_text: str
    target_text: str
    k: int
    max_hops: int
    as_of: str | None
    paths: list[RelationPath]
    data: NetworkData | None
    message: str
    candidates: dict[str, list[Candidate]]
    query: str
    node_vias: tuple[str, ...] = ()


def _resolve(
    ex: Explorer, view: ProjectionView, text: str, candidates: dict[str, list[Candidate]], side: str
) -> NamedEntity | None:
    try:
        iri = ex.lookup().match(written(text), view.has_node)
    except AmbiguousNameError as exc:
        candidates[side] = [Candidate(c_iri.rsplit("/", 1)[-1], label, cls) for c_iri, label, cls in exc.candidates]
        return None
    except UnknownNameError:
        hits = ex.names().search(text, 5)
        candidates[side] = [Candidate(h.entity.id, h.entity.label, h.entity.class_label) for h in hits]
        return None
    return ex.names().by_iri.get(iri)


def paths_view(
    ex: Explorer, source: str | None, target: str | None, k: int, max_hops: int, as_of: str | None
) -> PathsView:
    """The k shortest paths between two entities (ids or names), hop by hop, drawn and cited."""
    source_text, target_text, as_of = (source or "").strip(), (target or "").strip(), clean(as_of)
    view = ex.view(as_of)
    candidates: dict[str, list[Candidate]] = {}
    src = _resolve(ex, view, source_text, candidates, "from") if source_text else None
    tgt = _resolve(ex, view, target_text, candidates, "to") if target_text else None
    query = _query(
        **{"from": src.id if src else source_text, "to": tgt.id if tgt else target_text},
        k=k,
        max_hops=max_hops,
        as_of=as_of,
    )
    paths: list[RelationPath] = []
    message = ""
    data = None
    if src is None or tgt is None:
        message = "Choose two entities." if not candidates else "Pick the entity you mean."
    elif src.iri not in view or tgt.iri not in view:
        message = f"One of them is not in the graph as of {as_of}."
    else:
        paths = view.paths(src.iri, tgt.iri, k=k, max_hops=max_hops, simple=ex.search_graph(view))
        if not paths:
            message = f"No path of at most {max_hops} hops connects {src.label} and {tgt.label}."
        else:
            g = view.along(p.nodes for p in paths)
            keys = {
                (h.source, h.target, h.key) if h.forward else (h.target, h.source, h.key) for p in paths for h in p.hops
            }
            sub = nx.MultiDiGraph()
            for u, v, key in sorted(keys):
                sub.add_node(u, **g.nodes[u])
                sub.add_node(v, **g.nodes[v])
                sub.add_edge(u, v, key=key, **g.edges[u, v, key])
            data = network_data(sub, ex.state.ontology, src.iri, fold=False)
    vias = tuple(sorted({h.via for p in paths for h in p.hops if h.via in view}))
    return PathsView(
        src, tgt, source_text, target_text, k, max_hops, as_of, paths, data, message, candidates, query, vias
    )


@dataclass(frozen=True)
class TimelineView:
    timeline: Timeline
    filter: TimelineFilter
    query: str


def timeline_view(ex: Explorer, filt: TimelineFilter) -> TimelineView:
    cleaned = TimelineFilter(
        *(clean(getattr(filt, f)) for f in ("jurisdiction", "target", "type", "start", "end", "as_of"))
    )
    query = _query(
        jurisdiction=cleaned.jurisdiction,
        target=cleaned.target,
        type=cleaned.type,
        **{"from": cleaned.start, "to": cleaned.end},
        as_of=cleaned.as_of,
    )
    return TimelineView(timeline(ex.state.store, cleaned, ex.items()), cleaned, query)
