"""Every response carries the security headers: pages, JSON, static files, downloads, every error, 304s and 429s.

The headers: a Content-Security-Policy that names no other origin, `X-Content-Type-Options: nosniff`, and a frame
policy (`X-Frame-Options: DENY` or `frame-ancestors 'none'`). Responses made by middleware before any route runs
(the answer cache's 304, the rate limit's 429, the catch-all 500) must carry them too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from api.app import create_app
from api.settings import Settings


def assert_secure(response: Response, what: str) -> None:
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert policy, f"{what} ({response.status_code}) has no Content-Security-Policy"
    assert "http:" not in policy and "https:" not in policy and "*" not in policy, (what, policy)
    assert headers.get("x-content-type-options") == "nosniff", f"{what} ({response.status_code}) may be sniffed"
    framed = headers.get("x-frame-options", "").upper() == "DENY" or "frame-ancestors 'none'" in policy
    assert framed, f"{what} ({response.status_code}) may be framed"


# (what, method, path, keyword arguments of the request, expected status)
REQUESTS = [
    ("home page", "GET", "/", {}, 200),
    ("entity page", "GET", "/entity/hikvision", {}, 200),
    ("entity IRI as HTML", "GET", "/id/hikvision", {"headers": {"Accept": "text/html"}}, 200),
    ("entity IRI as Turtle", "GET", "/id/hikvision", {"headers": {"Accept": "text/turtle"}}, 200),
    ("query page", "GET", "/query", {}, 200),
    ("JSON", "GET", "/api/search?q=hik", {}, 200),
    ("SPARQL results", "GET", "/sparql?query=ASK%7B%7D", {}, 200),
    ("SPARQL results by POST", "POST", "/sparql", {"data": {"query": "ASK {}"}}, 200),
    ("service description", "GET", "/sparql", {"headers": {"Accept": "text/turtle"}}, 200),
    ("download", "GET", "/download/techcurbs.ttl", {}, 200),
    ("CSV export", "GET", "/export/timeline.csv", {}, 200),
    ("explorer static file", "GET", "/static/explorer/explorer.css", {}, 200),
    ("query page static file", "GET", "/static/query/query.js", {}, 200),
    ("vendored vis-network", "GET", "/vendor/vis/vis-network.min.js", {}, 200),
    ("OpenAPI document", "GET", "/openapi.json", {}, 200),
    ("API docs", "GET", "/docs", {}, 200),
    ("health", "GET", "/healthz", {}, 200),
    ("metrics", "GET", "/metrics", {}, 200),
    ("HEAD of a static file", "HEAD", "/static/explorer/explorer.css", {}, 200),
    (
        "CORS preflight",
        "OPTIONS",
        "/sparql",
        {"headers": {"Origin": "https://x.example", "Access-Control-Request-Method": "POST"}},
        204,
    ),
    ("unknown path", "GET", "/nowhere", {}, 404),
    ("unknown entity page", "GET", "/entity/no-such-entity", {}, 404),
    ("unknown static file", "GET", "/static/explorer/none.css", {}, 404),
    ("unknown vendored file", "GET", "/vendor/vis/none.js", {}, 404),
    ("wrong method", "DELETE", "/api/search", {}, 405),
    ("invalid parameter", "GET", "/api/search?limit=ten", {}, 422),
    ("bad date on a page", "GET", "/entity/hikvision?as_of=20x", {}, 400),
    ("syntax error", "GET", "/sparql?query=SELECT", {}, 400),
    ("update", "POST", "/sparql", {"data": {"update": "CLEAR ALL"}}, 403),
    ("not acceptable", "GET", "/id/hikvision", {"headers": {"Accept": "image/png"}}, 406),
    (
        "too long",
        "POST",
        "/sparql",
        {"content": b"ASK {}" + b" " * 200_000, "headers": {"Content-Type": "application/sparql-query"}},
        413,
    ),
    (
        "unsupported media type",
        "POST",
        "/sparql",
        {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}},
        415,
    ),
]


@pytest.mark.parametrize(("what", "method", "path", "kwargs", "status"), REQUESTS, ids=[r[0] for r in REQUESTS])
def test_every_response_class_carries_the_headers(
    client: TestClient, what: str, method: str, path: str, kwargs: dict[str, object], status: int
) -> None:
    response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, (what, response.text[:200])
    assert_secure(response, what)


def test_a_304_and_a_cached_answer_carry_the_headers(client: TestClient) -> None:
    first = client.get("/api/search?q=huawei")
    etag = first.headers["etag"]
    cached = client.get("/api/search?q=huawei")
    assert_secure(cached, "an answer from the cache")
    not_modified = client.get("/api/search?q=huawei", headers={"If-None-Match": etag})
    assert not_modified.status_code == 304
    assert_secure(not_modified, "304 Not Modified")


@pytest.fixture(scope="module")
def limited(curated_store_path: Path) -> Iterator[TestClient]:
    app = create_app(
        Settings(store=curated_store_path, rate_limit_per_second=0.01, rate_limit_burst=1, query_workers=1)
    )
    with TestClient(app) as test_client:
        yield test_client
    app.state.sparql.close()


def test_a_429_carries_the_headers(limited: TestClient) -> None:
    assert limited.get("/api/search?q=a").status_code == 200
    refused = limited.get("/api/search?q=b")
    assert refused.status_code == 429
    assert_secure(refused, "429 Too Many Requests")


@pytest.fixture(scope="module")
def failing_app(curated_store_path: Path) -> Iterator[FastAPI]:
    """The app with one extra route that fails as a bug would."""
    app = create_app(Settings(store=curated_store_path, rate_limit_per_second=0, query_workers=1))

    def broken() -> None:
        raise RuntimeError("a bug, with a secret path /etc/techcurbs/secret")

    app.add_api_route("/broken", broken)
    yield app
    app.state.sparql.close()


def test_a_500_carries_the_headers_and_shows_no_internals(failing_app: FastAPI) -> None:
    with TestClient(failing_app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/broken")
    assert response.status_code == 500
    assert response.json() == {"error": "internal_error", "detail": "internal error", "status": 500}
    assert_secure(response, "500 Internal Server Error")
