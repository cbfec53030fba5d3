"""Where a small query's time goes inside this project's server, layer by layer, measured in process.

Each layer adds one thing to the one before it: the engine alone (Oxigraph evaluating and serialising), the
worker's whole job (the guard, evaluation and this project's writers), the round trip to a worker process, and
the app (routing, middleware, parameter parsing, the answer cache) called as ASGI without a socket. The HTTP
figures of the latency table then add the HTTP server and the client.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.types import Message

from api.app import create_app
from api.settings import Settings
from api.sparql.endpoint import Endpoint, QueryRequest
from api.sparql.functions import CUSTOM_FUNCTIONS, QUERY_PREFIXES
from api.sparql.worker import Job, execute
from benchmarks.measure import busted
from graph.backend import open_backend

ACCEPT = "application/sparql-results+json"


def _median_us(run: Callable[[int], object], reps: int) -> float:
    times = []
    for n in range(reps):
        start = time.perf_counter()
        run(n)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times[reps // 10 :])


async def _median_us_async(run: Callable[[int], Awaitable[object]], reps: int) -> float:
    times = []
    for n in range(reps):
        start = time.perf_counter()
        await run(n)
        times.append((time.perf_counter() - start) * 1e6)
    return statistics.median(times[reps // 10 :])


def breakdown(store: Path, text: str, reps: int = 300) -> dict[str, float]:
    """Microseconds, the median of `reps` runs of `text` (each with a comment of its own), for each layer."""
    engine = ox.Store.read_only(str(store.resolve()))
    backend = open_backend(store, "", 60.0)

    def native(n: int) -> bytes | None:
        result = engine.query(busted(text, n), prefixes=QUERY_PREFIXES, custom_functions=CUSTOM_FUNCTIONS)
        assert isinstance(result, ox.QuerySolutions)
        return result.serialize(format=ox.QueryResultsFormat.JSON)

    def job(n: int) -> object:
        return execute(backend, Job(query=busted(text, n), accept=ACCEPT, out_path="", max_rows=100_000), ())

    app = create_app(Settings(store=store, rate_limit_per_second=0))
    endpoint = app.state.sparql
    assert isinstance(endpoint, Endpoint)

    async def round_trip(n: int) -> object:
        return await endpoint.answer(QueryRequest(query=busted(text, n), client="bench", accept=ACCEPT))

    async def asgi(n: int) -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": "/sparql",
            "raw_path": b"/sparql",
            "root_path": "",
            "query_string": urlencode({"query": busted(text, n + reps)}).encode(),
            "headers": [(b"host", b"127.0.0.1"), (b"accept", ACCEPT.encode())],
            "client": ("127.0.0.1", 1),
            "server": ("127.0.0.1", 80),
        }
        status: list[int] = []

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))

        await app(scope, receive, send)
        assert status == [200], status

    async def in_loop() -> tuple[float, float]:
        await round_trip(-1)  # starts the worker processes
        return await _median_us_async(round_trip, reps), await _median_us_async(asgi, reps)

    try:
        figures = {"engine": _median_us(native, reps), "worker": _median_us(job, reps)}
        figures["round_trip"], figures["app"] = asyncio.run(in_loop())
    finally:
        endpoint.close()
    return figures
