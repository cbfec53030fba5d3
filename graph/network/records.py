"""Results as pandas-friendly records: lists of flat dicts of text, numbers and booleans."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

Record = dict[str, Any]


class HasRecord(Protocol):
    """A result object that can describe itself as one flat record."""

    def to_record(self) -> Record: ...


def to_records(items: Iterable[HasRecord]) -> list[Record]:
    """Results as a list of dicts, ready for `pandas.DataFrame(...)`."""
    return [item.to_record() for item in items]


def sparql_json_records(results: dict[str, Any]) -> list[Record]:
    """SPARQL 1.1 JSON results (as SPARQLWrapper returns them) as records: one dict per row, values as text."""
    variables = [str(v) for v in results.get("head", {}).get("vars", [])]
    rows = results.get("results", {}).get("bindings", [])
    return [{v: row[v]["value"] if v in row else None for v in variables} for row in rows]


def rdflib_records(result: Iterable[Any], variables: Iterable[Any]) -> list[Record]:
    """rdflib SELECT results as records: `rdflib_records(result, result.vars)`, values as text, None when unbound."""
    names = [str(v) for v in variables]
    return [{n: None if value is None else str(value) for n, value in zip(names, row, strict=True)} for row in result]
