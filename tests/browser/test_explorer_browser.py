"""The explorer in headless Chromium: type-ahead, network, paths, as-of, permalinks, exports and inert markup.

Every test runs in a fresh browser context whose requests to any host but 127.0.0.1 are aborted and recorded;
the `page` fixture fails the test if one was attempted or if a script threw.
"""

from __future__ import annotations

import io
import json
import re
from urllib.request import urlopen

import networkx as nx
import pytest
from playwright.sync_api import Browser, Page, expect
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from benchmarks.generate import hub_id
from tests.browser.conftest import HUB_NODES, XSS, Guard, Shoot, guarded_page
from tests.conftest import LiveServer

pytestmark = pytest.mark.browser
ID = "https://w3id.org/techcurbs/id/"


def get_json(url: str) -> dict[str, object]:
    with urlopen(url, timeout=30) as response:
        body = json.loads(response.read())
    assert isinstance(body, dict)
    return body


def wait_for_graph(page: Page) -> None:
    page.wait_for_selector("#graph[data-ready='true']", timeout=20_000)


def expand_all(page: Page) -> None:
    button = page.locator("button[data-action='expand']")
    if button.count():
        button.click()


def test_typeahead_reaches_an_entity(page: Page, live_server: LiveServer, shoot: Shoot) -> None:
    page.goto(live_server.url + "/")
    box = page.locator("#q-home")
    box.click()
    box.press_sequentially("hikvision can", delay=20)
    option = page.locator("#q-home-list [role='option']").first
    expect(option).to_contain_text("Hikvision Canada Inc.")
    expect(option).to_contain_text("company")
    expect(option).to_contain_text("Canada")
    shoot(page, "home-typeahead")
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/entity/hikvision-canada")
    expect(page.locator("h1")).to_have_text("Hikvision Canada Inc.")
    expect(page.locator("#h-owners")).to_be_visible()
    expect(page.locator(".citations a").first).to_have_attribute("href", re.compile(r"^https?://"))
    shoot(page, "entity")


def test_network_node_count_equals_the_api(page: Page, live_server: LiveServer, shoot: Shoot) -> None:
    api = get_json(f"{live_server.url}/api/network?entity=hikvision")
    entity = get_json(f"{live_server.url}/api/entity/hikvision")
    nodes = api["data"]["nodes"]  # type: ignore[index]
    assert len(nodes) == entity["neighbours"] + 1  # type: ignore[operator]
    page.goto(f"{live_server.url}/network?entity=hikvision")
    wait_for_graph(page)
    shoot(page, "network")
    expand_all(page)
    assert int(page.locator("#graph").get_attribute("data-node-count") or 0) == len(nodes)
    assert page.locator("#nodes-table tbody tr").count() == len(nodes)
    legend = page.locator(".legend li").all_inner_texts()
    assert any("company" in entry for entry in legend)
    page.locator("#graph").focus()
    page.keyboard.press("]")
    expect(page.locator("#node-panel")).to_be_visible()
    expect(page.locator("#node-panel h3")).not_to_be_empty()


def test_the_path_shown_is_networkx_shortest_path_on_the_exported_graphml(
    page: Page, live_server: LiveServer, shoot: Shoot
) -> None:
    page.goto(f"{live_server.url}/paths?from=hikvision-canada&to=cn-sasac")
    first = page.locator(".path").first
    expect(first).to_be_visible()
    wait_for_graph(page)
    shoot(page, "paths")
    page.locator("#graph").scroll_into_view_if_needed()
    shoot(page, "paths-drawing")
    hops = first.locator(".hop")
    shown = [hops.nth(i).get_attribute("data-source") for i in range(hops.count())]
    shown.append(hops.nth(hops.count() - 1).get_attribute("data-target"))
    with urlopen(f"{live_server.url}/export/network.graphml", timeout=30) as response:
        whole = nx.read_graphml(io.BytesIO(response.read()))
    undirected = nx.Graph(whole.to_undirected())
    expected = nx.shortest_path_length(undirected, f"{ID}hikvision-canada", f"{ID}cn-sasac")
    assert len(shown) - 1 == expected
    assert nx.is_path(undirected, shown)


def test_a_large_views_table_is_there_once_opened(page: Page, hub_server: LiveServer) -> None:
    hub = hub_id(HUB_NODES)
    api = get_json(f"{hub_server.url}/api/network?entity={hub}&depth=1")
    nodes, edges = api["data"]["nodes"], api["data"]["edges"]  # type: ignore[index]
    assert len(nodes) == HUB_NODES
    page.goto(f"{hub_server.url}/network?entity={hub}&depth=1")
    wait_for_graph(page)
    table = page.locator("details.table-alt")
    expect(table).not_to_have_attribute("open", "")
    assert page.locator("#nodes-table").count() == 0, "the rows wait until the table is opened"
    table.locator("summary").click()
    expect(page.locator("#nodes-table tbody tr")).to_have_count(len(nodes))
    expect(page.locator("#edges-table tbody tr")).to_have_count(len(edges))
    first = page.locator("#nodes-table tbody tr").first.locator("a").first
    expect(first).to_have_attribute("href", re.compile(r"^/entity/"))
    table.locator("summary").click()
    table.locator("summary").click()
    expect(page.locator("#nodes-table tbody tr")).to_have_count(len(nodes))


def test_a_path_that_does_not_exist_says_so(page: Page, live_server: LiveServer) -> None:
    page.goto(f"{live_server.url}/paths?from=hikvision-canada&to=cn-sasac&max_hops=1")
    expect(page.locator("#paths-message")).to_contain_text("No path of at most 1 hops")


def test_as_of_hides_a_later_event(page: Page, live_server: LiveServer, shoot: Shoot) -> None:
    later = "ev-2025-fc-stay-refused"
    page.goto(f"{live_server.url}/entity/hikvision-canada")
    expect(page.locator(f"#h-timeline ~ ol a[href='/entity/{later}']")).to_have_count(1)
    page.fill("#as_of", "2025-07-01")
    page.click("form.asof button")
    page.wait_for_url("**as_of=2025-07-01")
    expect(page.locator(f"a[href^='/entity/{later}']")).to_have_count(0)
    expect(page.locator("a[href='/entity/ca-2025-hikvision-wind-up?as_of=2025-07-01']").first).to_be_visible()
    page.goto(f"{live_server.url}/timeline?as_of=2025-07-01")
    expect(page.locator(f".tl-item[data-id='{later}']")).to_have_count(0)
    shoot(page, "timeline-as-of")
    page.goto(f"{live_server.url}/timeline")
    expect(page.locator(f".tl-item[data-id='{later}']")).to_have_count(1)
    page.goto(f"{live_server.url}/network?entity=hikvision-canada&as_of=2025-07-01")
    wait_for_graph(page)
    expect(page.locator(f"#nodes-table a[href^='/entity/{later}']")).to_have_count(0)


def test_a_permalink_reopened_in_a_fresh_context_shows_the_same_view(
    page: Page, browser: Browser, live_server: LiveServer, shoot: Shoot
) -> None:
    page.goto(f"{live_server.url}/timeline")
    page.select_option("#jurisdiction", "ca")
    page.select_option("#type", "action")
    page.fill("#as_of", "2025-12-31")
    page.click("form.controls button[type='submit']")
    page.wait_for_url("**jurisdiction=ca**")
    permalink = page.url
    items = page.locator(".tl-item").evaluate_all("els => els.map(e => e.dataset.id)")
    assert items
    shoot(page, "timeline")

    page.goto(f"{live_server.url}/network?entity=hikvision&depth=2&as_of=2025")
    wait_for_graph(page)
    network_link = page.url
    network_rows = page.locator("#nodes-table tbody tr").count()

    guard = Guard()
    fresh = guarded_page(browser, guard)
    try:
        fresh.goto(permalink)
        assert fresh.locator(".tl-item").evaluate_all("els => els.map(e => e.dataset.id)") == items
        expect(fresh.locator("#jurisdiction")).to_have_value("ca")
        expect(fresh.locator("#type")).to_have_value("action")
        expect(fresh.locator("#as_of")).to_have_value("2025-12-31")
        fresh.goto(network_link)
        wait_for_graph(fresh)
        assert fresh.locator("#nodes-table tbody tr").count() == network_rows
        expect(fresh.locator("#depth")).to_have_value("2")
    finally:
        fresh.context.close()
    assert guard.outside == [] and guard.errors == []


def test_exports_parse_with_the_counts_on_screen(page: Page, live_server: LiveServer, shoot: Shoot) -> None:
    page.goto(f"{live_server.url}/network?entity=hikvision-canada")
    wait_for_graph(page)
    expand_all(page)
    nodes_on_screen = int(page.locator("#graph").get_attribute("data-node-count") or 0)
    edges_on_screen = page.locator("#edges-table tbody tr").count()
    assert nodes_on_screen == page.locator("#nodes-table tbody tr").count()

    def download(selector: str) -> bytes:
        with page.expect_download() as info:
            page.click(selector)
        path = info.value.path()
        return path.read_bytes()

    graphml = nx.read_graphml(io.BytesIO(download("a[href^='/export/network.graphml']")))
    assert (graphml.number_of_nodes(), graphml.number_of_edges()) == (nodes_on_screen, edges_on_screen)
    gexf = nx.read_gexf(io.BytesIO(download("a[href^='/export/network.gexf']")))
    assert (gexf.number_of_nodes(), gexf.number_of_edges()) == (nodes_on_screen, edges_on_screen)
    rdf = Graph().parse(data=download("a[href^='/export/network.jsonld']"), format="json-ld")
    statements = set(rdf.subjects(RDF.type, RDF.Statement))
    labelled = {s for s in rdf.subjects(RDFS.label, None) if s not in statements}
    assert (len(labelled), len(statements)) == (nodes_on_screen, edges_on_screen)
    node_rows = download("a[href^='/export/network.nodes.csv']").decode().strip().splitlines()
    edge_rows = download("a[href^='/export/network.edges.csv']").decode().strip().splitlines()
    assert (len(node_rows) - 1, len(edge_rows) - 1) == (nodes_on_screen, edges_on_screen)
    png = download("button[data-action='png']")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    canvas_width = page.locator("#graph canvas").evaluate("c => c.width")
    assert width > canvas_width


def test_curated_markup_stays_text(browser: Browser, xss_server: LiveServer, shoot: Shoot) -> None:
    guard = Guard()
    page = guarded_page(browser, guard)
    try:
        page.goto(xss_server.url + "/")
        box = page.locator("#q-home")
        box.click()
        box.press_sequentially("img", delay=20)
        expect(page.locator("#q-home-list [role='option']").first).to_contain_text(XSS)
        page.goto(xss_server.url + "/entity/evil")
        expect(page.locator("h1")).to_have_text(XSS)
        assert XSS in page.title()
        expect(page.locator(".aka")).to_contain_text("<script>alert(2)</script>")
        shoot(page, "xss-entity")
        page.goto(xss_server.url + "/network?entity=evil")
        wait_for_graph(page)
        expect(page.locator("#nodes-table")).to_contain_text(XSS)
        box = page.locator("#graph canvas").bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(400)
        shoot(page, "xss-network")
        page.goto(xss_server.url + "/timeline")
        options = page.locator("#target option").all_inner_texts()
        assert XSS in options
        page.goto(xss_server.url + "/paths?from=evil&to=gic")
        expect(page.locator(".sentence").first).to_contain_text(XSS)
        wait_for_graph(page)
        page.wait_for_timeout(300)
        assert page.locator("img[src='x'], svg[onload], script:not([src]):not([type='application/json'])").count() == 0
    finally:
        page.context.close()
    assert guard.dialogs == [], f"a payload ran: {guard.dialogs}"
    assert guard.outside == [] and guard.errors == []
