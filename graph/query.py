"""Running read-only SPARQL on the store and writing results as people and tools read them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.vocab import PREFIXES

if TYPE_CHECKING:
    from graph.backend import Backend
    from graph.remote import RemoteTriples

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


class QueryError(ValueError):
    """The query could not be parsed or evaluated; the message is the engine's."""


@dataclass(frozen=True)
class Table:
    """SELECT results as plain strings, for printing and for small Python uses."""

    variables: list[str]
    rows: list[list[str]]


def term_text(term: object) -> str:
    """A result term as text: the IRI, the literal's lexical form or the blank node's label."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term.value
    return str(term)


def truthy(text: str) -> bool:
    """A boolean result read as text: "true", or "1" from engines that store booleans as integers (Virtuoso)."""
    return text in ("true", "1")


def run(store: Backend, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | RemoteTriples:
    """Evaluate a query with the project's prefixes predeclared."""
    try:
        return store.query(sparql, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QueryError(str(exc)) from exc
    except OSError as exc:
        raise QueryError(str(exc)) from exc


def solutions_table(result: ox.QuerySolutions) -> Table:
    variables = [v.value for v in result.variables]
    rows = [[term_text(solution[v]) for v in variables] for solution in result]
    return Table(variables, rows)


def _solutions(store: Backend, sparql: str) -> ox.QuerySolutions:
    result = run(store, sparql)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("expected a SELECT query")
    return result


def select_table(store: Backend, sparql: str) -> Table:
    """Run a SELECT query and return its rows as text."""
    return solutions_table(_solutions(store, sparql))


def select_rows(store: Backend, sparql: str) -> Iterator[list[str]]:
    """Run a SELECT query and yield its rows as text one at a time, for answers too large to hold as a table."""
    result = _solutions(store, sparql)
    count = len(result.variables)
    for solution in result:
        yield [term_text(solution[i]) for i in range(count)]


def format_table(table: Table) -> str:
    widths = [len(v) for v in table.variables]
    for row in table.rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(table.variables, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table.rows)
    return "\n".join(lines)


def serialise(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | RemoteTriples, fmt: str) -> bytes:
    """Serialise any query result in a result format (json, csv, tsv, xml) or graph format (ttl, nt, ...)."""
    out = io.BytesIO()
    if not isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        graph_format = GRAPH_FORMATS.get(fmt, ox.RdfFormat.TURTLE)
        result.serialize(out, graph_format)
    else:
        result.serialize(out, RESULT_FORMATS.get(fmt, ox.QueryResultsFormat.JSON))
    return out.getvalue()
