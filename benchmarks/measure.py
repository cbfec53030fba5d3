"""Measuring a running server over HTTP: latency per query, throughput under concurrent clients, repeated pages.

Latency and throughput send every request with a query text of its own (a numbered comment), so that no answer
cache serves them and the engines themselves are compared; the repeated workload sends the very same URLs again
and again, as people opening the same popular pages do, so that an answer cache may serve them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import aiohttp
import httpx
import psutil

from benchmarks.queries import Query

ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/plain;q=0.5"


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def answer_size(body: bytes, content_type: str) -> int:
    """Rows of a SELECT, 1/0 for ASK, triples of a CONSTRUCT: to check that every server gives the same answer."""
    if "json" in content_type:
        data = json.loads(body)
        if "boolean" in data:
            return int(bool(data["boolean"]))
        return len(data.get("results", {}).get("bindings", []))
    return sum(1 for line in body.splitlines() if line.strip() and not line.startswith(b"#"))


def busted(text: str, n: int) -> str:
    """The same query with a comment of its own, so that no cache can answer it."""
    return f"{text}\n# bench request {n}\n"


_counter = itertools.count()


@dataclass
class Latency:
    """Sequential timings of one query on one server, in milliseconds."""

    query: str
    times_ms: list[float] = field(default_factory=list)
    rows: int | None = None
    error: str = ""
    # The warm-up request: for this project's views, the first one also builds what later ones reuse.
    first_ms: float = float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else float("nan")

    @property
    def p95(self) -> float:
        return percentile(self.times_ms, 95)


def _get(client: httpx.Client, url: str, params: dict[str, str] | None) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = client.get(url, params=params, headers={"Accept": ACCEPT})
    return (time.perf_counter() - start) * 1000, response


def _timed(
    name: str,
    request: Callable[[int], tuple[float, httpx.Response]],
    reps: int,
    budget: float,
    sized: bool,
) -> Latency:
    """One warm-up, then up to `reps` timed requests or as many as fit in `budget` seconds (at least 3)."""
    result = Latency(name)
    try:
        result.first_ms, response = request(next(_counter))
        if response.status_code != 200:
            result.error = f"HTTP {response.status_code}: {response.text[:200]}"
            return result
        if sized:
            result.rows = answer_size(response.content, response.headers.get("content-type", ""))
        start = time.perf_counter()
        for i in range(reps):
            ms, response = request(next(_counter))
            if response.status_code != 200:
                result.error = f"HTTP {response.status_code}"
                return result
            result.times_ms.append(ms)
            if i >= 2 and time.perf_counter() - start > budget:
                break
    except httpx.TimeoutException:
        result.error = "timeout"
    return result


def query_latency(
    sparql_url: str, query: Query, *, reps: int = 15, budget: float = 6.0, timeout: float = 60.0
) -> Latency:
    """Latency of one query sent by GET ?query= again and again, one at a time, never cached."""
    with httpx.Client(timeout=timeout) as client:
        return _timed(
            query.name,
            lambda n: _get(client, sparql_url, {"query": busted(query.text, n)}),
            reps,
            budget,
            sized=True,
        )


@dataclass
class CpuCost:
    """CPU time (user and system) per request, in milliseconds: the server's own process, the processes it
    started (this project's query workers), and the client sending the requests."""

    main_ms: float
    children_ms: float
    client_ms: float
    requests: int


def _cpu_seconds(procs: list[psutil.Process]) -> float:
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
        except psutil.Error:  # a worker that ended in between
            continue
        total += times.user + times.system
    return total


def cpu_per_request(pid: int, sparql_url: str, query: Query, *, requests: int = 300, warm: int = 30) -> CpuCost:
    """The CPU one request of `query` costs each side, over `requests` sent one at a time, never cached."""
    root = psutil.Process(pid)
    with httpx.Client(timeout=60.0) as client:
        for _ in range(warm):  # starts the query workers, so that they are counted below
            _get(client, sparql_url, {"query": busted(query.text, next(_counter))})
        children = root.children(recursive=True)
        main, kids, mine = _cpu_seconds([root]), _cpu_seconds(children), time.process_time()
        for _ in range(requests):
            _get(client, sparql_url, {"query": busted(query.text, next(_counter))})
        mine = time.process_time() - mine
        main, kids = _cpu_seconds([root]) - main, _cpu_seconds(children) - kids
    per = 1000 / requests
    return CpuCost(main * per, kids * per, mine * per, requests)


def cached_latency(sparql_url: str, query: Query, *, reps: int = 15, budget: float = 6.0) -> Latency:
    """Latency of one query sent unchanged again and again: after the first, an answer cache may serve it."""
    with httpx.Client(timeout=60.0) as client:
        return _timed(query.name, lambda n: _get(client, sparql_url, {"query": query.text}), reps, budget, sized=True)


def page_latency(
    base: str, name: str, path: str, *, reps: int = 15, budget: float = 6.0, timeout: float = 300.0
) -> Latency:
    """Latency of one explorer URL, never cached (an extra parameter of its own each time)."""
    sep = "&" if "?" in path else "?"
    with httpx.Client(timeout=timeout) as client:
        return _timed(name, lambda n: _get(client, f"{base}{path}{sep}bench={n}", None), reps, budget, sized=False)


def first_requests(base: str, paths: Sequence[str], timeout: float = 300.0) -> list[dict[str, object]]:
    """Status and seconds of one request of each path, in order: what the first readers of a server wait for."""
    out: list[dict[str, object]] = []
    with httpx.Client(timeout=timeout) as client:
        for path in paths:
            start = time.perf_counter()
            response = client.get(f"{base}{path}")
            out.append({"path": path, "status": response.status_code, "seconds": time.perf_counter() - start})
    return out


@dataclass(frozen=True)
class Throughput:
    """Completed requests per second with `clients` concurrent clients for `seconds`."""

    clients: int
    seconds: float
    completed: int
    errors: int
    # Why requests failed: an HTTP status or an exception name, with counts.
    error_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.completed / self.seconds if self.seconds else 0.0


async def _load(
    urls: Callable[[int, int], tuple[str, dict[str, str] | None]], clients: int, seconds: float, timeout: float
) -> Throughput:
    """`clients` loops, each sending its next request as soon as the last one is answered, for `seconds`.

    The load comes from aiohttp, whose HTTP parser is compiled: with httpx the client itself used most of a CPU
    and set the pace of any server answering in well under a millisecond, as answers from a cache do.
    """
    completed = errors = 0
    kinds: dict[str, int] = {}
    connector = aiohttp.TCPConnector(limit=clients)
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=client_timeout, headers={"Accept": ACCEPT}) as client:
        start = time.perf_counter()
        end = start + seconds

        async def worker(index: int) -> None:
            nonlocal completed, errors
            for n in itertools.count():
                if time.perf_counter() >= end:
                    return
                url, params = urls(index, n)
                try:
                    async with client.get(url, params=params) as response:
                        await response.read()
                        kind = "" if response.status in (200, 304) else f"HTTP {response.status}"
                except (aiohttp.ClientError, TimeoutError) as exc:
                    kind = type(exc).__name__
                if time.perf_counter() <= end:
                    if not kind:
                        completed += 1
                    else:
                        errors += 1
                        kinds[kind] = kinds.get(kind, 0) + 1

        await asyncio.gather(*(worker(i) for i in range(clients)))
    return Throughput(clients, seconds, completed, errors, kinds)


def mix_throughput(
    sparql_url: str, queries: list[Query], clients: int, *, seconds: float = 5.0, timeout: float = 60.0
) -> Throughput:
    """Throughput of the query mix, each client going round it from its own starting point, never cached."""

    def urls(index: int, n: int) -> tuple[str, dict[str, str] | None]:
        query = queries[(index + n) % len(queries)]
        return sparql_url, {"query": busted(query.text, next(_counter))}

    return asyncio.run(_load(urls, clients, seconds, timeout))


def warm_up(urls: list[tuple[str, dict[str, str] | None]], timeout: float = 120.0) -> None:
    """Request each URL once, one at a time, with the client that then sends the load (the same bytes on the
    wire: a cache keyed by the URL sees the same keys)."""

    async def run() -> None:
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with aiohttp.ClientSession(timeout=client_timeout, headers={"Accept": ACCEPT}) as client:
            for url, params in urls:
                async with client.get(url, params=params) as response:
                    await response.read()

    asyncio.run(run())


def repeated_throughput(
    urls: list[tuple[str, dict[str, str] | None]], clients: int, *, seconds: float = 5.0, timeout: float = 60.0
) -> Throughput:
    """Throughput of the same few URLs requested again and again (popular pages and example queries)."""

    def pick(index: int, n: int) -> tuple[str, dict[str, str] | None]:
        return urls[(index + n) % len(urls)]

    return asyncio.run(_load(pick, clients, seconds, timeout))
