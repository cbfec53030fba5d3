"""Regulatory actions and events in date order, with the partial-date logic every as-of view filters by.

Dates are kept at the precision the sources give (`2019`, `2019-10`, `2019-10-07`). A date is "on or before"
an as-of date when it is not later at their common precision, so `as_of=2019` includes everything dated 2019.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graph.network import Citation
from graph.query import select_rows, select_table
from graph.records import date_order_key
from graph.vocab import ID, record_id

if TYPE_CHECKING:
    from graph.backend import Backend

PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")

# Properties that date a record, earliest meaning first; the first present is the date the record starts.
START_PROPERTIES = ("startDate", "date", "announcedDate", "publishedDate", "effectiveDate", "filedDate")


class InvalidDateError(ValueError):
    """A date parameter is not YYYY, YYYY-MM or YYYY-MM-DD."""


def check_partial_date(value: str) -> str:
    """The value itself when it is a partial date; raise InvalidDateError otherwise."""
    if not PARTIAL_DATE.match(value):
        raise InvalidDateError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def on_or_before(date: str, limit: str) -> bool:
    """True unless `date` is certainly later than `limit` at their common precision."""
    a, b = date_order_key(date), date_order_key(limit)
    common = min(len(a), len(b))
    return a[:common] <= b[:common]


def ended_before(end: str, limit: str) -> bool:
    """True when `end` is certainly earlier than `limit` at their common precision."""
    a, b = date_order_key(end), date_order_key(limit)
    common = min(len(a), len(b))
    return a[:common] < b[:common]


def visible_as_of(start: str | None, end: str | None, as_of: str | None, *, lasting: bool = True) -> bool:
    """Whether a record had begun by `as_of` and, if it is a lasting state (a stake, a post, a measure), still held."""
    if as_of is None:
        return True
    if start is not None and not on_or_before(start, as_of):
        return False
    return not (lasting and end is not None and ended_before(end, as_of))


@dataclass(frozen=True, slots=True)
class Ref:
    """A link to another record: its IRI, id and label."""

    iri: str
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One dated action or event."""

    ref: Ref
    kind: str  # "action" or "event"
    type_id: str
    type_label: str
    date: str
    date_label: str
    end: str | None
    jurisdiction: Ref | None
    actors: tuple[Ref, ...]
    targets: tuple[Ref, ...]
    status: str | None
    confidence: str
    citations: tuple[Citation, ...]
    involved: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple[tuple[int, ...], str]:
        return (date_order_key(self.date), self.ref.id)


@dataclass(frozen=True)
class TimelineFilter:
    """What a timeline shows: every field is optional and comes from the URL."""

    jurisdiction: str | None = None
    target: str | None = None
    type: str | None = None
    start: str | None = None
    end: str | None = None
    as_of: str | None = None


@dataclass(frozen=True)
class Option:
    """One choice of a filter's select list."""

    value: str
    label: str


@dataclass(frozen=True)
class Timeline:
    items: list[TimelineItem]
    total: int
    jurisdictions: list[Option]
    targets: list[Option]
    types: list[Option]


ITEMS = f"""
SELECT ?r ?kind ?label ?type ?typeLabel ?conf ?status ?statusLabel ?end
       ?announced ?published ?effective ?date WHERE {{
  {{ ?r a tc:RegulatoryAction ; tc:actionType ?type ; tc:status ?status . ?status rdfs:label ?statusLabel .
     BIND("action" AS ?kind) }}
  UNION {{ ?r a tc:Event ; tc:eventType ?type . BIND("event" AS ?kind) }}
  ?r rdfs:label ?label . ?type rdfs:label ?typeLabel .
  FILTER(STRSTARTS(STR(?r), "{ID}"))
  OPTIONAL {{ ?r tc:confidence/skos:notation ?conf }}
  OPTIONAL {{ ?r tc:endDate ?end }}
  OPTIONAL {{ ?r tc:announcedDate ?announced }}
  OPTIONAL {{ ?r tc:publishedDate ?published }}
  OPTIONAL {{ ?r tc:effectiveDate ?effective }}
  OPTIONAL {{ ?r tc:date ?date }}
}}
"""
LINKS = """
SELECT ?r ?p ?o ?oLabel WHERE {
  VALUES ?p { tc:issuer tc:target tc:jurisdiction tc:announcedBy tc:instrument
              tc:agent tc:affected tc:about tc:place tc:inCase }
  { ?r a tc:RegulatoryAction } UNION { ?r a tc:Event }
  ?r ?p ?o . OPTIONAL { ?o rdfs:label ?oLabel }
}
"""
CITATIONS = """
SELECT ?r ?url ?title ?publisher ?published WHERE {{
  {records}
  ?r tc:source ?s . ?s tc:url ?url ; tc:title ?title ; tc:publisher ?publisher .
  OPTIONAL {{ ?s tc:publishedDate ?published }}
}} ORDER BY ?r ?published ?url
"""
# The same citations as two plain scans joined here: sorting a hundred thousand rows in the store takes seconds.
DOCUMENTS = """
SELECT ?s ?url ?title ?publisher ?published WHERE {
  ?s tc:url ?url ; tc:title ?title ; tc:publisher ?publisher . OPTIONAL { ?s tc:publishedDate ?published }
}
"""
SOURCES = "SELECT ?r ?s WHERE { ?r tc:source ?s }"


def ref_of(iri: str, label: str) -> Ref:
    return Ref(iri=iri, id=record_id(iri) or iri, label=label or (record_id(iri) or iri))


def _grouped(rows: Iterable[tuple[str, Citation]]) -> dict[str, tuple[Citation, ...]]:
    found: dict[str, list[Citation]] = defaultdict(list)
    for r, citation in rows:
        found[r].append(citation)
    return {r: tuple(cs) for r, cs in found.items()}


def _cited(rows: list[list[str]]) -> dict[str, tuple[Citation, ...]]:
    """The rows of CITATIONS as each record's citations, in their order."""
    return _grouped((r, Citation(url=u, title=t, publisher=p, published=d)) for r, u, t, p, d in rows)


def all_citations(store: Backend) -> dict[str, tuple[Citation, ...]]:
    """The sources of every record, by record IRI, oldest first."""
    return _cited(select_table(store, CITATIONS.format(records="")).rows)


def citations_of(store: Backend, records: Iterable[str]) -> dict[str, tuple[Citation, ...]]:
    """The sources of some records (those that have any), by record IRI, oldest first."""
    values = " ".join(f"<{r}>" for r in sorted(set(records)))
    if not values:
        return {}
    return _cited(select_table(store, CITATIONS.format(records=f"VALUES ?r {{ {values} }}")).rows)


def _citations_among(store: Backend, records: set[str]) -> dict[str, tuple[Citation, ...]]:
    """`citations_of` many records at once, each source document read (and its Citation made) once."""
    documents: dict[str, list[Citation]] = defaultdict(list)
    for s, url, title, publisher, published in select_rows(store, DOCUMENTS):
        documents[s].append(Citation(url=url, title=title, publisher=publisher, published=published))
    rows = [(r, citation) for r, s in select_rows(store, SOURCES) if r in records for citation in documents.get(s, ())]
    # As ORDER BY ?r ?published ?url orders them: an unbound date first, then dates as written.
    rows.sort(key=lambda row: (row[0], row[1].published, row[1].url))
    shared: dict[tuple[Citation, ...], tuple[Citation, ...]] = {}
    return {r: shared.setdefault(cs, cs) for r, cs in _grouped(rows).items()}


def _start(announced: str, published: str, effective: str, date: str) -> tuple[str, str]:
    """The earliest date of a record and what it is the date of."""
    present = [
        (v, label)
        for v, label in ((date, "date"), (announced, "announced"), (published, "published"), (effective, "effective"))
        if v
    ]
    if not present:
        return "", ""
    return min(present, key=lambda pair: date_order_key(pair[0]))


def _by_label(refs: list[Ref]) -> tuple[Ref, ...]:
    """Distinct refs by label, namesakes by IRI: the same order in every process, whatever its hash seed."""
    return tuple(sorted(set(refs), key=lambda ref: (ref.label, ref.iri)))


def timeline_items(store: Backend) -> list[TimelineItem]:
    """Every action and event of the graph, in date order."""
    links: dict[str, dict[str, list[Ref]]] = defaultdict(lambda: defaultdict(list))
    made: dict[tuple[str, str], Ref] = {}
    for r, p, o, o_label in select_rows(store, LINKS):
        if (o, o_label) not in made:
            made[(o, o_label)] = ref_of(o, o_label)
        links[r][p.rsplit("#", 1)[-1]].append(made[(o, o_label)])
    rows = list(select_rows(store, ITEMS))
    citations = _citations_among(store, {row[0] for row in rows})
    involvement: dict[tuple[str, ...], tuple[str, ...]] = {}
    # Types, statuses, confidences and dates repeat across thousands of items: one object for each distinct text.
    shared: dict[str, str] = {}
    type_ids: dict[str, str] = {}
    items: list[TimelineItem] = []
    for row in rows:
        row[1:] = [shared.setdefault(text, text) for text in row[1:]]
        r, kind, label, type_iri, type_label, conf, _status, status_label, end, ann, pub, eff, date = row
        start, date_label = _start(ann, pub, eff, date)
        if not start:
            continue
        refs = links[r]
        place = refs.get("jurisdiction") or refs.get("place") or []
        actors = refs.get("issuer", []) + refs.get("agent", []) + refs.get("announcedBy", [])
        targets = refs.get("target", []) + refs.get("affected", [])
        involved = tuple(sorted({ref.iri for group in refs.values() for ref in group}))
        involved = involvement.setdefault(involved, involved)
        items.append(
            TimelineItem(
                ref=ref_of(r, label),
                kind=kind,
                type_id=type_ids.setdefault(type_iri, type_iri.rsplit("/", 1)[-1]),
                type_label=type_label,
                date=start,
                date_label=date_label,
                end=end or None,
                jurisdiction=place[0] if place else None,
                actors=_by_label(actors),
                targets=_by_label(targets),
                status=status_label or None,
                confidence=conf or "verified",
                citations=citations.get(r, ()),
                involved=involved,
            )
        )
    items.sort(key=lambda item: item.sort_key)
    return items


def _matches(item: TimelineItem, filt: TimelineFilter) -> bool:
    if filt.as_of is not None and not on_or_before(item.date, filt.as_of):
        return False
    if filt.start is not None and ended_before(item.date, filt.start):
        return False
    if filt.end is not None and not on_or_before(item.date, filt.end):
        return False
    if filt.jurisdiction is not None and (item.jurisdiction is None or item.jurisdiction.id != filt.jurisdiction):
        return False
    if filt.target is not None and filt.target not in {t.id for t in item.targets}:
        return False
    return filt.type is None or filt.type in (item.type_id, item.kind)


def _options(refs: list[Ref]) -> list[Option]:
    unique = {ref.id: ref.label for ref in refs}
    return [Option(value, label) for value, label in sorted(unique.items(), key=lambda kv: (kv[1].casefold(), kv[0]))]


def timeline(store: Backend, filt: TimelineFilter, items: list[TimelineItem] | None = None) -> Timeline:
    """The actions and events a filter selects, in date order, with the choices each filter offers.

    `items` are `timeline_items(store)` when the caller already has them (they do not change between builds).
    """
    items = timeline_items(store) if items is None else items
    chosen = [item for item in items if _matches(item, filt)]
    types = {item.type_id: f"{item.type_label} ({item.kind})" for item in items}
    return Timeline(
        items=chosen,
        total=len(items),
        jurisdictions=_options([item.jurisdiction for item in items if item.jurisdiction is not None]),
        targets=_options([t for item in items for t in item.targets]),
        types=[Option(v, label) for v, label in sorted(types.items(), key=lambda kv: (kv[1], kv[0]))],
    )


@dataclass(frozen=True)
class Figures:
    """The headline figures of the home page."""

    actions: int
    events: int
    issuing_jurisdictions: int
    targets: int
    sources: int


SOURCE_COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a tc:SourceDocument }"


def headline(
    store: Backend, latest: int = 8, items: list[TimelineItem] | None = None
) -> tuple[Figures, list[TimelineItem]]:
    """Counts the home page leads with, and the most recent restrictions."""
    items = timeline_items(store) if items is None else items
    actions = [item for item in items if item.kind == "action"]
    figures = Figures(
        actions=len(actions),
        events=len(items) - len(actions),
        issuing_jurisdictions=len({a.jurisdiction.iri for a in actions if a.jurisdiction is not None}),
        targets=len({t.iri for a in actions for t in a.targets}),
        sources=int(select_table(store, SOURCE_COUNT).rows[0][0]),
    )
    return figures, list(reversed(actions))[:latest]
