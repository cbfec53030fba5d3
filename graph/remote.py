"""A remote SPARQL 1.1 endpoint used in place of the embedded store.

`RemoteStore.query` answers like `pyoxigraph.Store.query`: solutions and booleans are pyoxigraph objects parsed
from the endpoint's answer, so the API, the explorer and the Python API run unchanged on either. It always has a
timeout, posts queries as forms (some engines hang on direct POST), and turns the ways engines hide trouble in a
200 answer (Virtuoso's `X-SPARQL-MaxRows` cut, its `X-SQL-State: S1TAT` timeout) into clear errors.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

import httpx
import pyoxigraph as ox

from graph.build import Compiled
from graph.query import QueryError

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
ACCEPT_RESULTS = f"{RESULTS_JSON}, application/sparql-results+xml;q=0.9"
# Asked for by query form: some engines (Virtuoso) answer a CONSTRUCT as a table when results are acceptable.
ACCEPT_GRAPH = f"{N_TRIPLES}, text/turtle;q=0.9"
# Virtuoso answers ASK as a one-row table with this variable instead of a boolean.
VIRTUOSO_ASK = "__ASK_RETVAL"
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


class RemoteError(Exception):
    """The remote endpoint failed, timed out or gave an incomplete answer."""


class RemoteTimeoutError(RemoteError):
    """The remote endpoint did not answer within the time allowed, or said it gave up."""


class RemoteTruncatedError(RemoteError):
    """The remote endpoint cut the results short and said so only in a header."""


@dataclass
class RemoteTriples:
    """CONSTRUCT or DESCRIBE results from a remote endpoint, read like pyoxigraph's QueryTriples."""

    triples: list[ox.Triple]

    def __iter__(self) -> Iterator[ox.Triple]:
        return iter(self.triples)

    def serialize(self, output: IO[bytes] | None = None, format: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes | None:
        data = ox.serialize(self.triples, format=format)
        assert isinstance(data, bytes)
        if output is None:
            return data
        output.write(data)
        return None


def _prologue(sparql: str, prefixes: dict[str, str] | None) -> str:
    if not prefixes:
        return sparql
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in prefixes.items()) + sparql


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword outside IRIs, strings and comments."""
    text = re.sub(r"""<[^<>\s]*>|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|#[^\n]*""", " ", sparql)
    match = _FORM.search(text)
    return match.group(1).upper() if match else "SELECT"


def _unshift_positions(message: str, lines: int) -> str:
    """Error positions as in the query the caller wrote, not in the text sent with its added prologue."""
    return re.sub(r"\bat (\d+):(\d+)", lambda m: f"at {max(1, int(m.group(1)) - lines)}:{m.group(2)}", message)


class RemoteStore:
    """A read-mostly view of a SPARQL endpoint with the query method of `pyoxigraph.Store`."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        store_url: str | None = None,
        timeout: float = 10.0,
        default_union: bool = False,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url
        self.store_url = store_url
        self.timeout = timeout
        self.default_union = default_union
        self._client = httpx.Client(timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)), follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    def query(
        self,
        query: str,
        *,
        prefixes: dict[str, str] | None = None,
        use_default_graph_as_union: bool = False,
        default_graph: object = None,
        named_graphs: object = None,
        base_iri: str | None = None,
        custom_functions: object = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | RemoteTriples:
        """Run a query remotely; the answer is parsed into pyoxigraph objects before it is returned.

        Custom functions cannot travel to another engine: a query using one fails there with its message.
        """
        text = _prologue(query, prefixes)
        if base_iri:
            text = f"BASE <{base_iri}>\n{text}"
        added_lines = text.count("\n") - query.count("\n")
        form: dict[str, str | list[str]] = {"query": text}
        if isinstance(default_graph, list):
            form["default-graph-uri"] = [g.value for g in default_graph if isinstance(g, ox.NamedNode)]
        if isinstance(named_graphs, list):
            form["named-graph-uri"] = [g.value for g in named_graphs if isinstance(g, ox.NamedNode)]
        try:
            graph_form = query_form(query) in ("CONSTRUCT", "DESCRIBE")
            accept = ACCEPT_GRAPH if graph_form else ACCEPT_RESULTS
            response = self._client.post(self.query_url, data=form, headers={"Accept": accept})
        except httpx.TimeoutException as exc:
            raise RemoteTimeoutError(f"{self.query_url} did not answer within {self.timeout:g} s") from exc
        except httpx.HTTPError as exc:
            raise RemoteError(f"{self.query_url} could not be reached: {exc}") from exc
        return self._parse(response, added_lines)

    def _parse(self, response: httpx.Response, added_lines: int) -> ox.QuerySolutions | ox.QueryBoolean | RemoteTriples:
        if response.headers.get("X-SQL-State", "").upper() == "S1TAT":
            raise RemoteTimeoutError("the remote endpoint stopped the query at its own time limit (X-SQL-State S1TAT)")
        if "X-SPARQL-MaxRows" in response.headers:
            raise RemoteTruncatedError(
                f"the remote endpoint cut the results at {response.headers['X-SPARQL-MaxRows']} rows"
            )
        if response.status_code == 400:
            message = response.text.strip() or "the remote endpoint refused the query"
            raise QueryError(_unshift_positions(message, added_lines))
        if response.status_code >= 400:
            raise RemoteError(f"the remote endpoint answered {response.status_code}: {response.text[:500]}")
        media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        body = response.content
        if media in (RESULTS_JSON, "application/json"):
            return _virtuoso_ask(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))
        if media == "application/sparql-results+xml":
            return _virtuoso_ask(ox.parse_query_results(body, format=ox.QueryResultsFormat.XML))
        rdf_format = ox.RdfFormat.from_media_type(media)
        if rdf_format is None:
            raise RemoteError(f"the remote endpoint answered in an unexpected format {media!r}")
        return RemoteTriples([q.triple for q in ox.parse(body, format=rdf_format)])

    def dump(
        self,
        output: IO[bytes] | None = None,
        format: ox.RdfFormat = ox.RdfFormat.N_QUADS,
        *,
        from_graph: ox.DefaultGraph | ox.NamedNode | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> bytes | None:
        """The dataset (or one graph of it) serialised, as `pyoxigraph.Store.dump` writes it."""
        if from_graph is None:
            where = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        elif isinstance(from_graph, ox.DefaultGraph):
            where = "?s ?p ?o"
        else:
            where = f"GRAPH <{from_graph.value}> {{ ?s ?p ?o }} BIND(<{from_graph.value}> AS ?g)"
        rows = self.query(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}")
        assert isinstance(rows, ox.QuerySolutions)
        quads = []
        for row in rows:
            graph = row["g"]
            name = graph if isinstance(graph, ox.NamedNode) else ox.DefaultGraph()
            quads.append(ox.Quad(row["s"], row["p"], row["o"], name))
        data = ox.serialize(
            quads if from_graph is None else [q.triple for q in quads], format=format, prefixes=prefixes
        )
        assert isinstance(data, bytes)
        if output is None:
            return data
        output.write(data)
        return None

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        assert isinstance(result, ox.QuerySolutions)
        row = next(iter(result))
        value = row["n"]
        return int(value.value) if isinstance(value, ox.Literal) else 0


def _virtuoso_ask(result: ox.QuerySolutions | ox.QueryBoolean) -> ox.QuerySolutions | ox.QueryBoolean:
    """Virtuoso's one-row `__ASK_RETVAL` table for an ASK, read as the boolean it stands for."""
    if not isinstance(result, ox.QuerySolutions) or [v.value for v in result.variables] != [VIRTUOSO_ASK]:
        return result
    row = next(iter(result), None)
    value = row[VIRTUOSO_ASK] if row is not None else None
    truth = isinstance(value, ox.Literal) and value.value not in ("0", "false")
    answer = ox.parse_query_results(
        b'{"head":{},"boolean":%s}' % (b"true" if truth else b"false"), format=ox.QueryResultsFormat.JSON
    )
    assert isinstance(answer, ox.QueryBoolean)
    return answer


def publish_remote(compiled: Compiled, store_url: str, *, timeout: float = 60.0) -> int:
    """Replace the remote dataset with a build through the Graph Store Protocol; return the quads sent.

    Each graph is sent with one PUT (`?default` and `?graph=IRI`), so every graph is replaced whole; the dataset
    as a whole is not swapped atomically, which no protocol offers across engines.
    """
    graphs: dict[str, list[ox.Triple]] = {}
    for quad in ox.parse(compiled.nquads, format=ox.RdfFormat.N_QUADS):
        key = "" if isinstance(quad.graph_name, ox.DefaultGraph) else str(getattr(quad.graph_name, "value", ""))
        graphs.setdefault(key, []).append(quad.triple)
    sent = 0
    with httpx.Client(timeout=timeout) as client:
        for graph, triples in sorted(graphs.items()):
            params = {"default": ""} if graph == "" else {"graph": graph}
            body = io.BytesIO()
            data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            assert isinstance(data, bytes)
            body.write(data)
            response = client.put(
                store_url, params=params, content=body.getvalue(), headers={"Content-Type": N_TRIPLES}
            )
            if response.status_code >= 300:
                raise RemoteError(
                    f"{store_url} refused graph {graph or 'default'}: {response.status_code} {response.text[:300]}"
                )
            sent += len(triples)
    return sent
