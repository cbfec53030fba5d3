"""Fixtures of the security tests: the explorer over the hostile store, served on loopback, and headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from api.app import create_app
from api.settings import Settings
from tests.conftest import LiveServer, start_server
from tests.security.hostile import build_hostile_store


@pytest.fixture(scope="session")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile data set built into a store of its own."""
    return build_hostile_store(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def hostile_app(hostile_store: Path) -> Iterator[FastAPI]:
    app = create_app(Settings(store=hostile_store, rate_limit_per_second=0, query_workers=1))
    yield app
    app.state.sparql.close()


@pytest.fixture(scope="session")
def hostile_server(hostile_app: FastAPI) -> Iterator[LiveServer]:
    """The explorer over the hostile store, on a free loopback port."""
    yield from start_server(hostile_app)
