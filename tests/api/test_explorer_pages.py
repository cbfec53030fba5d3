"""The explorer's HTML pages: they render, keep state in the URL, escape data and send the security headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from api.explorer import entity_html
from api.explorer.security import CONTENT_SECURITY_POLICY
from graph.vocab import PROJECT_ROOT

PAGES = [
    "/",
    "/search?q=hikvision",
    "/entity/hikvision-canada",
    "/entity/hikvision-canada?as_of=2020",
    "/entity/own-hikvision-hikvision-canada",
    "/network",
    "/network?entity=hikvision&depth=2&as_of=2025",
    "/paths",
    "/paths?from=hikvision-canada&to=cn-sasac",
    "/timeline",
    "/timeline?jurisdiction=ca&type=action&from=2020&to=2025&as_of=2025-12",
]
CDN_URL = re.compile(
    r"(?:https?:)?//[\w.-]*(?:cdn|unpkg|jsdelivr|googleapis|gstatic|cloudflare)[\w./-]*", re.IGNORECASE
)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_with_security_headers(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_and_no_outside_asset(client: TestClient, url: str) -> None:
    html = client.get(url).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/' in tag or 'type="application/json"' in tag, tag
    for ref in re.findall(r"""(?:src|href)="([^"]+)\"""", html):
        if ref.startswith(("http://", "https://", "//")):
            assert not re.search(r"\.(js|css)(\?|$)", ref), ref
    assert " style=" not in html and " on" + "click=" not in html


def test_no_cdn_url_anywhere_under_api() -> None:
    offenders = []
    for path in (PROJECT_ROOT / "api").rglob("*"):
        if path.is_file() and path.suffix in (".py", ".html", ".js", ".css"):
            text = path.read_text(encoding="utf-8", errors="replace")
            offenders.extend(f"{path}: {m}" for m in CDN_URL.findall(text))
    assert offenders == []


def test_vis_network_is_served_from_the_pyvis_package(client: TestClient) -> None:
    js = client.get("/vendor/vis/vis-network.min.js")
    css = client.get("/vendor/vis/vis-network.css")
    assert js.status_code == 200 and b"vis-network" in js.content[:400]
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]


def test_entity_page_shows_every_section(client: TestClient) -> None:
    html = client.get("/entity/hikvision-canada").text
    for heading in ("Ownership chain", "Restrictions on it", "Relations", "Timeline", "Where sources disagree"):
        assert heading in html
    assert "ultimate owner" in html
    assert 'rel="noopener noreferrer external"' in html


def test_entity_page_marks_unverified_facts() -> None:
    from api.explorer.templating import environment

    macro = environment().get_template("explorer/_macros.html").module.confidence  # type: ignore[attr-defined]
    assert "badge-unverified" in str(macro("unverified"))
    assert "badge-verified" in str(macro("verified"))


def test_entity_html_is_what_the_iri_serves_to_browsers(client: TestClient) -> None:
    by_iri = client.get("/id/hikvision-canada", headers={"Accept": "text/html"})
    direct = client.get("/entity/hikvision-canada")
    assert by_iri.status_code == 200 and by_iri.text == direct.text


def test_entity_html_answers_a_request_directly(app: FastAPI) -> None:
    scope = {
        "type": "http",
        "app": app,
        "method": "GET",
        "scheme": "http",
        "server": ("testserver", 80),
        "path": "/id/hikvision-canada",
        "query_string": b"as_of=2025-07-01",
        "headers": [(b"accept", b"text/html")],
    }
    response = entity_html(Request(scope), "hikvision-canada")
    assert response.status_code == 200 and response.media_type == "text/html"
    assert b"Hikvision Canada Inc." in response.body and b"as_of=2025-07-01" in response.body
    assert entity_html(Request(scope), "no-such-thing").status_code == 404


def test_unknown_entity_page_is_a_404_page(client: TestClient) -> None:
    response = client.get("/entity/no-such-thing")
    assert response.status_code == 404 and "No entity has the id no-such-thing" in response.text
    assert client.get("/network?entity=no-such-thing").status_code == 404


def test_bad_date_on_the_entity_page_is_a_400_page(client: TestClient) -> None:
    response = client.get("/id/hikvision?as_of=yesterday", headers={"Accept": "text/html"})
    assert response.status_code == 400


def test_filters_stay_in_the_page(client: TestClient) -> None:
    html = client.get("/timeline?jurisdiction=ca&type=action&as_of=2025-12").text
    assert '<option value="ca" selected>' in html
    assert '<option value="action" selected>' in html
    assert 'value="2025-12"' in html
    network = client.get("/network?entity=hikvision&depth=2&as_of=2025&rel=Ownership").text
    assert '<option value="2" selected>' in network
    assert 'value="Ownership" checked' in network
    assert "/export/network.graphml?entity=hikvision&amp;depth=2&amp;as_of=2025&amp;rel=Ownership" in network


def test_graph_data_is_json_that_cannot_close_its_script(client: TestClient) -> None:
    html = client.get("/network?entity=hikvision-canada").text
    start = html.index('<script id="graph-data" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert "<" not in body and ">" not in body


def test_static_files_exist() -> None:
    static = Path(PROJECT_ROOT / "api" / "static" / "explorer")
    assert {p.name for p in static.iterdir()} >= {"explorer.css", "search.js", "network.js"}
