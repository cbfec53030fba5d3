"""The worker process: opens the store read-only, evaluates one query at a time and writes results to a file.

Queries run here and not in the server because the engine cannot cancel a running query: the pool kills a worker
past its deadline. Results are lazy and bound to the thread that made them, so they are serialised here, under the
same deadline, into a file the server then streams; the server never sees partial results.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
from rdflib.plugins.sparql.algebra import pprintAlgebra, translateQuery

from api.sparql.functions import CUSTOM_FUNCTIONS, QUERY_PREFIXES
from api.sparql.guard import Form, RefusedError, inspect_query
from api.sparql.negotiation import NotAcceptableError, Serialisation, choose
from api.sparql.results import write_boolean, write_solutions, write_triples
from graph.backend import Backend, open_backend
from graph.query import QueryError
from graph.remote import RemoteError, RemoteTimeoutError
from graph.store import StoreMissingError


@dataclass(frozen=True)
class QuerySpec:
    """A query as a client asked for it: the text, the wanted format, the dataset, explain or not."""

    query: str
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    explain: bool = False
    base_iri: str | None = None


@dataclass(frozen=True, kw_only=True)
class Job(QuerySpec):
    """One query to run, with where to write its results and how many rows to write at most."""

    out_path: str
    max_rows: int


@dataclass(frozen=True)
class Success:
    """Results were written completely (up to the row limit) to the job's file."""

    form: Form | None
    media_type: str
    serialisation: str
    rows: int | None
    truncated: bool
    seconds: float


@dataclass(frozen=True)
class Failure:
    """The query was refused or failed; `kind` says which, `message` is safe to show except for `internal`."""

    kind: str
    message: str
    seconds: float = 0.0


@dataclass(frozen=True)
class Ready:
    """Sent once the worker has opened its store."""

    pid: int


Reply = Success | Failure


def _dataset(job: Job) -> dict[str, object]:
    if job.default_graphs is None and job.named_graphs is None:
        return {}
    return {
        "default_graph": [ox.NamedNode(g) for g in job.default_graphs or ()],
        "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()],
    }


def _explain(parsed: object, out_path: str) -> str:
    algebra = translateQuery(parsed, initNs=QUERY_PREFIXES)  # type: ignore[arg-type]
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        pprintAlgebra(algebra)
    Path(out_path).write_text(text.getvalue(), encoding="utf-8")
    return "text/plain"


def execute(store: Backend, job: Job, allowlist: tuple[str, ...]) -> Reply:
    """Inspect, evaluate and serialise one query; every outcome is a reply, never an exception."""
    start = time.monotonic()
    try:
        inspection = inspect_query(job.query, allowlist, parse=job.explain)
    except RefusedError as exc:
        return Failure(exc.reason, str(exc))
    if job.explain:
        if inspection.parsed is None:
            return Failure("syntax", inspection.parse_error or "the query does not parse")
        try:
            media_type = _explain(inspection.parsed, job.out_path)
        except Exception as exc:  # rdflib raises bare Exceptions for unknown prefixes and the like
            return Failure("syntax", f"cannot explain this query: {exc}")
        return Success(inspection.form, media_type, "text", None, False, time.monotonic() - start)
    serialisation: Serialisation | None = None
    if inspection.form is not None:
        try:
            serialisation = choose(inspection.form, job.accept, job.format)
        except NotAcceptableError as exc:
            return Failure("not_acceptable", str(exc))
    try:
        result = store.query(
            job.query,
            base_iri=job.base_iri,
            prefixes=QUERY_PREFIXES,
            custom_functions=CUSTOM_FUNCTIONS,
            **_dataset(job),  # type: ignore[arg-type]
        )
    except (SyntaxError, QueryError) as exc:
        return Failure("syntax", str(exc), time.monotonic() - start)
    except RemoteTimeoutError as exc:
        return Failure("timeout", str(exc), time.monotonic() - start)
    except RemoteError as exc:
        return Failure("upstream", str(exc), time.monotonic() - start)
    except (OSError, RuntimeError) as exc:  # evaluation errors, e.g. an unknown function
        return Failure("engine", str(exc), time.monotonic() - start)
    form: Form = (
        "SELECT"
        if isinstance(result, ox.QuerySolutions)
        else "ASK"
        if isinstance(result, ox.QueryBoolean)
        else inspection.form or "CONSTRUCT"
    )
    if serialisation is None:
        try:
            serialisation = choose(form, job.accept, job.format)
        except NotAcceptableError as exc:
            return Failure("not_acceptable", str(exc))
    rows: int | None = None
    truncated = False
    try:
        with Path(job.out_path).open("wb", buffering=1 << 16) as out:
            if isinstance(result, ox.QuerySolutions):
                written = write_solutions(result, out, serialisation, job.max_rows)
                rows, truncated = written.count, written.truncated
            elif isinstance(result, ox.QueryBoolean):
                write_boolean(result, out, serialisation)
            else:
                written = write_triples(result, out, serialisation, job.max_rows)
                rows, truncated = written.count, written.truncated
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return Failure("engine", str(exc), time.monotonic() - start)
    return Success(form, serialisation.media_type, serialisation.name, rows, truncated, time.monotonic() - start)


def main(
    conn: Connection, store_path: str, allowlist: tuple[str, ...], endpoint: str = "", timeout: float = 10.0
) -> None:
    """Serve jobs from the pool until the connection closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = open_backend(Path(store_path), endpoint, timeout)
    except (OSError, StoreMissingError) as exc:
        conn.send(Failure("fatal", f"cannot open the store: {exc}"))
        return
    conn.send(Ready(pid=os.getpid()))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = execute(store, job, allowlist)
        except Exception as exc:  # a bug must cost one answer, not the worker
            reply = Failure("internal", f"{type(exc).__name__}: {exc}")
        conn.send(reply)
