"""Fifty clients for a fixed time, then the same with runaway queries: no errors, latency kept, memory back."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pyoxigraph as ox
import pytest

from graph.query import select_table
from tests.reliability.server import ServerProcess, serve

T = TypeVar("T")
CLIENTS = 50
PHASE_SECONDS = 6.0
QUERY_TIMEOUT = 2.0
RUNAWAYS = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a (rdf:type|!rdf:type)* ?b . ?c ?d ?e }",
)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    failures: list[tuple[str, int]] = field(default_factory=list)

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _workload(store: ox.Store) -> list[str]:
    """Paths a newsroom's readers and a researcher's scripts would request, over the whole graph."""
    ids = [row[0].rsplit("/", 1)[-1] for row in select_table(store, "SELECT ?e WHERE { ?e a tc:Organisation }").rows]
    paths = []
    for record in ids[:60]:
        paths += [f"/api/entity/{record}", f"/entity/{record}", f"/api/search?q={record[:4]}"]
    paths += [
        "/",
        "/timeline",
        "/sparql?query=" + "SELECT ?a ?l WHERE { ?a a tc:RegulatoryAction ; rdfs:label ?l } LIMIT 50",
        "/sparql?query=" + "SELECT ?j (COUNT(?a) AS ?n) WHERE { ?a tc:jurisdiction ?j } GROUP BY ?j",
        "/sparql?query=" + "ASK { ?s tc:source ?src }",
    ]
    return paths


async def _clients(server: ServerProcess, paths: list[str], seconds: float, tally: Tally) -> None:
    async def one(seed: int) -> None:
        rng = random.Random(seed)
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                path = rng.choice(paths)
                started = time.monotonic()
                response = await client.get(path)
                tally.latencies.append(time.monotonic() - started)
                if response.status_code != 200:
                    tally.failures.append((path, response.status_code))

    await asyncio.gather(*(one(seed) for seed in range(CLIENTS)))


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine on a loop of its own thread (the browser tests keep a loop running on the main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _runaway(server: ServerProcess, query: str) -> tuple[int, float, dict[str, object]]:
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as client:
        started = time.monotonic()
        response = await client.get("/sparql", params={"query": query}, headers={"Accept": "application/json"})
        return response.status_code, time.monotonic() - started, response.json()


@pytest.mark.slow
def test_fifty_clients_then_runaways_under_load(curated_store_path: Path, curated_store: ox.Store) -> None:
    paths = _workload(curated_store)
    with serve(curated_store_path, rate_limit_per_second="0", query_timeout=str(QUERY_TIMEOUT)) as server:
        warm = Tally()
        _run(_clients(server, paths, 1.0, warm))
        baseline_rss = server.rss_bytes()

        steady = Tally()
        _run(_clients(server, paths, PHASE_SECONDS, steady))
        print(
            f"\nsteady load: {len(steady.latencies)} requests from {CLIENTS} clients in {PHASE_SECONDS:g} s, "
            f"p50 {statistics.median(steady.latencies) * 1000:.0f} ms, p99 {steady.quantile(0.99) * 1000:.0f} ms"
        )
        assert steady.failures == []

        async def with_runaways() -> list[tuple[int, float, dict[str, object]]]:
            light = asyncio.create_task(_clients(server, paths, PHASE_SECONDS, under_attack))
            await asyncio.sleep(0.5)
            outcomes = await asyncio.gather(*(_runaway(server, q) for q in RUNAWAYS))
            await light
            return list(outcomes)

        under_attack = Tally()
        outcomes = _run(with_runaways())
        print(
            f"with runaways: {len(under_attack.latencies)} requests, "
            f"p50 {statistics.median(under_attack.latencies) * 1000:.0f} ms, "
            f"p99 {under_attack.quantile(0.99) * 1000:.0f} ms; runaways answered after "
            + ", ".join(f"{elapsed:.2f} s ({status})" for status, elapsed, _ in outcomes)
        )
        assert under_attack.failures == []
        for status, elapsed, body in outcomes:
            assert status in (503, 504)
            assert body["error"] == "query_timeout"
            assert elapsed < QUERY_TIMEOUT + 1.0
        assert under_attack.quantile(0.95) < max(1.0, 3 * steady.quantile(0.95))

        time.sleep(1.0)
        after = server.rss_bytes()
        print(f"memory: {baseline_rss / 2**20:.0f} MiB before, {after / 2**20:.0f} MiB after the runaways")
        assert after < baseline_rss + 150 * 2**20
        assert httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"}, timeout=5).status_code == 200
