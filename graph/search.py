"""Finding entities by name: one index of names, short names, aliases and former names, ranked for type-ahead.

Matching ignores case, accents and punctuation, so `melanie` finds Mélanie Joly and `dc circuit` finds the
D.C. Circuit. Only instances of classes the ontology marks as network nodes are indexed: the things a journalist
has in mind (companies, people, laws, measures, events), not source documents or claims.
"""

from __future__ import annotations

import re
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from graph.ontology import ClassInfo, Ontology
from graph.query import select_rows
from graph.text import fold
from graph.texttable import TextTable
from graph.vocab import ID, TC, record_id

if TYPE_CHECKING:
    from graph.backend import Backend

# Each query is a plain scan of a few predicates; the rows are sorted here, which is much quicker than ORDER BY
# in the store for the hundred thousand names of a large build.
NAMES = f"""
SELECT ?s ?name ?kind WHERE {{
  {{ ?s rdfs:label ?name . BIND("label" AS ?kind) }}
  UNION {{ ?s skos:altLabel ?name . BIND("alias" AS ?kind) }}
  UNION {{ ?s tc:formerName ?name . BIND("former" AS ?kind) }}
  FILTER(STRSTARTS(STR(?s), "{ID}"))
}}
"""
CLASSES = f"""
SELECT ?s ?cls WHERE {{ ?s a ?cls . FILTER(STRSTARTS(STR(?s), "{ID}") && STRSTARTS(STR(?cls), "{TC}")) }}
"""
PLACES = f"""
SELECT ?s ?place ?placeLabel WHERE {{
  {{ ?s tc:country ?place }} UNION {{ ?s tc:jurisdiction ?place }} UNION {{ ?s tc:partOfJurisdiction ?place }}
  ?place rdfs:label ?placeLabel .
  FILTER(STRSTARTS(STR(?s), "{ID}"))
}}
"""
DESCRIPTIONS = f"""
SELECT ?s ?text WHERE {{ ?s tc:description ?text . FILTER(STRSTARTS(STR(?s), "{ID}")) }}
"""


def normalise(text: str) -> str:
    """Lower case, accents dropped, every run of punctuation or space made one space."""
    return " ".join(re.findall(r"[^\W_]+", fold(text)))


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
class Suggestion:
    """One type-ahead answer: the entity and, when it matched on another name, that name."""

    entity: NamedEntity
    matched: str | None
    rank: int


WORD_STARTS = 2  # the rank of a name with a word starting with each word typed; 3 is "found inside a name"


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
    """Every named network node, searchable by any of its names.

    The names are kept folded in one `TextTable`, so that a search looks only at the names that can match: for
    ranks 0 to 2, those that start with what was typed and those with a word starting with each word typed;
    only when fewer of those than asked for match, every name with what was typed inside it. The table answers
    both from its one folded text (by bisection and by `str.find`) instead of a loop over every name.
    """

    def __init__(self, entities: list[NamedEntity]) -> None:
        self.entities = sorted(entities, key=lambda e: (normalise(e.label), e.id))
        self.by_iri = {e.iri: e for e in self.entities}
        self.by_id = {e.id: e for e in self.entities}
        self._first = array("i")  # per entity, the number of its first name: its names are numbered in a row
        self._owner = array("i")  # per name, its entity

        def names() -> Iterator[str]:
            for index, entity in enumerate(self.entities):
                self._first.append(len(self._owner))
                for name in (*entity.names, entity.id):
                    self._owner.append(index)
                    yield normalise(name)

        self._names = TextTable(names())

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
        found: dict[int, tuple[int, int, str]] = {}

        def consider(numbers: Iterable[int]) -> None:
            for index in {self._owner[n] for n in numbers} - found.keys():
                hit = self._best(index, wanted)
                if hit is not None:
                    found[index] = hit

        # An entity matches at rank 0 or 1 only by a name starting with what was typed, and at rank 2 only by a
        # name with a word starting with each word typed: looking for one of the words is enough to find it.
        consider(self._names.starting_with(wanted))
        fewest: list[int] = min((self._word_starts(word) for word in wanted.split()), key=len)
        consider(fewest)
        if sum(rank <= WORD_STARTS for rank, _, _ in found.values()) < limit:
            consider(self._names.containing(wanted))
        ranked = sorted((rank, len(name), index, position, name) for index, (rank, position, name) in found.items())
        return [
            Suggestion(self.entities[index], None if position == 0 else name, rank)
            for rank, _, index, position, name in ranked[:limit]
        ]

    def _word_starts(self, word: str) -> list[int]:
        """The numbers of the names with a word that starts with `word`."""
        return self._names.starting_with(word) + self._names.containing(f" {word}")

    def _best(self, index: int, wanted: str) -> tuple[int, int, str] | None:
        """The best (rank, position, name) among an entity's names, or None when none matches."""
        entity = self.entities[index]
        best: tuple[int, int, str] | None = None
        for position, name in enumerate((*entity.names, entity.id)):
            rank = _rank(wanted, self._names[self._first[index] + position])
            if rank is not None and (best is None or (rank, position) < best[:2]):
                best = (rank, position, name)
        return best


def name_index(store: Backend, ontology: Ontology) -> NameIndex:
    """Read every named node's names, class and country from the store."""
    names: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s, name, kind in select_rows(store, NAMES):
        names[s].append((kind, name))
    for found in names.values():
        found.sort()  # as ORDER BY ?kind ?name would: aliases, former names, then labels, each by name
    # The classes of each named subject, one set per distinct combination (a handful for a whole build).
    shared: dict[frozenset[str], frozenset[str]] = {}
    classes: dict[str, set[str]] = defaultdict(set)
    for s, class_iri in select_rows(store, CLASSES):
        if s in names:
            classes[s].add(class_iri)
    kinds = {s: shared.setdefault(frozenset(found), frozenset(found)) for s, found in classes.items()}
    del classes
    places: dict[str, str] = {}
    place_labels: dict[str, str] = {}  # one object per place name, not one per entity placed there
    for s, _place, place_label in select_rows(store, PLACES):
        if s in names:
            place_label = place_labels.setdefault(place_label, place_label)
            places[s] = min(places.get(s, place_label), place_label)
    descriptions = {s: text for s, text in select_rows(store, DESCRIPTIONS)}
    most_specific: dict[frozenset[str], tuple[str, ClassInfo] | None] = {}
    entities: list[NamedEntity] = []
    for s, found in names.items():
        labels = [n for kind, n in found if kind == "label"]
        types = kinds.get(s, frozenset())
        if types not in most_specific:
            best = ontology.most_specific({URIRef(c) for c in types})
            most_specific[types] = (str(best), ontology.class_info(best)) if best is not None else None
        found_class = most_specific[types]
        if not labels or found_class is None or not found_class[1].is_node:
            continue
        cls, info = found_class
        others = [n for kind, n in found if kind != "label" and n != labels[0]]
        entities.append(
            NamedEntity(
                iri=s,
                id=record_id(s) or s,
                label=labels[0],
                names=tuple(dict.fromkeys([labels[0], *others])),
                cls=cls,
                class_label=info.label,
                colour=info.colour,
                shape=info.shape,
                country=places.get(s, ""),
                description=descriptions.get(s, ""),
            )
        )
    return NameIndex(entities)
