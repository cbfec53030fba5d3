"""The worker process: opens the store read-only, evaluates one query at a time and serialises its results.

Queries run here and not in the server because the engine cannot cancel a running query: the pool kills a worker
past its deadline. Results are lazy and bound to the thread that made them, so they are serialised here, under the
same deadline: small answers travel back in the reply itself, larger ones spill to a file the server then streams.
Either way the server never sees partial results.
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
from typing import BinaryIO

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
    """One query to run: how many rows to write at most, how large an answer may travel in the reply, and the
    file that takes a larger one."""

    out_path: str
    max_rows: int
    inline_bytes: int = 1 << 20


@dataclass(frozen=True)
class Success:
    """Results were written completely (up to the row limit): in `body`, or in the job's file when `body` is None."""

    form: Form | None
    media_type: str
    serialisation: str
    rows: int | None
    truncated: bool
    seconds: float
    body: bytes | None = None


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


class Spill(io.BytesIO):
    """A sink that keeps what is written in memory up to `limit` bytes, then moves it all to the file at `path`."""

    def __init__(self, path: str, limit: int) -> None:
        super().__init__()
        self.path = path
        self.limit = limit
        self._file: BinaryIO | None = None

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self._file is None and self.tell() + len(data) > self.limit:
            file = Path(self.path).open("wb", buffering=1 << 16)  # noqa: SIM115 (closed by finish or discard)
            file.write(self.getbuffer())
            self._file = file
        if self._file is not None:
            return self._file.write(data)
        return super().write(data)

    def finish(self) -> bytes | None:
        """The answer when it stayed in memory; None when it is in the file, now complete and closed."""
        if self._file is None:
            return self.getvalue()
        self._file.close()
        return None

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            Path(self.path).unlink(missing_ok=True)


def _explain(parsed: object) -> bytes:
    algebra = translateQuery(parsed, initNs=QUERY_PREFIXES)  # type: ignore[arg-type]
    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        pprintAlgebra(algebra)
    return text.getvalue().encode("utf-8")


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
            plan = _explain(inspection.parsed)
        except Exception as exc:  # rdflib raises bare Exceptions for unknown prefixes and the like
            return Failure("syntax", f"cannot explain this query: {exc}")
        return Success(inspection.form, "text/plain", "text", None, False, time.monotonic() - start, plan)
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
    out = Spill(job.out_path, job.inline_bytes)
    try:
        if isinstance(result, ox.QuerySolutions):
            written = write_solutions(result, out, serialisation, job.max_rows)
            rows, truncated = written.count, written.truncated
        elif isinstance(result, ox.QueryBoolean):
            write_boolean(result, out, serialisation)
        else:
            written = write_triples(result, out, serialisation, job.max_rows)
            rows, truncated = written.count, written.truncated
        body = out.finish()
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        out.discard()
        return Failure("engine", str(exc), time.monotonic() - start)
    seconds = time.monotonic() - start
    return Success(form, serialisation.media_type, serialisation.name, rows, truncated, seconds, body)


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
