"""The SPARQL query page and the API documentation in headless Chromium, with every outside request blocked."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Shoot
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser


def test_an_example_query_runs_and_fills_the_table(page: Page, live_server: LiveServer, shoot: Shoot) -> None:
    page.goto(live_server.url + "/query")
    options = page.locator("#examples option[data-query]")
    assert options.count() >= 3
    page.select_option("#examples", index=1)
    expect(page.locator("#query")).not_to_have_value("")
    page.click("#run")
    expect(page.locator("#results table tbody tr").first).to_be_visible(timeout=20_000)
    shoot(page, "query-page")
    permalink = page.locator("#permalink").get_attribute("href")
    assert permalink and "query=" in permalink


def test_a_permalinked_query_reruns_in_a_fresh_page(page: Page, live_server: LiveServer) -> None:
    query = "SELECT ?name WHERE { ?o a tc:Court ; rdfs:label ?name } ORDER BY ?name"
    page.goto(f"{live_server.url}/query?query={quote(query)}&run=true")
    rows = page.locator("#results table tbody tr")
    expect(rows.first).to_be_visible(timeout=20_000)
    expect(page.locator("#results")).to_contain_text("Federal Court")


def test_the_api_documentation_works_offline(page: Page, live_server: LiveServer, shoot: Shoot) -> None:
    page.goto(live_server.url + "/docs")
    expect(page.locator(".swagger-ui .info").first).to_be_visible(timeout=20_000)
    expect(page.locator("body")).to_contain_text("TechCurbs")
    shoot(page, "docs")
