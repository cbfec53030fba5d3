"""The one function routes call to answer a SPARQL query, with the limits that make the endpoint safe to expose."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from fastapi import Request

from api.errors import (
    ApiError,
    BadRequestError,
    BusyError,
    NotAcceptableError,
    PayloadTooLargeError,
    QueryFailedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyError,
    ServiceRefusedError,
    TooManyRequestsError,
    UnavailableError,
    UpstreamError,
)
from api.settings import Settings
from api.sparql.description import Statistics, statistics
from api.sparql.metrics import Metrics
from api.sparql.pool import PoolBusyError, QueryPool, WorkerLostError, WorkerTimeoutError
from api.sparql.worker import Failure, Job, QuerySpec, Success
from graph.export import export_graph

if TYPE_CHECKING:
    from graph.backend import Backend

TRUNCATED_HEADER = "X-TechCurbs-Truncated"
ROW_LIMIT_HEADER = "X-TechCurbs-Row-Limit"
ROWS_HEADER = "X-TechCurbs-Rows"
ADMITTED_PER_WORKER = 16
# Answers up to this size come back from the worker in its reply; larger ones are streamed from a file.
INLINE_BYTES = 1 << 20

FAILURES: dict[str, type[ApiError]] = {
    "update": ReadOnlyError,
    "service": ServiceRefusedError,
    "not_acceptable": NotAcceptableError,
    "syntax": QuerySyntaxError,
    "engine": QueryFailedError,
    "fatal": UnavailableError,
    "timeout": QueryTimeoutError,
    "upstream": UpstreamError,
}


@dataclass(frozen=True, kw_only=True)
class QueryRequest(QuerySpec):
    """A query as the protocol delivers it, already decoded, and the client that sent it."""

    client: str


@dataclass(frozen=True)
class Answer:
    """Complete results, in memory (`body`) or in a file ready to stream (`path`), and the headers that describe
    them."""

    body: bytes | None
    path: Path | None
    content_type: str
    headers: dict[str, str]
    success: Success


@dataclass
class ClientLimiter:
    """At most `limit` queries running at once for one client."""

    limit: int
    _running: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def slot(self, client: str) -> Iterator[None]:
        with self._lock:
            if self._running.get(client, 0) >= self.limit:
                raise TooManyRequestsError(
                    f"at most {self.limit} queries may run at once from one client; wait for one to finish"
                )
            self._running[client] = self._running.get(client, 0) + 1
        try:
            yield
        finally:
            with self._lock:
                self._running[client] -= 1
                if not self._running[client]:
                    del self._running[client]


class Endpoint:
    """The SPARQL service of one app: its worker pool, limits and metrics."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store_path = settings.store.resolve()
        self.pool = QueryPool(
            self.store_path,
            settings.query_workers,
            settings.service_allowlist,
            settings.endpoint,
            settings.query_timeout,
        )
        self.metrics = Metrics()
        self.limiter = ClientLimiter(settings.max_concurrent_per_client)
        # Queries admitted at once, running or waiting for a worker: the queue is bounded and fails fast, so that
        # a burst cannot pile up more waiting work than the workers could finish within the deadline.
        self.admitted = threading.BoundedSemaphore(settings.query_workers * ADMITTED_PER_WORKER)

        self._statistics: Statistics | None = None
        self._downloads: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.pool.close()

    def statistics(self, store: Backend) -> Statistics:
        """Counts for VoID and the service description, computed once: the store never changes under an app."""
        with self._lock:
            if self._statistics is None:
                self._statistics = statistics(store)
            return self._statistics

    def download(self, store: Backend, fmt: str) -> bytes:
        """The whole dataset in one format, exported once and kept: the store never changes under an app."""
        with self._lock:
            if fmt not in self._downloads:
                self._downloads[fmt] = export_graph(store, fmt)
            return self._downloads[fmt]

    async def answer(self, request: QueryRequest) -> Answer:
        """Run a query under every limit; complete results or an error, never partial results."""
        start = time.monotonic()
        outcome = "error"
        try:
            answer = await self._answer(request)
            outcome = "truncated" if answer.success.truncated else "ok"
            return answer
        except ApiError as exc:
            outcome = exc.code
            raise
        finally:
            self.metrics.observe(outcome, time.monotonic() - start)

    async def _answer(self, request: QueryRequest) -> Answer:
        limit = self.settings.max_query_length
        if len(request.query) > limit:
            self.metrics.refusals.labels("too_long").inc()
            raise PayloadTooLargeError(f"the query has {len(request.query)} characters; the limit is {limit}")
        if not request.query.strip():
            raise QuerySyntaxError("the query is empty")
        _check_graph_iris(request)
        try:
            with self.limiter.slot(request.client):
                if not self.admitted.acquire(blocking=False):
                    self.metrics.refusals.labels("busy").inc()
                    raise BusyError("every query worker is busy and the queue is full; retry in a few seconds")
                try:
                    return await self._run(request)
                finally:
                    self.admitted.release()
        except TooManyRequestsError:
            self.metrics.refusals.labels("too_many").inc()
            raise

    async def _run(self, request: QueryRequest) -> Answer:
        path = self.pool.result_path()
        spec = {f.name: getattr(request, f.name) for f in fields(QuerySpec)}
        job = Job(**spec, out_path=str(path), max_rows=self.settings.max_rows, inline_bytes=INLINE_BYTES)
        timeout = self.settings.query_timeout
        try:
            reply = await self.pool.run(job, timeout)
        except WorkerTimeoutError as exc:
            path.unlink(missing_ok=True)
            self.metrics.timeouts.inc()
            raise QueryTimeoutError(f"{exc} (limit {timeout:g} s); narrow the query or add a LIMIT") from exc
        except PoolBusyError as exc:
            raise BusyError(str(exc)) from exc
        except WorkerLostError as exc:
            path.unlink(missing_ok=True)
            raise UnavailableError(str(exc)) from exc
        if isinstance(reply, Failure):
            path.unlink(missing_ok=True)
            if reply.kind in ("update", "service"):
                self.metrics.refusals.labels(reply.kind).inc()
            error = FAILURES.get(reply.kind)
            if error is None:
                raise RuntimeError(f"query worker failed: {reply.message}")
            raise error(reply.message)
        headers = {"X-TechCurbs-Query-Seconds": f"{reply.seconds:.3f}"}
        if reply.rows is not None:
            headers[ROWS_HEADER] = str(reply.rows)
        if reply.truncated:
            self.metrics.truncations.inc()
            headers[TRUNCATED_HEADER] = "true"
            headers[ROW_LIMIT_HEADER] = str(self.settings.max_rows)
        body = reply.body
        return Answer(body, None if body is not None else path, f"{reply.media_type}; charset=utf-8", headers, reply)


def _check_graph_iris(request: QueryRequest) -> None:
    """Refuse a default-graph-uri or named-graph-uri that is not an absolute IRI, before any worker sees it."""
    for name, iris in (("default-graph-uri", request.default_graphs), ("named-graph-uri", request.named_graphs)):
        for iri in iris or ():
            try:
                ox.NamedNode(iri)
            except ValueError as exc:
                raise BadRequestError(f"{name} {iri!r} is not an absolute IRI: {exc}") from exc


async def endpoint_of(request: Request) -> Endpoint:
    """FastAPI dependency: the SPARQL service of the app serving this request (a coroutine: no thread)."""
    endpoint = request.app.state.sparql
    assert isinstance(endpoint, Endpoint)
    return endpoint


def base_url(settings: Settings, request: Request) -> str:
    """The public base URL: the configured one behind a proxy, else the one the client used."""
    return (settings.base_url or str(request.base_url)).rstrip("/")
