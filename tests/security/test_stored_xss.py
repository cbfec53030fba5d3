"""Stored XSS: curated strings that are markup stay text in every page and every export.

The hostile data set (tests/security/hostile.py) puts script, attribute and template payloads in names, aliases,
notes, descriptions, quotes, source titles, publishers and a source URL. Over HTTP, no page contains a payload
unescaped and no element of any page carries an event handler, an inline script or a non-http(s) link; every
export parses as its format with the payload as plain text. In headless Chromium, no dialog opens and no injected
element exists on any view, tooltips and the query page's results included.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser
from rdflib import Dataset, Literal

from tests.browser.conftest import Guard, guarded_page
from tests.conftest import LiveServer
from tests.security.hostile import ATTRIBUTE, FORMULAS, IMG, PAYLOADS, SCRIPT, SVG, TEMPLATE

LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label"
PAGES = (
    "/",
    "/search?q=img",
    "/entity/evil",
    "/entity/parent",
    "/entity/order",
    "/entity/raid",
    "/entity/minister",
    "/entity/src-x",
    "/entity/own-parent-evil",
    "/network?entity=evil",
    "/network?entity=evil&depth=2",
    "/network",
    "/paths?from=evil&to=gic",
    "/paths?from=evil&to=minister",
    "/timeline",
    "/timeline?target=evil",
    "/query?query=" + quote(LABELS),
)
SAFE_LINK = ("/", "#", "?", "http://", "https://", "mailto:")


class Elements(HTMLParser):
    """Every start tag of a document with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def injected(html: str) -> list[str]:
    """What in a page could run: event handlers, inline scripts, script-like links, or the payloads' elements."""
    parser = Elements()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        found += [f"{tag}[{name}]" for name in attrs if name.startswith("on")]
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            found.append("inline <script>")
        if tag in ("svg", "iframe", "object", "embed") or (tag == "img" and attrs.get("src") == "x"):
            found.append(f"<{tag}>")
        for name in ("href", "src", "action", "formaction"):
            value = (attrs.get(name) or "").strip()
            if value and not value.lower().startswith(SAFE_LINK):
                found.append(f"{tag}[{name}={value}]")
    return found


@pytest.mark.parametrize("path", PAGES)
def test_no_page_contains_a_payload_unescaped(hostile_server: LiveServer, path: str) -> None:
    response = httpx.get(hostile_server.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200, response.text[:300]
    html = response.text
    for payload in PAYLOADS:
        assert payload not in html
    assert injected(html) == []


def test_the_payloads_are_shown_as_text(hostile_server: LiveServer) -> None:
    """The escaping is not a deletion: the entity page shows each payload, escaped, and the template text as is."""
    html = httpx.get(f"{hostile_server.url}/entity/evil", timeout=30).text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert TEMPLATE in html, "curated text is never evaluated as a template"
    source = httpx.get(f"{hostile_server.url}/entity/order", timeout=30).text
    assert 'href="https://example.org/a&#34;onmouseover=&#34;alert(5)"' in source


def _text_values(root: ET.Element) -> set[str]:
    values = set()
    for element in root.iter():
        values.update(v for v in element.attrib.values())
        if element.text:
            values.add(element.text)
    return values


@pytest.mark.parametrize(
    "path",
    [
        "/export/network.graphml?entity=evil",
        "/export/network.gexf?entity=evil",
        "/export/paths.graphml?from=evil&to=gic",
    ],
)
def test_xml_exports_are_well_formed_with_the_payload_as_text(hostile_server: LiveServer, path: str) -> None:
    body = httpx.get(hostile_server.url + path, timeout=30).content
    root = ET.fromstring(body)  # noqa: S314 (our own export, parsed to prove it is well-formed)
    values = _text_values(root)
    assert IMG in values
    assert ATTRIBUTE in values or "paths" in path, "the owner named with a quote is in the network view"
    assert not any(el.tag.rsplit("}", 1)[-1] in ("img", "script", "svg") for el in root.iter())


@pytest.mark.parametrize(
    "path",
    ["/export/network.jsonld?entity=evil", "/export/network.json?entity=evil", "/api/entity/evil", "/api/search?q=img"],
)
def test_json_exports_parse_with_the_payload_as_a_string(hostile_server: LiveServer, path: str) -> None:
    response = httpx.get(hostile_server.url + path, timeout=30)
    assert response.headers["content-type"].startswith(("application/json", "application/ld+json"))
    document = response.json()
    strings: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            strings.append(node)

    walk(document)
    assert IMG in strings


def test_rdf_downloads_keep_the_payload_as_a_literal(hostile_server: LiveServer) -> None:
    for ext, fmt in (("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")):
        graph = Dataset()
        graph.parse(data=httpx.get(f"{hostile_server.url}/download/techcurbs.{ext}", timeout=30).content, format=fmt)
        assert Literal(IMG, lang="en") in set(graph.objects()) or Literal(IMG) in set(graph.objects()), ext
    turtle = httpx.get(f"{hostile_server.url}/id/evil", headers={"Accept": "text/turtle"}, timeout=30)
    assert turtle.headers["content-type"].startswith("text/turtle")
    parsed = Dataset().parse(data=turtle.text, format="turtle")
    assert {str(o) for o in parsed.objects()} >= {IMG, SCRIPT, SVG}


CSV_EXPORTS = (
    "/export/network.nodes.csv?entity=evil&depth=2",
    "/export/network.edges.csv?entity=evil&depth=2",
    "/export/paths.nodes.csv?from=evil&to=gic",
    "/export/timeline.csv",
)


@pytest.mark.parametrize("path", CSV_EXPORTS)
def test_csv_exports_never_start_a_cell_with_a_formula(hostile_server: LiveServer, path: str) -> None:
    """Spreadsheets run cells that start with = + - @ (or tab, CR): the explorer's CSV neutralises them with '."""
    response = httpx.get(hostile_server.url + path, timeout=30)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == []


def test_csv_neutralising_keeps_the_text(hostile_server: LiveServer) -> None:
    rows = list(csv.DictReader(io.StringIO(httpx.get(f"{hostile_server.url}/export/timeline.csv", timeout=30).text)))
    order = next(row for row in rows if row["id"] == "order")
    assert order["jurisdiction"] == "'" + FORMULAS[2]
    assert order["actors"].startswith("'")
    assert IMG in order["label"]


def _check_page(page_url: str, browser: Browser, action: str = "") -> Guard:
    guard = Guard()
    page = guarded_page(browser, guard)
    try:
        page.goto(page_url)
        page.wait_for_load_state("networkidle")
        if action == "graph":
            page.wait_for_selector("#graph[data-ready='true']", timeout=20_000)
            box = page.locator("#graph canvas").bounding_box()
            assert box is not None
            # Hover and click across the canvas so vis-network builds its tooltips from the data.
            for fx, fy in ((0.5, 0.5), (0.3, 0.4), (0.7, 0.6), (0.4, 0.7), (0.6, 0.3)):
                page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
                page.wait_for_timeout(150)
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if action == "query":
            page.wait_for_function("document.querySelectorAll('table td').length > 0", timeout=20_000)
        if action == "typeahead":
            box = page.locator("#q-home")
            box.click()
            box.press_sequentially("img", delay=10)
            page.locator("#q-home-list [role='option']").first.wait_for(timeout=10_000)
        page.wait_for_timeout(200)
        bad = page.evaluate(
            """() => [...document.querySelectorAll(
                 'img[src="x"], svg[onload], [onmouseover], [onerror], [onload], iframe, ' +
                 'script:not([src]):not([type="application/json"])')].map(e => e.outerHTML.slice(0, 80))"""
        )
        assert bad == [], (page_url, bad)
        if action == "query":
            assert IMG in page.locator("table").inner_text()
    finally:
        page.context.close()
    return guard


BROWSER_VIEWS = (
    ("/", "typeahead"),
    ("/entity/evil", ""),
    ("/entity/order", ""),
    ("/entity/src-x", ""),
    ("/network?entity=evil&depth=2", "graph"),
    ("/paths?from=evil&to=gic", "graph"),
    ("/timeline", ""),
    ("/query?query=" + quote(LABELS), "query"),
)


@pytest.mark.browser
def test_no_payload_runs_in_the_browser(browser: Browser, hostile_server: LiveServer) -> None:
    dialogs: list[str] = []
    for path, action in BROWSER_VIEWS:
        guard = _check_page(hostile_server.url + path, browser, action)
        dialogs += guard.dialogs
        assert guard.outside == [], (path, guard.outside)
        assert [e for e in guard.errors if "Content Security Policy" in e] == [], (path, guard.errors)
    assert dialogs == [], f"a payload ran: {dialogs}"


def test_json_in_pages_is_escaped_for_script_elements(hostile_server: LiveServer) -> None:
    """Data embedded for the page's scripts cannot close its <script type="application/json"> element."""
    html = httpx.get(f"{hostile_server.url}/network?entity=evil", timeout=30).text
    start = html.index('type="application/json"')
    block = html[start : html.index("</script>", start)]
    assert "<" not in block.split(">", 1)[1]
    json.loads(block.split(">", 1)[1])


REFLECTED = (
    "/query?query=" + quote("</textarea><script>alert(1)</script>"),
    "/sparql?query=" + quote('"><img src=x onerror=alert(1)>'),
    "/search?q=" + quote(IMG),
    "/paths?from=" + quote(IMG) + "&to=" + quote(SCRIPT),
    "/network?entity=evil&rel=" + quote(ATTRIBUTE),
)


@pytest.mark.parametrize("path", REFLECTED)
def test_reflected_parameters_are_escaped(hostile_server: LiveServer, path: str) -> None:
    """What a crafted link puts in the URL comes back as text, never as markup."""
    response = httpx.get(hostile_server.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code in (200, 400, 404, 422), response.text[:300]
    for payload in (*PAYLOADS, "</textarea><script>", '"><img src=x onerror=alert(1)>'):
        assert payload not in response.text
    if response.headers["content-type"].startswith("text/html"):
        assert injected(response.text) == []
