"""The remote backend against a real Oxigraph server on loopback, and against the traps of other engines."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest

from graph.build import compile_data
from graph.query import QueryError, solutions_table
from graph.remote import RemoteStore, RemoteTimeoutError, RemoteTruncatedError, publish_remote
from graph.store import open_store, publish
from graph.vocab import PREFIXES
from tests.conftest import oxigraph_server as start_oxigraph
from tests.graph.fixtures import MINIMAL, write_dataset

SELECT = "SELECT ?name WHERE { ?o a tc:Organisation ; rdfs:label ?name } ORDER BY ?name"


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real, empty Oxigraph server process on a free loopback port."""
    with start_oxigraph(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


def test_a_build_published_remotely_answers_like_the_embedded_store(oxigraph_server: str, tmp_path: Path) -> None:
    compiled = compile_data([write_dataset(tmp_path / "data", MINIMAL)])
    sent = publish_remote(compiled, f"{oxigraph_server}/store")
    assert sent == compiled.quad_count
    publish(compiled, tmp_path / "store")
    local = open_store(tmp_path / "store")
    remote = RemoteStore(f"{oxigraph_server}/query", timeout=5)
    remote_rows = remote.query(SELECT, prefixes=PREFIXES)
    local_rows = local.query(SELECT, prefixes=PREFIXES)
    assert isinstance(remote_rows, ox.QuerySolutions) and isinstance(local_rows, ox.QuerySolutions)
    assert solutions_table(remote_rows) == solutions_table(local_rows)
    assert bool(remote.query("ASK { ?s a tc:RegulatoryAction }", prefixes=PREFIXES))
    described = list(remote.query("DESCRIBE id:acme", prefixes=PREFIXES))
    assert len(described) == len(list(local.query("DESCRIBE id:acme", prefixes=PREFIXES)))
    assert len(remote) == compiled.quad_count


def test_a_remote_syntax_error_is_a_query_error(oxigraph_server: str) -> None:
    with pytest.raises(QueryError):
        RemoteStore(f"{oxigraph_server}/query", timeout=5).query("SELECT WHERE {")


class _Trap(BaseHTTPRequestHandler):
    """Answers as Virtuoso does when it gives up or cuts results: 200 with a header."""

    headers_to_send: ClassVar[dict[str, str]] = {}
    delay = 0.0

    def do_POST(self) -> None:
        time.sleep(self.delay)
        body = b'{"head":{"vars":["s"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        for name, value in self.headers_to_send.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


def _serve(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()


@pytest.mark.parametrize(
    ("headers", "error"),
    [({"X-SQL-State": "S1TAT"}, RemoteTimeoutError), ({"X-SPARQL-MaxRows": "10000"}, RemoteTruncatedError)],
)
def test_a_200_that_hides_a_timeout_or_a_cut_is_an_error(headers: dict[str, str], error: type[Exception]) -> None:
    handler = type("Trap", (_Trap,), {"headers_to_send": headers})
    for url in _serve(handler):
        with pytest.raises(error):
            RemoteStore(url, timeout=5).query("SELECT * WHERE { ?s ?p ?o }")


def test_a_remote_that_hangs_is_cut_off_at_the_timeout() -> None:
    handler = type("Slow", (_Trap,), {"delay": 3.0})
    for url in _serve(handler):
        started = time.monotonic()
        with pytest.raises(RemoteTimeoutError):
            RemoteStore(url, timeout=0.5).query("SELECT * WHERE { ?s ?p ?o }")
        assert time.monotonic() - started < 2.5
