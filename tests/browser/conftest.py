"""Headless Chromium for the explorer's browser tests, with every request that would leave the server blocked.

The browser is the Debian package (/usr/bin/chromium); no browser is ever downloaded. Without it the tests are
skipped on a workstation and fail in CI, where a missing browser is a broken machine, not a choice.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from textwrap import dedent
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route

from api.app import create_app
from api.settings import Settings
from graph.build import compile_data
from graph.store import publish
from tests.conftest import LiveServer, hub_store, start_server

SCRATCH_SCREENS = Path("/work/scratch/screens")
XSS = "<img src=x onerror=alert(1)>"

# A tiny data set whose curated strings are markup, to prove they stay text: an organisation named with an
# <img onerror> payload, an alias and a description with other payloads, and an action targeting it.
XSS_DATA = {
    "sources.yaml": """
        sources:
          - id: src-x
            url: https://example.org/x
            title: "<b>A title with markup</b>"
            publisher: "<i>Example</i> News"
            published: "2025-06-28"
        """,
    "parties.yaml": f"""
        jurisdictions:
          - id: ca
            name: Canada
            iso_code: CA
            sources: [src-x]
        organisations:
          - id: gic
            name: Governor in Council
            kind: government_body
            country: ca
            sources: [src-x]
          - id: evil
            name: "{XSS}"
            aliases: ["<script>alert(2)</script>"]
            description: "\\"><svg onload=alert(3)>"
            country: ca
            sources: [src-x]
        """,
    "actions.yaml": """
        actions:
          - id: order
            name: "Order against <img src=x onerror=alert(4)>"
            type: wind_up_order
            issuer: gic
            jurisdiction: ca
            targets: [evil]
            announced: "2025-06-27"
            status: in_force
            sources: [src-x]
        """,
}


@dataclass
class Guard:
    """What a page tried to do that it must not: reach another host, open a dialog, throw."""

    outside: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def guarded_page(browser: Browser, guard: Guard, **context_options: object) -> Page:
    """A page in a fresh context that aborts and records any request not to 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, **context_options)  # type: ignore[arg-type]

    def route(r: Route) -> None:
        url = r.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            guard.outside.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("dialog", lambda d: (guard.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: guard.errors.append(str(e)))
    # Console errors include Content-Security-Policy violations and failed same-origin loads.
    page.on("console", lambda m: guard.errors.append(m.text) if m.type == "error" else None)
    return page


@pytest.fixture
def guard() -> Guard:
    return Guard()


@pytest.fixture
def page(browser: Browser, guard: Guard) -> Iterator[Page]:
    """A fresh page; after the test, no request may have left the server and no script may have failed."""
    pg = guarded_page(browser, guard)
    try:
        yield pg
    finally:
        pg.context.close()
    assert guard.outside == [], f"requests left the server: {guard.outside}"
    assert guard.errors == [], f"script errors: {guard.errors}"


@pytest.fixture(scope="session")
def screens(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screens")


Shoot = Callable[[Page, str], Path]


@pytest.fixture
def shoot(screens: Path) -> Iterator[Shoot]:
    """Save a screenshot of a page, and a copy in /work/scratch/screens when that directory exists."""

    def take(page: Page, name: str) -> Path:
        path = screens / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        if SCRATCH_SCREENS.is_dir():
            shutil.copy(path, SCRATCH_SCREENS / path.name)
        return path

    yield take


@pytest.fixture(scope="session")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The explorer over a tiny store whose names are markup."""
    data = tmp_path_factory.mktemp("xss-data")
    for name, text in XSS_DATA.items():
        (data / name).write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    store = tmp_path_factory.mktemp("xss-store") / "store"
    publish(compile_data([data]), store)
    yield from start_server(create_app(Settings(store=store)))


HUB_NODES = 400


@pytest.fixture(scope="session")
def hub_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The explorer over a synthetic store with one company of HUB_NODES - 1 subsidiaries."""
    store = hub_store(tmp_path_factory, HUB_NODES, 1000)
    yield from start_server(create_app(Settings(store=store, rate_limit_per_second=0)))
