"""Malformed, huge, binary and badly encoded requests get a clear 4xx in the envelope, and the server stays healthy.

Requests go to a real uvicorn server on loopback; those that no HTTP client would send (raw invalid bytes, a TLS
handshake, a 10 MB request line) are written to a socket as they are. Requests so malformed that uvicorn itself
refuses them before the app sees them (invalid bytes in the request line, headers over its limit) get uvicorn's
plain-text 400 or a closed connection: never an answer, never a crash.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.conftest import LiveServer, start_server
from tests.security.checks import assert_envelope, raw_exchange, status_of

TEN_MB = 10 * 1024 * 1024
MAX_QUERY = 2000  # characters; bodies are refused past 12 bytes a character plus 64 kB
ASK = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def small_app(curated_store_path: Path) -> Iterator[FastAPI]:
    app = create_app(
        Settings(
            store=curated_store_path,
            rate_limit_per_second=0,
            query_workers=1,
            query_timeout=5,
            max_query_length=MAX_QUERY,
        )
    )
    yield app
    app.state.sparql.close()


@pytest.fixture(scope="module")
def server(small_app: FastAPI) -> Iterator[LiveServer]:
    yield from start_server(small_app)


def assert_healthy(url: str) -> None:
    assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
    answer = httpx.get(f"{url}/sparql", params={"query": ASK}, headers={"Accept": "application/json"}, timeout=10)
    assert answer.status_code == 200
    assert answer.json()["boolean"] is True


# (what, path, query parameters, expected status)
GET_CASES = [
    ("query one character too long", "/sparql", {"query": "ASK {}" + " " * (MAX_QUERY - 5)}, 413),
    ("query with invalid UTF-8 escapes", "/sparql?query=%FF%FE%C3", None, 400),
    ("query with a NUL byte", "/sparql?query=ASK%00%7B%7D", None, 400),
    ("query with broken escapes", "/sparql?query=%zz%", None, 400),
    ("query given twice", "/sparql", [("query", ASK), ("query", ASK)], 400),
    ("binary query", "/sparql", {"query": bytes(range(256)).decode("latin-1")}, 400),
    ("update parameter", "/sparql", {"update": "CLEAR ALL"}, 403),
    ("search text over its limit", "/api/search", {"q": "x" * 10_000}, 422),
    ("search limit not a number", "/api/search", {"q": "hik", "limit": "ten"}, 422),
    ("entity id with invalid UTF-8", "/api/entity/%FF%FE", None, 422),
    ("entity id with a NUL byte", "/api/entity/hik%00vision", None, 422),
    ("entity id of 5000 characters", "/api/entity/" + "a" * 5000, None, 422),
    ("depth beyond 64 bits", "/api/network", {"entity": "hikvision", "depth": "9" * 30}, 422),
    ("impossible date", "/api/network", {"as_of": "2025-13-45"}, 422),
    ("date with markup", "/api/timeline", {"from": "<script>"}, 422),
    ("41 relation filters", "/api/network", [("rel", "ownership")] * 41, 422),
    ("negative k", "/api/paths", {"from": "hikvision", "to": "huawei", "k": "-1"}, 422),
    ("unknown export format", "/export/network.exe", None, 422),
    ("unknown download format", "/download/techcurbs.exe", None, 404),
    ("entity IRI with invalid UTF-8", "/id/%FF%00", None, 404),
]


@pytest.mark.parametrize(("what", "path", "params", "status"), GET_CASES, ids=[c[0] for c in GET_CASES])
def test_malformed_get_gets_a_clear_4xx(server: LiveServer, what: str, path: str, params: object, status: int) -> None:
    response = httpx.get(server.url + path, params=params, timeout=30)  # type: ignore[arg-type]
    assert response.status_code == status, (what, response.text[:300])
    assert_envelope(status, response.headers["content-type"], response.content)
    assert_healthy(server.url)


# (what, body, content type or None, expected status)
POST_CASES = [
    ("no content type", b"query=ASK%7B%7D", None, 415),
    ("text/plain", ASK.encode(), "text/plain", 415),
    ("JSON body", b'{"query": "ASK {}"}', "application/json", 415),
    (
        "multipart form",
        b"--x\r\ncontent-disposition: form-data; name=query\r\n\r\nASK{}\r\n--x--",
        "multipart/form-data; boundary=x",
        415,
    ),
    ("Latin-1 charset", ASK.encode(), "application/sparql-query; charset=latin-1", 415),
    ("garbage content type", ASK.encode(), "\x7f;;;=;charset", 415),
    ("update body", b"CLEAR ALL", "application/sparql-update", 403),
    ("invalid UTF-8 query", b"ASK { ?s ?p \xff\xfe }", "application/sparql-query", 400),
    ("invalid UTF-8 form", b"query=ASK\xff%7B%7D", "application/x-www-form-urlencoded", 400),
    ("form with invalid UTF-8 escapes", b"query=%FF%FE", "application/x-www-form-urlencoded", 400),
    ("NUL bytes", b"ASK\x00{\x00}", "application/sparql-query", 400),
    ("binary body", bytes(range(256)) * 4, "application/sparql-query", 400),
    ("form without a query", b"format=json", "application/x-www-form-urlencoded", 400),
    ("empty query", b"", "application/sparql-query", 400),
    ("query in body and URL", ASK.encode(), "application/sparql-query", 400),
]


@pytest.mark.parametrize(("what", "body", "media_type", "status"), POST_CASES, ids=[c[0] for c in POST_CASES])
def test_malformed_post_gets_a_clear_4xx(
    server: LiveServer, what: str, body: bytes, media_type: str | None, status: int
) -> None:
    headers = {"Content-Type": media_type} if media_type is not None else {}
    params = {"query": ASK} if what == "query in body and URL" else None
    response = httpx.post(f"{server.url}/sparql", content=body, headers=headers, params=params, timeout=30)
    assert response.status_code == status, (what, response.text[:300])
    assert_envelope(status, response.headers["content-type"], response.content)
    assert_healthy(server.url)


@pytest.mark.parametrize("media_type", ["application/sparql-query", "application/x-www-form-urlencoded"])
def test_a_ten_megabyte_body_is_refused_with_413(small_app: FastAPI, media_type: str) -> None:
    """In process, so that the answer is read whole: the server refuses before reading the body."""
    with TestClient(small_app) as client:
        body = b"query=" + b"A" * TEN_MB if "form" in media_type else b"A" * TEN_MB
        response = client.post("/sparql", content=body, headers={"Content-Type": media_type})
        assert response.status_code == 413
        assert_envelope(413, response.headers["content-type"], response.content)
        chunked = client.post("/sparql", content=iter([b"A" * 65536] * 160), headers={"Content-Type": media_type})
        assert chunked.status_code == 413, "a body without Content-Length is cut off as soon as it is too long"


def test_ten_megabytes_over_the_wire_are_refused_and_the_server_stays_healthy(server: LiveServer) -> None:
    head = b"POST /sparql HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/sparql-query\r\n"
    declared = raw_exchange(server.url, head + b"Content-Length: %d\r\n\r\n" % TEN_MB + b"A" * TEN_MB)
    # The server answers 413 before reading the body and closes; a client still sending may only see the close.
    assert declared == b"" or status_of(declared) == 413
    long_line = raw_exchange(
        server.url, b"GET /sparql?query=" + b"A" * TEN_MB + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert long_line == b"" or 400 <= status_of(long_line) < 500
    assert_healthy(server.url)


RAW_CASES = [
    (
        "invalid bytes in the request line",
        b"GET /sparql?query=\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ),
    ("invalid bytes in the path", b"GET /entity/\xc3\x28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
    ("a TLS handshake", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64),
    (
        "a header of 200 kB",
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 200_000 + b"\r\nConnection: close\r\n\r\n",
    ),
    (
        "a bad Content-Length",
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\nASK{}",
    ),
    ("HTTP/0.9", b"GET /\r\n\r\n"),
]


@pytest.mark.parametrize(("what", "request_bytes"), RAW_CASES, ids=[c[0] for c in RAW_CASES])
def test_bytes_that_are_not_http_get_a_400_or_a_close(server: LiveServer, what: str, request_bytes: bytes) -> None:
    answer = raw_exchange(server.url, request_bytes)
    assert answer == b"" or status_of(answer) == 400, (what, answer[:200])
    assert_healthy(server.url)


def test_a_hostile_host_header_is_harmless(server: LiveServer) -> None:
    """The Host header becomes the base IRI of queries: one that is not a valid IRI must not break them."""
    for host in ("a b<>", "[zz", "\u0430.example", "x" * 2000):
        response = httpx.get(
            f"{server.url}/sparql",
            params={"query": "SELECT ?x WHERE { BIND(<rel> AS ?x) }"},
            headers={"Host": host.encode("utf-8"), "Accept": b"application/json"},
            timeout=10,
        )
        assert response.status_code in (200, 400), (host, response.text[:200])
        if response.status_code == 400:
            assert_envelope(400, response.headers["content-type"], response.content)
    assert_healthy(server.url)


DEEP = {
    "5000 nested brackets": "ASK { FILTER(" + "(" * 5000 + "true" + ")" * 5000 + ") }",
    "5000 nested groups": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "10000 negations": "ASK { FILTER(" + "!" * 10000 + "true) }",
}


def test_deeply_nested_queries_are_refused_before_a_parser_overflows(live_server: LiveServer) -> None:
    """Oxigraph's parser overflows its stack (the worker dies with SIGSEGV) a few thousand levels deep."""
    with httpx.Client(base_url=live_server.url, timeout=30) as client:
        for what, query in DEEP.items():
            response = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
            assert response.status_code == 400, (what, response.text[:200])
            assert response.json()["error"] == "query_syntax"
            assert "levels deep" in response.json()["detail"]
        deep_but_fine = "ASK { FILTER(" + "(" * 200 + "true" + ")" * 200 + ") }"
        answer = client.post(
            "/sparql",
            content=deep_but_fine,
            headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
        )
        assert answer.status_code == 200 and answer.json()["boolean"] is True


@pytest.mark.parametrize("path", ["/.well-known/void", "/sparql"])
def test_a_forged_host_header_cannot_poison_the_answer_cache(small_app: FastAPI, path: str) -> None:
    """VoID and the service description are written with the request's base URL, and repeated GETs are cached."""
    with TestClient(small_app) as client:
        forged = client.get(path, headers={"Host": "evil.example", "Accept": "text/turtle"})
        assert forged.status_code == 200
        honest = client.get(path, headers={"Accept": "text/turtle"})
        assert honest.status_code == 200
        assert "evil.example" not in honest.text
        assert honest.headers["etag"] != forged.headers["etag"]
