"""Everything the graph says about one entity, each fact with its sources: the explorer's entity page.

Relations come from the network projection (`graph.network.project`), so the entity page, the network view
and the path finder agree on what is connected to what, and every relation carries the sources and confidence
of the record that states it. Names, facts, identifiers and claims are read from the store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container
from typing import TYPE_CHECKING, Any

import networkx as nx
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.entity_types import (
    ClaimGroup,
    ClaimValue,
    EntityNotFoundError,
    EntityPage,
    ExternalLink,
    Fact,
    OwnershipStep,
    Relation,
    RelationGroup,
    Restriction,
    Value,
)
from graph.network import Citation
from graph.ontology import Ontology
from graph.query import select_table, truthy
from graph.timeline import Ref, TimelineItem, citations_of, on_or_before, ref_of, timeline_items
from graph.vocab import TC, entity_iri, record_id

if TYPE_CHECKING:
    from graph.backend import Backend

OWNERSHIP = str(TC.Ownership)
# Properties the page shows in a section of their own rather than in the facts table.
SHOWN_ELSEWHERE = {
    str(p)
    for p in (
        RDF.type,
        RDFS.label,
        SKOS.altLabel,
        SKOS.exactMatch,
        TC.shortName,
        TC.formerName,
        TC.description,
        TC.source,
        TC.confidence,
        TC.note,
        TC.factSheetRow,
        TC.wikidataId,
        TC.lei,
        TC.docketNumber,
        TC.federalRegisterCitation,
        TC.celexNumber,
        TC.identifier,
    )
}
# Identifier properties, and where a reader can look each identifier up (None: shown as text).
IDENTIFIER_LINKS: dict[str, str | None] = {
    str(TC.wikidataId): "https://www.wikidata.org/wiki/{}",
    str(TC.lei): "https://search.gleif.org/#/record/{}",
    str(TC.celexNumber): "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:{}",
    str(TC.docketNumber): None,
    str(TC.federalRegisterCitation): None,
    str(TC.identifier): None,
}


STATEMENTS = """
SELECT ?p ?o ?oLabel ?isIri WHERE {{
  <{iri}> ?p ?o . OPTIONAL {{ ?o rdfs:label ?oLabel }} BIND(isIRI(?o) AS ?isIri)
}} ORDER BY ?p ?o
"""
CLAIMS = """
SELECT ?c ?subject ?prop ?value ?conf WHERE {{
  VALUES ?subject {{ {subjects} }}
  ?c a tc:Claim ; tc:claimSubject ?subject ; tc:claimProperty ?prop ; tc:claimValue ?value .
  OPTIONAL {{ ?c tc:confidence/skos:notation ?conf }}
}} ORDER BY ?subject ?prop ?value ?c
"""
CLAIM_NOTES = """
SELECT ?c ?note WHERE {{ VALUES ?subject {{ {subjects} }} ?c tc:claimSubject ?subject ; tc:note ?note }}
"""


def _statements(store: Backend, iri: str) -> list[tuple[str, str, str, bool]]:
    rows = select_table(store, STATEMENTS.format(iri=iri)).rows
    return [(p, o, label, truthy(is_iri)) for p, o, label, is_iri in rows]


def _citations(sources: list[dict[str, Any]]) -> tuple[Citation, ...]:
    return tuple(
        Citation(**{k: str(s.get(k, "")) for k in ("url", "title", "publisher", "published")}) for s in sources
    )


def _node_ref(g: nx.MultiDiGraph, iri: str) -> Ref:
    return ref_of(iri, str(g.nodes[iri].get("label", "")) if iri in g else "")


def _detail(attrs: dict[str, Any]) -> str:
    parts = []
    if attrs.get("share"):
        parts.append(f"{attrs['share']}%")
    if attrs.get("controlling"):
        parts.append("controlling")
    if attrs.get("role"):
        parts.append(str(attrs["role"]))
    if attrs.get("as_of"):
        parts.append(f"as of {attrs['as_of']}")
    return ", ".join(parts)


def _via(g: nx.MultiDiGraph, ontology: Ontology, via: str, attrs: dict[str, Any]) -> Ref:
    """The record an edge comes from; one that is not a node (a stake, a post) is named by its kind."""
    if via in g:
        return _node_ref(g, via)
    return ref_of(via, f"{ontology.label(URIRef(str(attrs['relation'])))} record")


def _record_label(g: nx.MultiDiGraph, ontology: Ontology, iri: str) -> str:
    """A node's label, or for a relation record that is not a node, its kind and its two ends."""
    if iri in g:
        return str(g.nodes[iri]["label"])
    for u, v, attrs in g.edges(data=True):
        if attrs.get("via") == iri:
            kind = ontology.label(URIRef(str(attrs["relation"])))
            return f"{kind}: {g.nodes[u]['label']} → {g.nodes[v]['label']}"
    return record_id(iri) or iri


def _relation_order(r: Relation) -> tuple[str, ...]:
    """By the other end's name, then by what tells namesakes and parallel edges apart: a total order."""
    return (r.other.label.casefold(), r.other.iri, r.via.iri if r.via else "", r.start, r.end, r.detail)


def relation_groups(g: nx.MultiDiGraph, ontology: Ontology, iri: str) -> list[RelationGroup]:
    """Every edge of the node in both directions, grouped by relation and direction."""
    grouped: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
    if iri not in g:
        return []
    edges = [(v, attrs, "out") for _, v, attrs in g.out_edges(iri, data=True)]
    edges += [(u, attrs, "in") for u, _, attrs in g.in_edges(iri, data=True)]
    for other, attrs, direction in edges:
        phrase = str(attrs["label"] if direction == "out" else attrs["inverse_label"])
        via = attrs.get("via") or ""
        node = g.nodes[other]
        grouped[(str(attrs["relation"]), direction, phrase)].append(
            Relation(
                other=_node_ref(g, other),
                other_class=str(node.get("class_label", "")),
                colour=str(node.get("colour", "#999999")),
                via=_via(g, ontology, via, attrs) if via and via != other else None,
                detail=_detail(attrs),
                start=str(attrs.get("start", "")),
                end=str(attrs.get("end", "")),
                citations=_citations(attrs.get("sources", [])),
                confidence=str(attrs.get("confidence", "verified")),
            )
        )
    groups = [
        RelationGroup(
            relation=relation,
            relation_label=ontology.label(URIRef(relation)),
            phrase=phrase,
            direction=direction,
            relations=tuple(sorted(rels, key=_relation_order)),
        )
        for (relation, direction, phrase), rels in grouped.items()
    ]
    return sorted(groups, key=lambda grp: (grp.phrase, grp.relation_label, grp.direction))


def _is_stake(attrs: dict[str, Any]) -> bool:
    return attrs.get("relation") == OWNERSHIP and attrs.get("kind") == "record"


def _stakes(g: nx.MultiDiGraph, node: str, *, upward: bool) -> list[tuple[str, dict[str, Any]]]:
    """The stakes held in a node (upward: as (owner, attributes)) or by it (as (owned, attributes))."""
    if upward:
        return [(u, attrs) for u, _, attrs in g.in_edges(node, data=True) if _is_stake(attrs)]
    return [(v, attrs) for _, v, attrs in g.out_edges(node, data=True) if _is_stake(attrs)]


def ownership_chain(g: nx.MultiDiGraph, iri: str) -> list[OwnershipStep]:
    """From the entity up through controlling stakes (else the largest) to the owner nobody owns."""

    def preference(item: tuple[str, dict[str, Any]]) -> tuple[bool, float, str]:
        share = item[1].get("share") or "0"
        return (not item[1].get("controlling"), -float(share), item[0])

    chain: list[OwnershipStep] = []
    seen = {iri}
    current = iri
    while owners := _stakes(g, current, upward=True):
        owner, attrs = min(owners, key=preference)
        if owner in seen:
            break
        via = str(attrs.get("via", ""))
        chain.append(
            OwnershipStep(
                owner=_node_ref(g, owner),
                owned=_node_ref(g, current),
                via=ref_of(via, "ownership record") if via else None,
                share=str(attrs.get("share", "")),
                controlling=bool(attrs.get("controlling")),
                citations=_citations(attrs.get("sources", [])),
                confidence=str(attrs.get("confidence", "verified")),
            )
        )
        seen.add(owner)
        current = owner
    return chain


def _reachable(g: nx.MultiDiGraph, start: str, *, upward: bool) -> set[str]:
    """Every owner above (or company below) a node, through stakes of any size."""
    found: set[str] = set()
    todo = [start]
    while todo:
        for nxt, _ in _stakes(g, todo.pop(), upward=upward):
            if nxt not in found and nxt != start:
                found.add(nxt)
                todo.append(nxt)
    return found


def restrictions(
    g: nx.MultiDiGraph, items: list[TimelineItem], iri: str, in_view: Container[str] | None = None
) -> list[Restriction]:
    """Actions targeting the entity, any owner up the chain or any subsidiary down it.

    `in_view` is the projection whose actions count when `g` is only the part of it around the entity.
    """
    reach = {iri: "this entity"}
    reach.update({p: "a parent" for p in _reachable(g, iri, upward=True)})
    reach.update({s: "a subsidiary" for s in _reachable(g, iri, upward=False) if s not in reach})
    present = g if in_view is None else in_view
    found: list[Restriction] = []
    for item in items:
        if item.kind != "action" or item.ref.iri not in present:
            continue
        for target in item.targets:
            if target.iri in reach:
                found.append(Restriction(item, _node_ref(g, target.iri), reach[target.iri]))
    return sorted(found, key=lambda r: (r.action.sort_key, r.target.label, r.target.iri))


def _claims(
    store: Backend,
    subjects: list[str],
    citations: dict[str, tuple[Citation, ...]] | None,
    ontology: Ontology,
    label_of: Callable[[str], str],
) -> list[ClaimGroup]:
    """The claims about some records; `citations` are every record's, or None to read the claims' own."""
    values = " ".join(f"<{s}>" for s in subjects)
    notes: dict[str, list[str]] = defaultdict(list)
    for c, note in select_table(store, CLAIM_NOTES.format(subjects=values)).rows:
        notes[c].append(note)
    rows = select_table(store, CLAIMS.format(subjects=values)).rows
    if citations is None:
        citations = citations_of(store, [row[0] for row in rows])
    grouped: dict[tuple[str, str], list[ClaimValue]] = defaultdict(list)
    for c, subject, prop, value, conf in rows:
        grouped[(subject, prop)].append(
            ClaimValue(value, citations.get(c, ()), tuple(sorted(notes[c])), conf or "verified")
        )
    return [
        ClaimGroup(ref_of(subject, label_of(subject)), ontology.label(URIRef(prop)), tuple(claims))
        for (subject, prop), claims in sorted(grouped.items())
    ]


def _links(statements: list[tuple[str, str, str, bool]], ontology: Ontology) -> list[ExternalLink]:
    links: list[ExternalLink] = []
    for p, o, _label, is_iri in statements:
        if p in IDENTIFIER_LINKS:
            template = IDENTIFIER_LINKS[p]
            links.append(ExternalLink(ontology.label(URIRef(p)), o, template.format(o) if template else None))
        elif p == str(SKOS.exactMatch) and is_iri:
            links.append(ExternalLink("same entity elsewhere", o, o))
    return links


def _facts(statements: list[tuple[str, str, str, bool]], ontology: Ontology, skip: set[str]) -> list[Fact]:
    grouped: dict[str, list[Value]] = defaultdict(list)
    for p, o, label, is_iri in statements:
        if p in SHOWN_ELSEWHERE or p in skip:
            continue
        rid = record_id(o) if is_iri else None
        grouped[p].append(Value(label or o, ref_of(o, label) if rid else None))
    return [Fact(p, ontology.label(URIRef(p)), tuple(values)) for p, values in grouped.items()]


def entity_page(
    store: Backend,
    g: nx.MultiDiGraph,
    ontology: Ontology,
    rid: str,
    *,
    as_of: str | None = None,
    items: list[TimelineItem] | None = None,
    citations: dict[str, tuple[Citation, ...]] | None = None,
    in_view: Container[str] | None = None,
) -> EntityPage:
    """The entity page of a record, over a projection `g` already cut at `as_of`.

    `g` may be the whole projection or only the part around the entity that the page reads (see
    `graph.network.view.ProjectionView.surroundings`); `in_view` is then the whole one, for which actions count.
    `items` are `timeline_items(store)` and `citations` are `all_citations(store)` when the caller keeps them
    (they do not change between builds); otherwise the items are read here, and the sources of only the records
    the page shows.
    """
    iri = str(entity_iri(rid))
    statements = _statements(store, iri)
    if not statements:
        raise EntityNotFoundError(rid)
    first = {p: o for p, o, _, _ in reversed(statements)}
    classes = {URIRef(o) for p, o, _, _ in statements if p == str(RDF.type)}
    cls = ontology.most_specific(classes)
    info = ontology.class_info(cls) if cls is not None else None
    label = first.get(str(RDFS.label)) or first.get(str(TC.role)) or rid
    names = tuple(
        dict.fromkeys(o for p, o, _, _ in statements if p in (str(SKOS.altLabel), str(TC.formerName)) and o != label)
    )
    edge_props = {str(k.iri) for k in ontology.edge_kinds() if not k.is_record}
    own = citations_of(store, [iri]) if citations is None else citations
    groups = relation_groups(g, ontology, iri)
    neighbours = set(g.predecessors(iri)) | set(g.successors(iri)) if iri in g else set()
    neighbours.discard(iri)
    items = timeline_items(store) if items is None else items
    shown = [i for i in items if as_of is None or on_or_before(i.date, as_of)]
    involved = tuple(i for i in shown if i.ref.iri == iri or iri in i.involved)
    via_records = sorted({r.via.iri for grp in groups for r in grp.relations if r.via is not None})
    return EntityPage(
        ref=ref_of(iri, label),
        class_label=info.label if info else "record",
        colour=info.colour if info else "#999999",
        shape=info.shape if info else "dot",
        is_node=bool(info and info.is_node),
        in_view=iri in g,
        description=first.get(str(TC.description), ""),
        names=names,
        facts=tuple(_facts(statements, ontology, edge_props if iri in g else set())),
        citations=own.get(iri, ()),
        confidence=str(g.nodes[iri]["confidence"]) if iri in g else _confidence(statements, own, iri),
        notes=tuple(o for p, o, _, _ in statements if p == str(TC.note)),
        relation_groups=tuple(groups),
        neighbours=len(neighbours),
        ownership_chain=tuple(ownership_chain(g, iri)) if iri in g else (),
        restrictions=tuple(restrictions(g, shown, iri, in_view)) if iri in g else (),
        timeline=involved,
        links=tuple(_links(statements, ontology)),
        claims=tuple(_claims(store, [iri, *via_records], citations, ontology, lambda s: _record_label(g, ontology, s))),
        as_of=as_of,
    )


def _confidence(statements: list[tuple[str, str, str, bool]], citations: dict[str, Any], iri: str) -> str:
    for p, o, _, _ in statements:
        if p == str(TC.confidence):
            return o.rsplit("-", 1)[-1]
    return "verified" if citations.get(iri) else "unverified"
