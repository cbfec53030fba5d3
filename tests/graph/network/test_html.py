"""The inline network drawing: self-contained, offline, with labels that cannot inject markup."""

from __future__ import annotations

import html
import json
import re

import networkx as nx

from graph.network import neighbourhood, network_view
from graph.network.html import script_json
from tests.graph.network.fixtures import iri


def test_the_page_embeds_vis_network_and_fetches_nothing(network: nx.MultiDiGraph) -> None:
    page = network_view(network).page
    assert "vis-network" in page and "new vis.Network(" in page
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.IGNORECASE)
    assert "@import" not in page


def test_nodes_and_legend_come_from_the_projection(network: nx.MultiDiGraph) -> None:
    near = neighbourhood(network, iri("hikvision"))
    page = network_view(near).page
    nodes_json = page.split("new vis.DataSet(", 1)[1].split("), edges:", 1)[0]
    nodes = json.loads(nodes_json)
    assert {n["id"] for n in nodes} == set(near.nodes)
    hikvision = next(n for n in nodes if n["id"] == iri("hikvision"))
    assert (hikvision["color"], hikvision["shape"]) == (near.nodes[iri("hikvision")]["colour"], "dot")
    assert ">company</span>" in page


def test_labels_are_escaped() -> None:
    g = nx.MultiDiGraph()
    evil = "</script><script>alert(1)</script>"
    g.add_node("x", label=evil, class_label="<b>class</b>", colour="#000000", shape="dot", confidence="verified")
    page = network_view(g).page
    assert evil not in page
    assert "<b>class</b>" not in page
    assert html.escape("<b>class</b>") in page
    assert json.loads(script_json([evil])) == [evil]


def test_the_notebook_frame_is_sandboxed_and_escaped(network: nx.MultiDiGraph) -> None:
    frame = network_view(network, height=300)._repr_html_()
    assert frame.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert 'sandbox="allow-scripts"' in frame
    assert frame.count("<script") == 0
