"""Path traversal, odd IRIs and outbound requests: nothing outside the served folders, no connection anywhere.

Paths are written to the socket as they are, so that no client normalises `..` or percent-escapes away. SERVICE,
LOAD and FROM name a canary HTTP server on loopback, other loopback addresses, private networks (only as query
text: each query must be refused before any connection is tried), the cloud metadata address, `file:` and other
schemes; the canary must receive nothing and no file's content may come back.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.conftest import LiveServer
from tests.security.checks import assert_envelope, raw_exchange, status_of

# Lines of files outside the served folders that must never come back.
SECRETS = (b"root:x:0:0", b"[build-system]", b"def create_app", b"PRIVATE KEY")

TRAVERSALS = [
    "/id/..%2F..%2Fetc%2Fpasswd",
    "/id/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/id/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/id/....//....//etc/passwd",
    "/id/%00",
    "/id/hikvision%00.ttl",
    "/id/" + "a" * 10_000,
    "/id/%E2%80%AEhikvision",
    "/id/h%C4%B1kvision",
    "/id/HIKVISION",
    "/entity/..%2F..%2Fetc%2Fpasswd",
    "/entity/%00",
    "/entity/%2e%2e",
    "/entity/" + "a" * 10_000,
    "/entity/%F0%9F%92%A9",
    "/api/entity/..%2F..%2Fpyproject.toml",
    "/api/entity/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/vendor/vis/../../../../etc/passwd",
    "/vendor/vis/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/vendor/vis/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/vendor/vis/..\\..\\..\\etc\\passwd",
    "/vendor/vis//etc/passwd",
    "/vendor/vis/%00",
    "/static/explorer/../../app.py",
    "/static/explorer/..%2F..%2Fapp.py",
    "/static/explorer/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static/explorer/../../../../../../etc/passwd",
    "/static/query/..%2F..%2Fapp.py",
    "/static/query/../../settings.py",
    "/static/query/%2e%2e%2fquery.html",
    "/download/techcurbs.nq%00.txt",
    "/download/..%2F..%2Fpyproject.toml",
    "/export/network.%2e%2e%2fgraphml",
    "/../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
]


def _get_raw(url: str, path: str) -> bytes:
    return raw_exchange(url, f"GET {path} HTTP/1.1\r\nHost: x\r\nAccept: */*\r\nConnection: close\r\n\r\n".encode())


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_and_odd_ids_get_404_or_400_in_the_envelope(live_server: LiveServer, path: str) -> None:
    answer = _get_raw(live_server.url, path)
    status = status_of(answer)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert status in (400, 404, 422), (path, answer[:300])
    content_type = next(
        (
            line.split(b":", 1)[1].strip().decode()
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-type:")
        ),
        "",
    )
    assert_envelope(status, content_type, body)
    assert not any(secret in body for secret in SECRETS)


def test_static_routes_still_serve_their_own_files(live_server: LiveServer) -> None:
    """The refusals above are not a broken static route: the same prefixes serve the files they hold."""
    for path in ("/static/explorer/explorer.css", "/static/query/query.js", "/vendor/vis/vis-network.min.js"):
        assert status_of(_get_raw(live_server.url, path)) == 200, path


@dataclass
class Canary:
    """A loopback HTTP server that records every request it receives."""

    url: str
    port: int
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            seen.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_POST = do_HEAD = _answer  # noqa: N815 (the names http.server dispatches to)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        yield Canary(url=f"http://127.0.0.1:{port}/sparql", port=port, requests=seen)
    finally:
        server.shutdown()
        server.server_close()


def targets(canary: Canary) -> list[str]:
    """Endpoints a SERVICE or LOAD could reach; the private ones only ever appear as query text."""
    return [
        canary.url,
        f"http://localhost:{canary.port}/sparql",
        f"http://127.0.0.2:{canary.port}/sparql",
        f"http://[::1]:{canary.port}/sparql",
        f"http://0x7f000001:{canary.port}/sparql",
        f"http://2130706433:{canary.port}/sparql",
        "http://10.0.0.1/sparql",
        "http://192.168.1.1/sparql",
        "http://172.16.0.1/sparql",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1:6379/_INFO",
        "urn:x-local:service",
    ]


def test_service_and_load_to_any_address_or_scheme_are_refused(live_server: LiveServer, canary: Canary) -> None:
    for target in targets(canary):
        for query, error in (
            (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}", "service_refused"),
            (f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}", "service_refused"),
            (f"LOAD <{target}>", "read_only"),
            (f"LOAD SILENT <{target}> INTO GRAPH <urn:x:g>", "read_only"),
        ):
            response = httpx.post(f"{live_server.url}/sparql", data={"query": query}, timeout=30)
            assert response.status_code == 403, (query, response.text[:200])
            assert response.json()["error"] == error
    assert canary.requests == []


def test_from_describe_and_graph_parameters_never_fetch(live_server: LiveServer, canary: Canary) -> None:
    """FROM, FROM NAMED, GRAPH, DESCRIBE and default-graph-uri name graphs of the dataset; none is fetched."""
    for target in targets(canary):
        for query in (
            f"ASK FROM <{target}> {{ ?s ?p ?o }}",
            f"ASK FROM NAMED <{target}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            f"ASK {{ GRAPH <{target}> {{ ?s ?p ?o }} }}",
            f"DESCRIBE <{target}>",
        ):
            response = httpx.get(f"{live_server.url}/sparql", params={"query": query, "format": "json"}, timeout=30)
            assert response.status_code in (200, 400), (query, response.text[:200])
            assert not any(secret in response.content for secret in SECRETS)
        named = httpx.get(
            f"{live_server.url}/sparql",
            params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": target, "format": "json"},
            timeout=30,
        )
        assert named.status_code in (200, 400), (target, named.text[:200])
        if named.status_code == 200:
            assert named.json()["results"]["bindings"] == []
    assert canary.requests == []
