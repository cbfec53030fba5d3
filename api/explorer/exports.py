"""Downloads of the view on screen: nodes and edges as CSV, GraphML, GEXF and JSON-LD, with the same counts.

Every format is written from the same `NetworkData` the page draws, so a file holds exactly the nodes and edges
of the view (folded "+N more" neighbours included, as in the table).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import networkx as nx
from rdflib.namespace import DCTERMS

from api.explorer.netview import NetworkData
from graph.network import Citation
from graph.ontology import Ontology
from graph.timeline import Timeline
from graph.vocab import PREFIXES


@dataclass(frozen=True)
class Download:
    body: bytes
    media_type: str
    extension: str


NODE_COLUMNS = ("id", "record_id", "label", "class", "country", "confidence", "date", "level")
EDGE_COLUMNS = ("id", "source", "target", "label", "relation", "via", "start", "end", "confidence", "sources")
FORMATS = ("nodes.csv", "edges.csv", "graphml", "gexf", "jsonld", "json")


def _urls(citations: tuple[Citation, ...]) -> str:
    return " ".join(c.url for c in citations)


# Spreadsheets run a cell that starts with one of these as a formula (CSV injection); a leading ' makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(cell: str) -> str:
    """A cell a spreadsheet shows as text and never runs, otherwise unchanged."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _csv(header: tuple[str, ...], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_text(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8")


def nodes_csv(data: NetworkData) -> bytes:
    rows = [
        [n.id, n.record_id, n.label, n.class_label, n.country, n.confidence, n.date, str(n.level)] for n in data.nodes
    ]
    return _csv(NODE_COLUMNS, rows)


def edges_csv(data: NetworkData) -> bytes:
    rows = [
        [e.id, e.source, e.target, e.label, e.relation, e.via, e.start, e.end, e.confidence, _urls(e.citations)]
        for e in data.edges
    ]
    return _csv(EDGE_COLUMNS, rows)


def as_networkx(data: NetworkData) -> nx.MultiDiGraph:
    """The view as a networkx graph whose attributes are all text or numbers, as GraphML and GEXF need."""
    g = nx.MultiDiGraph()
    for n in data.nodes:
        g.add_node(
            n.id,
            label=n.label,
            record_id=n.record_id,
            cls=n.cls,
            class_label=n.class_label,
            colour=n.colour,
            country=n.country,
            confidence=n.confidence,
            date=n.date,
            level=n.level,
        )
    for e in data.edges:
        g.add_edge(
            e.source,
            e.target,
            key=e.id,
            label=e.label,
            relation=e.relation,
            via=e.via,
            start=e.start,
            end=e.end,
            confidence=e.confidence,
            sources=" ".join(c.url for c in e.citations),
        )
    return g


def graphml(data: NetworkData) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(as_networkx(data), out, encoding="utf-8")
    return out.getvalue()


def gexf(data: NetworkData) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(as_networkx(data), out, encoding="utf-8")
    return out.getvalue()


def jsonld(data: NetworkData, ontology: Ontology) -> bytes:
    """Nodes as typed, labelled resources; each edge as an rdf:Statement with its label, record and sources.

    Written as plain JSON in the order of the view, so that the same view always gives the same bytes.
    """
    context: dict[str, Any] = {name: iri for name, iri in PREFIXES.items()}
    context["dcterms"] = str(DCTERMS)
    graph: list[dict[str, Any]] = []
    for n in data.nodes:
        node: dict[str, Any] = {"@id": n.id, "rdfs:label": n.label}
        if n.cls:
            node["@type"] = n.cls
        graph.append(node)
    for index, e in enumerate(data.edges):
        statement: dict[str, Any] = {
            "@id": f"_:edge{index}",
            "@type": "rdf:Statement",
            "rdf:subject": {"@id": e.source},
            "rdf:predicate": {"@id": e.relation},
            "rdf:object": {"@id": e.target},
            "rdfs:label": e.label,
            "dcterms:identifier": e.id,
            "dcterms:source": [{"@id": c.url} for c in e.citations],
        }
        if e.via:
            statement["dcterms:isPartOf"] = {"@id": e.via}
        concept = ontology.concept("confidence", e.confidence)
        if concept is not None:
            statement["tc:confidence"] = {"@id": str(concept)}
        graph.append(statement)
    document = {"@context": context, "@graph": graph}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def network_download(data: NetworkData, ontology: Ontology, fmt: str, json_body: bytes) -> Download:
    """The view in one of FORMATS; `json_body` is the JSON view itself, already encoded."""
    match fmt:
        case "nodes.csv":
            return Download(nodes_csv(data), "text/csv; charset=utf-8", fmt)
        case "edges.csv":
            return Download(edges_csv(data), "text/csv; charset=utf-8", fmt)
        case "graphml":
            return Download(graphml(data), "application/graphml+xml", fmt)
        case "gexf":
            return Download(gexf(data), "application/gexf+xml", fmt)
        case "jsonld":
            return Download(jsonld(data, ontology), "application/ld+json", fmt)
        case _:
            return Download(json_body, "application/json", "json")


TIMELINE_COLUMNS = ("date", "kind", "type", "id", "label", "jurisdiction", "actors", "targets", "status", "sources")


def timeline_csv(timeline: Timeline) -> bytes:
    rows = [
        [
            item.date,
            item.kind,
            item.type_label,
            item.ref.id,
            item.ref.label,
            item.jurisdiction.label if item.jurisdiction else "",
            "; ".join(a.label for a in item.actors),
            "; ".join(t.label for t in item.targets),
            item.status or "",
            " ".join(c.url for c in item.citations),
        ]
        for item in timeline.items
    ]
    return _csv(TIMELINE_COLUMNS, rows)
