"""Finding entities by name: one index of names, short names, aliases and former names, ranked for type-ahead.

Matching ignores case, accents and punctuation, so `melanie` finds Mélanie Joly and `dc circuit` finds the
D.C. Circuit. Only instances of classes the ontology marks as network nodes are indexed: the things a journalist
has in mind (companies, people, laws, measures, events), not source documents or claims.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from graph.ontology import Ontology
from graph.query import select_table
from graph.text import fold
from graph.vocab import ID, TC, record_id

if TYPE_CHECKING:
    from graph.backend import Backend

NAMES = f"""
SELECT ?s ?name ?kind WHERE {{
  {{ ?s rdfs:label ?name . BIND("label" AS ?kind) }}
  UNION {{ ?s skos:altLabel ?name . BIND("alias" AS ?kind) }}
  UNION {{ ?s tc:formerName ?name . BIND("former" AS ?kind) }}
  FILTER(STRSTARTS(STR(?s), "{ID}"))
}} ORDER BY ?s ?kind ?name
"""
CLASSES = f"""
SELECT ?s ?cls WHERE {{ ?s a ?cls . FILTER(STRSTARTS(STR(?s), "{ID}") && STRSTARTS(STR(?cls), "{TC}")) }}
"""
PLACES = f"""
SELECT ?s ?place ?placeLabel WHERE {{
  {{ ?s tc:country ?place }} UNION {{ ?s tc:jurisdiction ?place }} UNION {{ ?s tc:partOfJurisdiction ?place }}
  ?place rdfs:label ?placeLabel .
  FILTER(STRSTARTS(STR(?s), "{ID}"))
}} ORDER BY ?s ?placeLabel
"""
DESCRIPTIONS = f"""
SELECT ?s ?text WHERE {{ ?s tc:description ?text . FILTER(STRSTARTS(STR(?s), "{ID}")) }}
"""


def normalise(text: str) -> str:
    """Lower case, accents dropped, every run of punctuation or space made one space."""
    return " ".join(re.findall(r"[^\W_]+", fold(text)))


@dataclass(frozen=True)
class NamedEntity:
    """An entity as the search box and every list of links show it."""

    iri: str
    id: str
    label: str
    names: tuple[str, ...]
    cls: str
    class_label: str
    colour: str
    shape: str
    country: str
    description: str


@dataclass(frozen=True)
class Suggestion:
    """One type-ahead answer: the entity and, when it matched on another name, that name."""

    entity: NamedEntity
    matched: str | None
    rank: int


def _rank(query: str, name: str) -> int | None:
    """0 exact, 1 prefix, 2 every query word starts a word of the name, 3 substring; None for no match."""
    if name == query:
        return 0
    if name.startswith(query):
        return 1
    words = name.split()
    if all(any(w.startswith(q) for w in words) for q in query.split()):
        return 2
    if query in name:
        return 3
    return None


class NameIndex:
    """Every named network node, searchable by any of its names."""

    def __init__(self, entities: list[NamedEntity]) -> None:
        self.entities = sorted(entities, key=lambda e: (normalise(e.label), e.id))
        self.by_iri = {e.iri: e for e in self.entities}
        self.by_id = {e.id: e for e in self.entities}
        self._normalised = [(e, [(name, normalise(name)) for name in (*e.names, e.id)]) for e in self.entities]

    def __len__(self) -> int:
        return len(self.entities)

    def label(self, iri: str) -> str:
        entity = self.by_iri.get(iri)
        return entity.label if entity is not None else (record_id(iri) or iri)

    def search(self, query: str, limit: int = 10) -> list[Suggestion]:
        """The best matches for what was typed, best first; an empty query matches nothing."""
        wanted = normalise(query)
        if not wanted:
            return []
        found: list[tuple[int, int, str, Suggestion]] = []
        for entity, names in self._normalised:
            best: tuple[int, int, str] | None = None
            for position, (name, norm) in enumerate(names):
                rank = _rank(wanted, norm)
                if rank is not None and (best is None or (rank, position) < best[:2]):
                    best = (rank, position, name)
            if best is not None:
                rank, position, name = best
                suggestion = Suggestion(entity, None if position == 0 else name, rank)
                found.append((rank, len(name), normalise(entity.label), suggestion))
        found.sort(key=lambda row: row[:3])
        return [row[3] for row in found[:limit]]


def name_index(store: Backend, ontology: Ontology) -> NameIndex:
    """Read every named node's names, class and country from the store."""
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, name, kind in select_table(store, NAMES).rows:
        names[s].append((kind, name))
    classes: dict[str, set[str]] = defaultdict(set)
    for s, class_iri in select_table(store, CLASSES).rows:
        classes[s].add(class_iri)
    places: dict[str, str] = {}
    for s, _place, place_label in select_table(store, PLACES).rows:
        places.setdefault(s, place_label)
    descriptions = {s: text for s, text in select_table(store, DESCRIPTIONS).rows}
    entities: list[NamedEntity] = []
    for s, found in names.items():
        labels = [n for kind, n in found if kind == "label"]
        cls = ontology.most_specific({URIRef(c) for c in classes.get(s, set())})
        if not labels or cls is None:
            continue
        info = ontology.class_info(cls)
        if not info.is_node:
            continue
        others = [n for kind, n in found if kind != "label" and n != labels[0]]
        entities.append(
            NamedEntity(
                iri=s,
                id=record_id(s) or s,
                label=labels[0],
                names=tuple(dict.fromkeys([labels[0], *others])),
                cls=str(cls),
                class_label=info.label,
                colour=info.colour,
                shape=info.shape,
                country=places.get(s, ""),
                description=descriptions.get(s, ""),
            )
        )
    return NameIndex(entities)
