"""A flood from one client is limited without hurting others."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.ratelimit import TokenBuckets
from api.settings import Settings
from tests.conftest import LiveServer, start_server


def test_a_bucket_allows_bursts_then_the_rate() -> None:
    buckets = TokenBuckets(rate=2.0, burst=3)
    assert [buckets.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a", now=0.0) == pytest.approx(0.5)
    assert buckets.take("b", now=0.0) == 0.0, "another client has its own bucket"
    assert buckets.take("a", now=0.5) == 0.0, "half a second at two a second refills one token"


@pytest.fixture(scope="module")
def limited_server(curated_store_path: Path) -> Iterator[LiveServer]:
    settings = Settings(store=curated_store_path, rate_limit_per_second=5, rate_limit_burst=10)
    yield from start_server(create_app(settings))


def _client(address: str) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=10)


def test_a_flooding_client_gets_429_in_the_envelope_while_others_are_served(limited_server: LiveServer) -> None:
    flooder, bystander = _client("127.0.0.2"), _client("127.0.0.3")
    statuses = [flooder.get(f"{limited_server.url}/api/search", params={"q": "hik"}).status_code for _ in range(40)]
    assert statuses.count(429) >= 20
    assert statuses[:10] == [200] * 10, "the burst is served"
    refused = flooder.get(f"{limited_server.url}/api/search", params={"q": "hik"})
    assert refused.status_code == 429
    assert refused.json() == {
        "error": "too_many_requests",
        "detail": "too many requests from this client; slow down",
        "status": 429,
    }
    assert int(refused.headers["retry-after"]) >= 1
    assert bystander.get(f"{limited_server.url}/api/search", params={"q": "hik"}).status_code == 200
    assert flooder.get(f"{limited_server.url}/healthz").status_code == 200, "health checks are never limited"
