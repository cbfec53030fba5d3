"""Fixtures shared by every test package: a store built from the curated data, the app, a live server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Playwright, sync_playwright

from api.app import create_app
from api.settings import Settings
from benchmarks.browser import CHROMIUM, CHROMIUM_ARGS
from benchmarks.generate import generate
from graph.build import compile_data
from graph.remote import publish_remote
from graph.store import open_store, publish
from graph.vocab import DATA_DIR

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def curated_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The curated data/ built into a store of its own, once per test session."""
    store = tmp_path_factory.mktemp("curated") / "store"
    publish(compile_data([DATA_DIR]), store)
    return store


def hub_store(tmp_path_factory: pytest.TempPathFactory, hub_nodes: int, triples: int) -> Path:
    """A synthetic store of about `triples` curated triples plus a company whose one-hop view has `hub_nodes` nodes."""
    data = tmp_path_factory.mktemp("hub-data")
    generate(triples, data, hubs=(hub_nodes,))
    store = tmp_path_factory.mktemp("hub-store") / "store"
    publish(compile_data([data]), store)
    return store


@pytest.fixture(scope="session")
def curated_store(curated_store_path: Path) -> ox.Store:
    return open_store(curated_store_path)


# `TECHCURBS_TEST_BACKEND=oxigraph-server` runs the same tests with the app reading an Oxigraph server process
# on loopback (the remote SPARQL backend) instead of the embedded store.
REMOTE_BACKEND = os.environ.get("TECHCURBS_TEST_BACKEND", "") == "oxigraph-server"


def oxigraph_binary() -> Path:
    found = shutil.which("oxigraph")
    path = Path(found) if found else Path(sys.executable).parent / "oxigraph"
    if not path.exists():
        pytest.skip("the Oxigraph server (pip package oxigraph) is not installed")
    return path


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """A real Oxigraph server process on a free loopback port, as long as the block runs."""
    port = free_port()
    process = subprocess.Popen(
        [str(oxigraph_binary()), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    try:
        while True:
            try:
                httpx.get(f"{url}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def remote_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server holding the curated build, published to it over the Graph Store Protocol."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        publish_remote(compile_data([DATA_DIR]), f"{url}/store")
        yield f"{url}/query"


@pytest.fixture(scope="session")
def settings(curated_store_path: Path, request: pytest.FixtureRequest) -> Settings:
    """The curated app's settings; the per-client limit is tested on its own (tests/api/test_ratelimit.py)."""
    endpoint = request.getfixturevalue("remote_endpoint") if REMOTE_BACKEND else ""
    return Settings(store=curated_store_path, endpoint=endpoint, rate_limit_per_second=0)


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        assert isinstance(port, int)
        return port


@dataclass(frozen=True)
class LiveServer:
    """A real uvicorn server on loopback, for clients that speak HTTP themselves."""

    url: str


def start_server(app: FastAPI) -> Iterator[LiveServer]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    """The curated app served over real HTTP on a free loopback port."""
    yield from start_server(app)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, launched once per session and shared by every package that drives it.

    No browser is ever downloaded. Without it the tests are skipped on a workstation and fail in CI, where a
    missing browser is a broken machine, not a choice.
    """
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} is missing: install the Debian package `chromium` to run the browser tests"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    playwright: Playwright = sync_playwright().start()
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield launched
    finally:
        launched.close()
        playwright.stop()
