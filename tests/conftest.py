"""Fixtures shared by every test package: a store built from the curated data, the app, a live server."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.build import compile_data
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


@pytest.fixture(scope="session")
def curated_store(curated_store_path: Path) -> ox.Store:
    return open_store(curated_store_path)


@pytest.fixture(scope="session")
def settings(curated_store_path: Path) -> Settings:
    """The curated app's settings; the per-client limit is tested on its own (tests/api/test_ratelimit.py)."""
    return Settings(store=curated_store_path, rate_limit_per_second=0)


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
