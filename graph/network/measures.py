"""Network measures on the projection: centrality, PageRank and communities, each reproducible run to run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from graph.network.paths import is_a, simple_graph
from graph.network.records import Record
from graph.vocab import TC

# The classes whose instances act: states and authorities, companies, people. Actions, events, instruments and
# cases are nodes of the projection too, and count in the measures, but are not "actors".
ACTOR_CLASSES = (str(TC.Organisation), str(TC.Person), str(TC.Jurisdiction))
SEED = 42


@dataclass(frozen=True)
class Centrality:
    """How central one node is, by three measures."""

    iri: str
    label: str
    class_label: str
    degree: int
    degree_centrality: float
    betweenness: float
    pagerank: float

    def to_record(self) -> Record:
        return {
            "iri": self.iri,
            "label": self.label,
            "class": self.class_label,
            "degree": self.degree,
            "degree_centrality": round(self.degree_centrality, 6),
            "betweenness": round(self.betweenness, 6),
            "pagerank": round(self.pagerank, 6),
        }


def pagerank(
    g: nx.Graph, *, damping: float = 0.85, tolerance: float = 1.0e-10, max_iterations: int = 200
) -> dict[str, float]:
    """PageRank by power iteration in pure Python (networkx's own needs SciPy, which this project does not).

    Dangling nodes share their rank evenly, as in networkx; an undirected graph counts each link both ways.
    """
    nodes = list(g.nodes)
    if not nodes:
        return {}
    n = len(nodes)
    out: dict[str, list[str]] = {
        u: sorted(g.successors(u)) if g.is_directed() else sorted(g.neighbors(u)) for u in nodes
    }
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iterations):
        dangling = damping * sum(rank[u] for u in nodes if not out[u]) / n
        new = dict.fromkeys(nodes, (1.0 - damping) / n + dangling)
        for u in nodes:
            if out[u]:
                share = damping * rank[u] / len(out[u])
                for v in out[u]:
                    new[v] += share
        change = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if change < n * tolerance:
            break
    return rank


Measure = Literal["betweenness", "pagerank", "degree"]


def centrality(
    g: nx.MultiDiGraph,
    *,
    directed: bool = False,
    classes: Iterable[str] | None = ACTOR_CLASSES,
    by: Measure = "betweenness",
    top: int | None = None,
) -> list[Centrality]:
    """Degree, betweenness and PageRank of every node, computed on the whole simple graph, most central first.

    `classes` limits the nodes reported (not the graph measured) to instances of these classes; the default
    reports actors (organisations, people, jurisdictions); None reports every node.
    """
    simple = simple_graph(g, directed=directed)
    degree = nx.degree_centrality(simple) if len(simple) > 1 else dict.fromkeys(simple, 0.0)
    betweenness = nx.betweenness_centrality(simple, normalized=True)
    ranks = pagerank(simple)
    wanted = list(classes) if classes is not None else None
    rows = [
        Centrality(
            iri=n,
            label=str(g.nodes[n]["label"]),
            class_label=str(g.nodes[n]["class_label"]),
            degree=int(simple.degree(n)),
            degree_centrality=degree[n],
            betweenness=betweenness[n],
            pagerank=ranks[n],
        )
        for n in simple.nodes
        if wanted is None or is_a(g, n, wanted)
    ]
    values = {"betweenness": lambda c: c.betweenness, "pagerank": lambda c: c.pagerank, "degree": lambda c: c.degree}
    rows.sort(key=lambda c: (-values[by](c), c.label))
    return rows[:top] if top is not None else rows


@dataclass(frozen=True)
class Community:
    """One community of nodes, its members most linked first."""

    index: int
    members: tuple[str, ...]
    labels: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)

    def to_record(self) -> Record:
        return {"community": self.index, "size": self.size, "members": "; ".join(self.labels)}


def communities(
    g: nx.MultiDiGraph, *, method: Literal["louvain", "greedy"] = "louvain", seed: int = SEED
) -> list[Community]:
    """Communities of the undirected graph (links weighted by how many edges join two nodes), seeded.

    Louvain with a fixed seed, or greedy modularity (deterministic without one); largest community first, and
    in each the members most linked to others first.
    """
    weighted = nx.Graph()
    weighted.add_nodes_from(g.nodes)
    for u, v in g.edges():
        if u != v:
            weight = weighted.get_edge_data(u, v, {"weight": 0})["weight"]
            weighted.add_edge(u, v, weight=weight + 1)
    if method == "louvain":
        found = nx.community.louvain_communities(weighted, weight="weight", seed=seed)
    else:
        found = nx.community.greedy_modularity_communities(weighted, weight="weight")
    groups = [sorted(group, key=lambda n: (-weighted.degree(n), str(g.nodes[n]["label"]), n)) for group in found]
    groups.sort(key=lambda members: (-len(members), str(g.nodes[members[0]]["label"])))
    return [
        Community(index=i, members=tuple(members), labels=tuple(str(g.nodes[n]["label"]) for n in members))
        for i, members in enumerate(groups, start=1)
    ]


def community_of(found: list[Community]) -> dict[str, int]:
    """Each node's community number, for colouring a drawing."""
    return {member: c.index for c in found for member in c.members}
