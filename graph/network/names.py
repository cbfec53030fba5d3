"""Finding the entity a person means by a name: label, alias, short or former name, identifier, record id or IRI."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from graph.network.projection import SparqlStore, project
from graph.text import fold
from graph.texttable import TextTable
from graph.vocab import ID, WD, record_id

if TYPE_CHECKING:
    from graph.network.compact import CompactProjection


class AmbiguousNameError(LookupError):
    """Several entities answer to the name; `candidates` lists them as (iri, label, class label)."""

    def __init__(self, name: str, candidates: list[tuple[str, str, str]]) -> None:
        self.name = name
        self.candidates = candidates
        listed = "; ".join(
            f"{label} ({class_label}, {record_id(iri) or iri})" for iri, label, class_label in candidates
        )
        super().__init__(f"{name!r} is ambiguous: {listed}")


class UnknownNameError(LookupError):
    """No entity answers to the name."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"no entity is called {name!r}")


def normalise(text: str) -> str:
    """A name folded for comparison: case, accents and runs of spaces do not matter."""
    return " ".join(fold(text).split())


TIERS = 4


@dataclass(frozen=True)
class Named:
    """One entity with every name and identifier it answers to."""

    iri: str
    label: str
    class_label: str
    names: tuple[str, ...]
    identifiers: tuple[str, ...]

    def names_at(self, tier: int) -> set[str]:
        """The names of one level of precision: 0 IRI, 1 record id, 2 label, 3 other names and identifiers."""
        if tier == 0:
            return {self.iri}
        if tier == 1:
            return {record_id(self.iri) or ""}
        if tier == 2:
            return {self.label}
        return set(self.names) | {f for i in self.identifiers for f in _identifier_forms(i)}


def named_entities(g: nx.MultiDiGraph) -> list[Named]:
    """The nodes of a projection with their names."""
    return [
        Named(
            iri=iri,
            label=str(attrs.get("label", "")),
            class_label=str(attrs.get("class_label", "")),
            names=tuple(attrs.get("aliases", ())),
            identifiers=tuple(attrs.get("identifiers", ())),
        )
        for iri, attrs in g.nodes(data=True)
    ]


def _identifier_forms(identifier: str) -> set[str]:
    """An identifier as written, and a Wikidata Q number also as `wd:Q…` and as its entity IRI."""
    forms = {identifier}
    if identifier[:1] == "Q" and identifier[1:].isdigit():
        forms |= {f"wd:{identifier}", f"{WD}{identifier}"}
    return forms


def match(entities: list[Named], name: str) -> str:
    """The IRI of the one entity called `name`, trying the most precise kinds of name first.

    The order is: IRI, record id, label, then any other name or identifier. The first kind with a match
    decides, so a label beats someone else's alias; several entities at that level are ambiguous.
    """
    wanted = normalise(name)
    if not wanted:
        raise UnknownNameError(name)
    for tier in range(TIERS):
        found = sorted(
            {e.iri: e for e in entities if wanted in {normalise(n) for n in e.names_at(tier) if n}}.values(),
            key=lambda e: e.iri,
        )
        if len(found) == 1:
            return found[0].iri
        if found:
            raise AmbiguousNameError(name, [(e.iri, e.label, e.class_label) for e in found])
    raise UnknownNameError(name)


def written(name: str) -> str:
    """A name as `match` reads it: without surrounding spaces, and `id:x` as the IRI of the record x."""
    iri = name.strip()
    return f"{ID}{iri[3:]}" if iri.startswith("id:") else iri


def resolve(g_or_store: nx.MultiDiGraph | SparqlStore, name: str) -> str:
    """The IRI of the entity called `name` in a projection or a store; see `match` for the rules.

    Raises AmbiguousNameError (with the candidates) or UnknownNameError, both LookupErrors.
    """
    graph = g_or_store if isinstance(g_or_store, nx.Graph) else project(g_or_store)
    return match(named_entities(graph), written(name))


class NameLookup:
    """Every name of every node of a compact projection at its level of precision, so that a name is matched
    (as `match` does it) by a look-up instead of normalising every name of the graph."""

    def __init__(self, compact: CompactProjection) -> None:
        self.compact = compact
        tiers, nodes = array("b"), array("i")

        def names() -> Iterator[str]:
            for node, iri in enumerate(compact.nodes):
                facts = compact.node_facts[node]
                named = Named(iri, facts.label, "", facts.aliases, facts.identifiers)
                for tier in range(TIERS):
                    for text in sorted({normalise(n) for n in named.names_at(tier) if n}):
                        if text:
                            tiers.append(tier)
                            nodes.append(node)
                            yield text

        self._table = TextTable(names())
        self._tiers, self._nodes = tiers, nodes

    def match(self, name: str, present: Callable[[int], bool]) -> str:
        """The IRI of the one node called `name` among those `present` says are there (see `match`)."""
        wanted = normalise(name)
        if not wanted:
            raise UnknownNameError(name)
        hits = [(self._tiers[i], self._nodes[i]) for i in self._table.equal_to(wanted)]
        for tier in range(TIERS):
            found = sorted({node for at, node in hits if at == tier and present(node)})
            if len(found) == 1:
                return self.compact.nodes[found[0]]
            if found:
                raise AmbiguousNameError(name, [self._candidate(node) for node in found])
        raise UnknownNameError(name)

    def _candidate(self, node: int) -> tuple[str, str, str]:
        facts = self.compact.node_facts[node]
        return self.compact.nodes[node], facts.label, self.compact.class_info(facts.cls).label
