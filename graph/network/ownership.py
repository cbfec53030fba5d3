"""Ownership on the projection: the chain of controlling stakes to the ultimate owner, and the restrictions that
reach a company through its owners or subsidiaries."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import networkx as nx

from graph.network.paths import Citation, Hop, RelationPath, citations, is_a, make_hop
from graph.network.records import Record
from graph.vocab import TC

OWNERSHIP = str(TC.Ownership)
ACTION = str(TC.RegulatoryAction)
JURISDICTION = str(TC.jurisdiction)


def _share(attrs: dict[str, Any]) -> Decimal | None:
    try:
        return Decimal(str(attrs.get("share", "")))
    except InvalidOperation:
        return None


def stakes_in(g: nx.MultiDiGraph, company: str, *, controlling_only: bool) -> list[tuple[str, str, dict[str, Any]]]:
    """The stakes held in a company as (owner, key, attributes), largest share first, unknown shares last."""
    found = [
        (owner, key, attrs)
        for owner, _, key, attrs in g.in_edges(company, keys=True, data=True)
        if attrs["relation"] == OWNERSHIP and (attrs["controlling"] or not controlling_only)
    ]

    def order(item: tuple[str, str, dict[str, Any]]) -> tuple[bool, Decimal, bool, str, str]:
        share = _share(item[2])
        verified = item[2]["confidence"] == "verified"
        return (share is None, -(share or Decimal(0)), not verified, str(g.nodes[item[0]]["label"]), item[1])

    return sorted(found, key=order)


@dataclass(frozen=True)
class OwnershipChain:
    """A company, the stakes from it up to its ultimate owner, and that owner."""

    company: str
    path: RelationPath

    @property
    def ultimate_owner(self) -> str:
        """The last owner reached, or the company itself when no controlling stake in it is recorded."""
        return self.path.nodes[-1]

    @property
    def hops(self) -> tuple[Hop, ...]:
        return self.path.hops

    def explain(self) -> str:
        return self.path.explain()

    def to_records(self) -> list[Record]:
        return self.path.to_records()


def ownership_chain(g: nx.MultiDiGraph, company: str, *, controlling_only: bool = True) -> OwnershipChain:
    """Follow the controlling stakes upward from a company, the largest share first, until no one owns the owner.

    A cycle of stakes stops the chain at the first owner seen twice.
    """
    if company not in g:
        raise nx.NodeNotFound(f"{company} is not a node of this graph (resolve names with resolve())")
    nodes = [company]
    hops: list[Hop] = []
    while True:
        current = nodes[-1]
        stakes = [s for s in stakes_in(g, current, controlling_only=controlling_only) if s[0] not in nodes]
        if not stakes:
            break
        owner, key, _ = stakes[0]
        hops.append(make_hop(g, current, owner, key, forward=False))
        nodes.append(owner)
    return OwnershipChain(company=company, path=RelationPath(nodes=tuple(nodes), hops=tuple(hops)))


def _links(g: nx.MultiDiGraph, node: str, *, up: bool, controlling_only: bool) -> list[tuple[str, str]]:
    """The owners (up) or the companies owned (down) of a node, as (other node, edge key)."""
    if up:
        return [(owner, key) for owner, key, _ in stakes_in(g, node, controlling_only=controlling_only)]
    return [
        (owned, key)
        for _, owned, key, attrs in sorted(g.out_edges(node, keys=True, data=True), key=lambda e: e[2])
        if attrs["relation"] == OWNERSHIP and (attrs["controlling"] or not controlling_only)
    ]


def ownership_group(g: nx.MultiDiGraph, company: str, *, controlling_only: bool = True) -> dict[str, RelationPath]:
    """The company, its owners and its subsidiaries, transitively, each with the ownership path from the company.

    Owners are followed only upward and subsidiaries only downward, so a sister company is not included.
    """
    found: dict[str, RelationPath] = {company: RelationPath(nodes=(company,), hops=())}
    for up in (True, False):
        queue = deque([company])
        while queue:
            current = queue.popleft()
            for other, key in _links(g, current, up=up, controlling_only=controlling_only):
                if other in found:
                    continue
                before = found[current]
                hop = make_hop(g, current, other, key, forward=not up)
                found[other] = RelationPath(nodes=(*before.nodes, other), hops=(*before.hops, hop))
                queue.append(other)
    return found


@dataclass(frozen=True)
class Restriction:
    """A regulatory action against a party, and how that party relates to the company asked about."""

    company: str
    company_label: str
    target: str
    target_label: str
    relationship: str
    through: RelationPath
    action: str
    action_label: str
    issuer: str
    issuer_label: str
    jurisdiction: str
    jurisdiction_label: str
    date: str
    confidence: str
    sources: tuple[Citation, ...]

    def to_record(self) -> Record:
        return {
            "company": self.company_label,
            "target": self.target_label,
            "relationship": self.relationship,
            "through": " -> ".join(self.through.labels) if self.through.hops else "",
            "action": self.action_label,
            "issuer": self.issuer_label,
            "jurisdiction": self.jurisdiction_label,
            "date": self.date,
            "confidence": self.confidence,
            "sources": "; ".join(c.short() for c in self.sources),
        }


def _jurisdiction(g: nx.MultiDiGraph, action: str, issuer: str) -> tuple[str, str]:
    """The jurisdiction of an action, or failing that the country of its issuer."""
    if action in g:
        for _, place, attrs in sorted(g.out_edges(action, data=True), key=lambda e: e[1]):
            if attrs["relation"] == JURISDICTION:
                return place, str(g.nodes[place]["label"])
    for _, place, attrs in sorted(g.out_edges(issuer, data=True), key=lambda e: e[1]):
        if attrs["relation"] == str(TC.country):
            return place, str(g.nodes[place]["label"])
    return "", ""


def actions_against(g: nx.MultiDiGraph, target: str) -> list[tuple[str, str, dict[str, Any]]]:
    """The actions that restrict a party, as (issuer, action, edge attributes), oldest first."""
    found = [
        (issuer, str(attrs["via"]), attrs)
        for issuer, _, attrs in g.in_edges(target, data=True)
        if attrs["relation"] == ACTION and attrs["kind"] == "record"
    ]
    return sorted(found, key=lambda item: (item[2]["start"], item[1], item[0]))


def restrictions_reaching(g: nx.MultiDiGraph, company: str, *, controlling_only: bool = True) -> list[Restriction]:
    """The actions against a company, against its owners and against its subsidiaries (transitively)."""
    if company not in g:
        raise nx.NodeNotFound(f"{company} is not a node of this graph (resolve names with resolve())")
    found: list[Restriction] = []
    for member, path in ownership_group(g, company, controlling_only=controlling_only).items():
        if member == company:
            relationship = "itself"
        elif path.hops[0].forward:
            relationship = "subsidiary"
        else:
            relationship = "owner"
        for issuer, action, attrs in actions_against(g, member):
            jurisdiction, jurisdiction_label = _jurisdiction(g, action, issuer)
            found.append(
                Restriction(
                    company=company,
                    company_label=str(g.nodes[company]["label"]),
                    target=member,
                    target_label=str(g.nodes[member]["label"]),
                    relationship=relationship,
                    through=path,
                    action=action,
                    action_label=str(attrs["via_label"]),
                    issuer=issuer,
                    issuer_label=str(g.nodes[issuer]["label"]),
                    jurisdiction=jurisdiction,
                    jurisdiction_label=jurisdiction_label,
                    date=str(attrs["start"]),
                    confidence=str(attrs["confidence"]),
                    sources=citations(attrs),
                )
            )
    order = {"itself": 0, "subsidiary": 1, "owner": 2}
    return sorted(found, key=lambda r: (order[r.relationship], len(r.through), r.date, r.action, r.target))


def restriction_table(g: nx.MultiDiGraph, *, target_classes: tuple[str, ...] = (str(TC.Company),)) -> list[Record]:
    """One row per action and restricted party of the given classes: who restricts whom, where and when."""
    rows: list[Record] = []
    for target in g.nodes:
        if not is_a(g, target, target_classes):
            continue
        for issuer, action, attrs in actions_against(g, target):
            jurisdiction, jurisdiction_label = _jurisdiction(g, action, issuer)
            rows.append(
                {
                    "jurisdiction": jurisdiction_label,
                    "target": str(g.nodes[target]["label"]),
                    "target_country": str(g.nodes[target]["country"]),
                    "action": str(attrs["via_label"]),
                    "issuer": str(g.nodes[issuer]["label"]),
                    "date": str(attrs["start"]),
                    "confidence": str(attrs["confidence"]),
                    "jurisdiction_iri": jurisdiction,
                    "target_iri": target,
                    "action_iri": action,
                }
            )
    return sorted(rows, key=lambda r: (r["jurisdiction"], r["target"], r["date"], r["action"]))
