"""Result writers that stream to a file row by row and stop at a row limit, saying so instead of cutting silently.

SELECT results are written here (oxigraph's writers cannot stop after n rows); the output matches oxigraph's own
serialisations. Graph results go through `pyoxigraph.serialize` with a counting iterator.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO

import pyoxigraph as ox
from rdflib.namespace import XSD

from api.sparql.negotiation import Serialisation
from graph.query import GRAPH_FORMATS
from graph.vocab import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
XSD_STRING = str(XSD.string)
# Literals TSV writes bare, as Turtle allows and oxigraph does.
_BARE = {
    str(XSD.integer): re.compile(r"[+-]?[0-9]+"),
    str(XSD.decimal): re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    str(XSD.boolean): re.compile(r"true|false"),
}
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;"})


class Limited:
    """An iterator that stops after `limit` items and remembers whether more were left."""

    def __init__(self, items: Iterable[object], limit: int) -> None:
        self._items = iter(items)
        self.limit = limit
        self.count = 0
        self.truncated = False

    def __iter__(self) -> Iterator[object]:
        for item in self._items:
            if self.count >= self.limit:
                self.truncated = True
                return
            self.count += 1
            yield item


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    out: dict[str, object] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
        if term.direction is not None:
            out["its:dir"] = "rtl" if term.direction == ox.BaseDirection.RTL else "ltr"
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{term.value.translate(_XML_ESCAPES)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{term.value.translate(_XML_ESCAPES)}</bnode>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>"
        )
    text = term.value.translate(_XML_ESCAPES)
    if term.language:
        return f'<literal xml:lang="{term.language}">{text}</literal>'
    if term.datatype.value != XSD_STRING:
        return f'<literal datatype="{term.datatype.value.translate(_XML_ESCAPES)}">{text}</literal>'
    return f"<literal>{text}</literal>"


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal) and not term.language:
        pattern = _BARE.get(term.datatype.value)
        if pattern is not None and pattern.fullmatch(term.value):
            return term.value
    return str(term)


def write_solutions(solutions: ox.QuerySolutions, out: IO[bytes], serialisation: Serialisation, limit: int) -> Limited:
    """Write SELECT results in JSON, XML, CSV or TSV; at most `limit` rows."""
    names = [v.value for v in solutions.variables]
    rows = Limited(solutions, limit)
    writer = {"json": _write_json, "xml": _write_xml, "csv": _write_csv, "tsv": _write_tsv}[serialisation.name]
    writer(names, rows, out)
    return rows


def _values(row: object, names: list[str]) -> list[Term | None]:
    assert isinstance(row, ox.QuerySolution)
    return [row[name] for name in names]


def _write_json(names: list[str], rows: Limited, out: IO[bytes]) -> None:
    out.write(b'{"head":{"vars":' + json.dumps(names, separators=(",", ":")).encode() + b'},"results":{"bindings":[')
    for index, row in enumerate(rows):
        binding = {n: _json_term(v) for n, v in zip(names, _values(row, names), strict=True) if v is not None}
        out.write((b"," if index else b"") + json.dumps(binding, ensure_ascii=False, separators=(",", ":")).encode())
    out.write(b"]}")
    if rows.truncated:
        out.write(b',"truncated":true,"limit":' + str(rows.limit).encode())
    out.write(b"}")


def _write_xml(names: list[str], rows: Limited, out: IO[bytes]) -> None:
    head = "".join(f'<variable name="{n}"/>' for n in names)
    out.write(f'<?xml version="1.0"?><sparql xmlns="{RESULTS_NS}"><head>{head}</head><results>'.encode())
    for row in rows:
        cells = "".join(
            f'<binding name="{n}">{_xml_term(v)}</binding>'
            for n, v in zip(names, _values(row, names), strict=True)
            if v is not None
        )
        out.write(f"<result>{cells}</result>".encode())
    out.write(b"</results></sparql>")


class _ByteText:
    """A text sink over a binary file, for the csv module."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out

    def write(self, text: str) -> int:
        return self._out.write(text.encode())


def _write_csv(names: list[str], rows: Limited, out: IO[bytes]) -> None:
    writer = csv.writer(_ByteText(out), lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_term(v) for v in _values(row, names)])


def _write_tsv(names: list[str], rows: Limited, out: IO[bytes]) -> None:
    out.write(("\t".join(f"?{n}" for n in names) + "\n").encode())
    for row in rows:
        out.write(("\t".join(_tsv_term(v) for v in _values(row, names)) + "\n").encode())


def write_triples(triples: Iterable[ox.Triple], out: IO[bytes], serialisation: Serialisation, limit: int) -> Limited:
    """Write CONSTRUCT or DESCRIBE results; at most `limit` triples."""
    rows = Limited(triples, limit)
    fmt = GRAPH_FORMATS[serialisation.name]
    prefixes = PREFIXES if serialisation.name in ("ttl", "rdfxml") else None
    ox.serialize(rows, out, format=fmt, prefixes=prefixes)  # type: ignore[arg-type]
    return rows


def write_boolean(result: ox.QueryBoolean, out: IO[bytes], serialisation: Serialisation) -> None:
    """Write an ASK result; CSV and TSV carry it as one row, as oxigraph does."""
    formats = {
        "json": ox.QueryResultsFormat.JSON,
        "xml": ox.QueryResultsFormat.XML,
        "csv": ox.QueryResultsFormat.CSV,
        "tsv": ox.QueryResultsFormat.TSV,
    }
    result.serialize(out, formats[serialisation.name])
