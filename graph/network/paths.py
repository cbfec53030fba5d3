"""How two entities are connected: shortest, k shortest and all simple paths, each hop told as a cited sentence.

Paths are searched on a simple graph (one link per pair of nodes, direction kept or not), then each hop is
expanded back to the best cited edge between its two nodes: verified before unverified, an edge stated by a
relation record before a leg or a plain property, more sources first, then by key so the choice is stable.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import networkx as nx
from rdflib import URIRef

from graph.network.records import Record
from graph.ontology import load_ontology

KIND_RANK = {"record": 0, "leg": 1, "property": 2}


@dataclass(frozen=True, slots=True)
class Citation:
    """A source document as cited under a hop."""

    url: str
    title: str
    publisher: str
    published: str

    def short(self) -> str:
        """`Publisher, date` (or the title when there is no publisher)."""
        who = self.publisher or self.title or self.url
        return f"{who}, {self.published}" if self.published else who


@dataclass(frozen=True)
class Hop:
    """One step of a path, read in the path's direction, with the edge that supports it."""

    source: str
    target: str
    source_label: str
    target_label: str
    relation: str
    label: str
    forward: bool
    sentence: str
    sources: tuple[Citation, ...]
    confidence: str
    via: str = ""
    via_label: str = ""
    key: str = ""

    def to_record(self) -> Record:
        return {
            "source": self.source,
            "source_label": self.source_label,
            "label": self.label,
            "target": self.target,
            "target_label": self.target_label,
            "relation": self.relation,
            "forward": self.forward,
            "via": self.via,
            "via_label": self.via_label,
            "confidence": self.confidence,
            "sentence": self.sentence,
            "sources": "; ".join(c.short() for c in self.sources),
            "urls": " ".join(c.url for c in self.sources),
        }


@dataclass(frozen=True)
class RelationPath:
    """A path from its first node to its last, hop by hop."""

    nodes: tuple[str, ...]
    hops: tuple[Hop, ...]

    def __len__(self) -> int:
        return len(self.hops)

    @property
    def labels(self) -> tuple[str, ...]:
        if not self.hops:
            return ()
        return (self.hops[0].source_label, *(h.target_label for h in self.hops))

    def revisits_a_record(self) -> bool:
        """True when the path passes through an action or event and also takes a shortcut edge made from it.

        Such a path says the same thing twice (the FCC's order, then the FCC by that order), so path searches
        leave it out in favour of the path that takes either the record or the shortcut.
        """
        return any(hop.via in self.nodes and hop.via not in (hop.source, hop.target) for hop in self.hops)

    def explain(self) -> str:
        """The path as numbered sentences, one per hop, each with its citations."""
        return "\n".join(f"{i}. {hop.sentence}" for i, hop in enumerate(self.hops, start=1))

    def to_records(self) -> list[Record]:
        return [{"hop": i, **hop.to_record()} for i, hop in enumerate(self.hops, start=1)]


def details(attrs: dict[str, Any], *, via_is_node: bool) -> str:
    """What qualifies a hop, in brackets: a stake's share and date, a post's role, the action or event it came by."""
    parts: list[str] = []
    if attrs.get("share"):
        parts.append(f"{attrs['share']}%")
    if attrs.get("role"):
        parts.append(f"as {attrs['role']}")
    if attrs.get("kind") == "record" and via_is_node:
        parts.append(str(attrs["via_label"]))
    start, end = attrs.get("start", ""), attrs.get("end", "")
    if attrs.get("as_of"):
        parts.append(f"as of {attrs['as_of']}")
    if start and end:
        parts.append(f"{start} to {end}")
    elif start:
        parts.append(start if via_is_node else f"from {start}")
    elif end:
        parts.append(f"until {end}")
    return f" ({', '.join(parts)})" if parts else ""


def citations(attrs: dict[str, Any]) -> tuple[Citation, ...]:
    return tuple(
        Citation(**{k: str(s.get(k, "")) for k in ("url", "title", "publisher", "published")})
        for s in attrs.get("sources", [])
    )


def sentence(source_label: str, verb: str, target_label: str, attrs: dict[str, Any], *, via_is_node: bool) -> str:
    """`A verb B (details) [Publisher, date; …]`, marked when unverified."""
    cited = citations(attrs)
    text = f"{source_label} {verb} {target_label}{details(attrs, via_is_node=via_is_node)}"
    if cited:
        text += f" [{'; '.join(c.short() for c in cited)}]"
    else:
        text += " [no source]"
    if attrs.get("confidence") == "unverified":
        text += " (unverified)"
    return text


def make_hop(g: nx.MultiDiGraph, u: str, v: str, key: str, forward: bool) -> Hop:
    """The hop from u to v over the edge `key`, which runs u -> v when `forward`, else v -> u."""
    attrs = g.edges[(u, v, key) if forward else (v, u, key)]
    verb = attrs["label"] if forward else attrs["inverse_label"]
    u_label, v_label = g.nodes[u]["label"], g.nodes[v]["label"]
    return Hop(
        source=u,
        target=v,
        source_label=u_label,
        target_label=v_label,
        relation=attrs["relation"],
        label=verb,
        forward=forward,
        sentence=sentence(u_label, verb, v_label, attrs, via_is_node=bool(attrs["via"]) and attrs["via"] in g),
        sources=citations(attrs),
        confidence=attrs["confidence"],
        via=attrs["via"],
        via_label=attrs["via_label"],
        key=key,
    )


def best_hop(g: nx.MultiDiGraph, u: str, v: str, *, directed: bool) -> Hop:
    """The best cited edge between u and v (see the module docstring)."""
    options: list[tuple[tuple[Any, ...], str, bool]] = []
    for key, attrs in (g.get_edge_data(u, v) or {}).items():
        options.append((_rank(attrs, key, True), key, True))
    if not directed:
        for key, attrs in (g.get_edge_data(v, u) or {}).items():
            options.append((_rank(attrs, key, False), key, False))
    if not options:
        raise nx.NetworkXNoPath(f"no edge between {u} and {v}")
    _, key, forward = min(options)
    return make_hop(g, u, v, key, forward)


def _rank(attrs: dict[str, Any], key: str, forward: bool) -> tuple[Any, ...]:
    return (
        attrs.get("confidence") != "verified",
        KIND_RANK.get(attrs.get("kind", ""), 3),
        -len(attrs.get("sources", [])),
        not forward,
        key,
    )


def is_a(g: nx.MultiDiGraph, node: str, classes: Iterable[str]) -> bool:
    """Whether a node is an instance of one of the classes, or of a subclass of one."""
    wanted = set(classes)
    return bool(wanted) and bool(wanted & superclasses(str(g.nodes[node].get("cls", ""))))


@cache
def superclasses(cls: str) -> frozenset[str]:
    return frozenset(str(c) for c in load_ontology().tc_superclasses(URIRef(cls))) if cls else frozenset()


def simple_graph(
    g: nx.MultiDiGraph, *, directed: bool, avoid: Iterable[str] = (), keep: Iterable[str] = ()
) -> nx.Graph:
    """One link per pair of nodes, for path search, without the nodes of the `avoid` classes (except `keep`)."""
    avoided = set(avoid)
    kept = set(keep)
    nodes = [n for n in g.nodes if n in kept or not is_a(g, n, avoided)]
    simple: nx.Graph = nx.DiGraph() if directed else nx.Graph()
    simple.add_nodes_from(nodes)
    inside = set(nodes)
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v and u in inside and v in inside)
    return simple


def expand(g: nx.MultiDiGraph, nodes: list[str], *, directed: bool) -> RelationPath:
    """A node sequence as a path of cited hops."""
    hops = tuple(best_hop(g, u, v, directed=directed) for u, v in itertools.pairwise(nodes))
    return RelationPath(nodes=tuple(nodes), hops=hops)


def _check(g: nx.MultiDiGraph, *names: str) -> None:
    for name in names:
        if name not in g:
            raise nx.NodeNotFound(f"{name} is not a node of this graph (resolve names with resolve())")


def find_paths(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    k: int = 3,
    max_hops: int = 6,
    directed: bool = False,
    avoid: Iterable[str] = (),
) -> list[RelationPath]:
    """The k shortest simple paths from source to target, of at most max_hops hops, shortest first.

    Undirected by default: a hop may follow an edge against its direction and is then read with the inverse
    label ("is owned by"). `avoid` names classes whose instances a path may not pass through (it may still
    start or end at one): avoiding tc:Jurisdiction skips "both are based in China" shortcuts. An empty list
    means no path within the limit.
    """
    _check(g, source, target)
    if source == target:
        return [RelationPath(nodes=(source,), hops=())]
    simple = simple_graph(g, directed=directed, avoid=avoid, keep=(source, target))
    return shortest_paths(simple, source, target, lambda nodes: expand(g, nodes, directed=directed), k, max_hops)


def shortest_paths(
    simple: nx.Graph,
    source: str,
    target: str,
    explain: Callable[[list[str]], RelationPath],
    k: int,
    max_hops: int,
) -> list[RelationPath]:
    """The k shortest paths of at most max_hops hops in a search graph (see `simple_graph`), each explained by
    `explain`, leaving out those that take a record and the shortcut made from it (see `revisits_a_record`)."""
    found: list[RelationPath] = []
    try:
        for nodes in nx.shortest_simple_paths(simple, source, target):
            if len(nodes) - 1 > max_hops or len(found) >= k:
                break
            path = explain(nodes)
            if not path.revisits_a_record():
                found.append(path)
    except nx.NetworkXNoPath:
        return []
    return found


def shortest_path(
    g: nx.MultiDiGraph, source: str, target: str, *, directed: bool = False, avoid: Iterable[str] = ()
) -> RelationPath | None:
    """The shortest path, or None when the two are not connected."""
    paths = find_paths(g, source, target, k=1, max_hops=len(g), directed=directed, avoid=avoid)
    return paths[0] if paths else None


def all_paths(
    g: nx.MultiDiGraph,
    source: str,
    target: str,
    *,
    max_hops: int = 4,
    directed: bool = False,
    avoid: Iterable[str] = (),
    limit: int = 1000,
) -> list[RelationPath]:
    """Every simple path of at most max_hops hops (the first `limit` found), shortest first, then by labels."""
    _check(g, source, target)
    simple = simple_graph(g, directed=directed, avoid=avoid, keep=(source, target))
    node_paths: Iterator[list[str]] = nx.all_simple_paths(simple, source, target, cutoff=max_hops)
    chosen = sorted(itertools.islice(node_paths, limit), key=lambda p: (len(p), [g.nodes[n]["label"] for n in p]))
    paths = [expand(g, nodes, directed=directed) for nodes in chosen]
    return [p for p in paths if not p.revisits_a_record()]


def neighbourhood(g: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The subgraph of everything within `depth` hops of `node`, following edges both ways."""
    _check(g, node)
    reach = set(nx.single_source_shortest_path_length(g.to_undirected(as_view=True), node, cutoff=depth))
    # Built in the projection's own order (a subgraph view would iterate a set), so drawings are reproducible.
    sub = nx.MultiDiGraph(**g.graph)
    sub.add_nodes_from((n, attrs) for n, attrs in g.nodes(data=True) if n in reach)
    sub.add_edges_from((u, v, k, a) for u, v, k, a in g.edges(keys=True, data=True) if u in reach and v in reach)
    return sub
