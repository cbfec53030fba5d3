"""Every notebook runs from a clean kernel, and shows the answers the Python API gives on the same data.

The expectations are computed here from the curated data (through the API, and for the ultimate owner straight
from the ownership records with SPARQL), never written down, because the data is still growing.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pyoxigraph as ox
import pytest

from graph.network import (
    TechCurbsGraph,
    all_paths,
    centrality,
    find_paths,
    neighbourhood,
    open_graph,
    ownership_chain,
    restriction_table,
)
from graph.query import select_table
from graph.vocab import ID, TC
from tests.notebooks.execute import execute, notebook_paths

NOT_THROUGH = [str(TC.Jurisdiction)]


@pytest.fixture(scope="module")
def executed() -> dict[str, nbformat.NotebookNode]:
    """Each notebook run once, top to bottom, in a fresh kernel (a cell error fails here)."""
    return {path.name: execute(path) for path in notebook_paths()}


@pytest.fixture(scope="module")
def tc(curated_store: ox.Store) -> TechCurbsGraph:
    return open_graph(curated_store)


def cell(notebook: nbformat.NotebookNode, cell_id: str) -> nbformat.NotebookNode:
    return next(c for c in notebook.cells if c.get("id") == cell_id)


def text(notebook: nbformat.NotebookNode, cell_id: str) -> str:
    """What a cell printed."""
    return "".join(o.text for o in cell(notebook, cell_id).outputs if o.output_type == "stream")


def shown(notebook: nbformat.NotebookNode, cell_id: str, mime: str = "text/html") -> str:
    """What a cell displayed as its result, in one format."""
    return "".join(str(o.data[mime]) for o in cell(notebook, cell_id).outputs if mime in o.get("data", {}))


def in_order(needles: list[str], haystack: str) -> bool:
    positions = [haystack.find(n) for n in needles]
    return -1 not in positions and positions == sorted(positions)


def test_there_are_the_three_notebooks() -> None:
    assert [p.name for p in notebook_paths()] == [
        "01-quickstart.ipynb",
        "02-relationship-paths.ipynb",
        "03-network-analysis.ipynb",
    ]


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.name)
def test_notebooks_are_stored_with_their_outputs_and_name_entities_by_name(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert all(c.outputs for c in code if c.get("id") != "open"), "a saved notebook lost its outputs"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert notebook.cells[0].cell_type == "markdown"
    for source in (c.source for c in code):
        assert str(ID) not in source and "id:" not in source, "notebooks find entities with resolve(), by name"
        assert "def " not in source and "class " not in source, "notebooks keep their logic in graph/"


def test_every_notebook_runs_cleanly_from_a_fresh_kernel(executed: dict[str, nbformat.NotebookNode]) -> None:
    for name, notebook in executed.items():
        errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        assert not errors, name


def test_quickstart_resolves_names_as_the_api_does(
    executed: dict[str, nbformat.NotebookNode], tc: TechCurbsGraph
) -> None:
    notebook = executed["01-quickstart.ipynb"]
    lines = text(notebook, "resolve").splitlines()
    assert len(lines) == 5
    for line in lines:
        name, rest = line.split("->", 1)
        iri = rest.rsplit("<", 1)[1].rstrip(">")
        assert tc.resolve(name.strip().strip("'")) == iri
        assert tc.label(iri) in rest
    assert "UnknownNameError" in text(notebook, "unknown")


def test_quickstart_queries_agree_across_the_store_rdflib_and_http(
    executed: dict[str, nbformat.NotebookNode], tc: TechCurbsGraph, curated_store: ox.Store
) -> None:
    notebook = executed["01-quickstart.ipynb"]
    target = tc.resolve("Hikvision Canada")
    actions = tc.query(f"SELECT ?label WHERE {{ ?a a tc:RegulatoryAction ; tc:target <{target}> ; rdfs:label ?label }}")
    assert actions
    assert all(html.escape(row["label"], quote=False) in shown(notebook, "sparql") for row in actions)
    # The rdflib cell's answer, recomputed here by Oxigraph: two engines, one answer.
    publishers = select_table(
        curated_store,
        "SELECT ?publisher (COUNT(DISTINCT ?record) AS ?records) WHERE { ?record tc:source ?d . ?d tc:publisher"
        " ?publisher } GROUP BY ?publisher ORDER BY DESC(?records) ?publisher LIMIT 8",
    )
    assert in_order(
        [f"<td>{html.escape(publisher, quote=False)}</td>" for publisher, _ in publishers.rows],
        shown(notebook, "rdflib"),
    )
    assert all(f"<td>{count}</td>" in shown(notebook, "rdflib") for _, count in publishers.rows)
    assert "the HTTP and in-process answers agree: True" in text(notebook, "http")
    assert "the network read over HTTP is the same as the one compiled here: True" in text(notebook, "http")
    assert "United States of America" in shown(notebook, "http")


def test_paths_notebook_prints_the_paths_find_paths_gives(
    executed: dict[str, nbformat.NotebookNode], tc: TechCurbsGraph
) -> None:
    notebook = executed["02-relationship-paths.ipynb"]
    g = tc.network()
    meng = find_paths(g, tc.resolve("Hikvision"), tc.resolve("Meng Wanzhou"), k=3, avoid=NOT_THROUGH)
    printed = text(notebook, "meng")
    assert bool(printed) == bool(meng)
    for number, path in enumerate(meng, start=1):
        assert f"Path {number}, {len(path)} hops: " + " -> ".join(path.labels) in printed
        assert path.explain() in printed
    assert in_order([p.explain() for p in meng], printed)
    canada = find_paths(g, tc.resolve("Canada"), tc.resolve("China"), k=5, avoid=NOT_THROUGH)
    assert in_order([p.explain() for p in canada], text(notebook, "canada"))
    every = all_paths(g, tc.resolve("Canada"), tc.resolve("China"), max_hops=3, avoid=NOT_THROUGH)
    assert text(notebook, "canada-all").startswith(f"{len(every)} paths of at most 3 hops")
    then = find_paths(
        tc.network(as_of="2019-01-01"), tc.resolve("Hikvision"), tc.resolve("Meng Wanzhou"), k=1, avoid=NOT_THROUGH
    )
    assert [f"as of 2019-01-01: {len(p)} hops: " + " -> ".join(p.labels) for p in then] == [
        line for line in text(notebook, "as-of").splitlines() if line.startswith("as of 2019")
    ]


def ultimate_owner_from_records(store: ox.Store, company: str) -> str:
    """Follow the controlling ownership records upward, largest share first, straight from the store."""
    seen = [company]
    while True:
        owners = select_table(
            store,
            f"SELECT ?owner WHERE {{ ?o a tc:Ownership ; tc:owned <{seen[-1]}> ; tc:owner ?owner ; tc:controlling true ."
            " OPTIONAL { ?o tc:share ?share } } ORDER BY DESC(?share) ?owner",
        ).rows
        fresh = [row[0] for row in owners if row[0] not in seen]
        if not fresh:
            return seen[-1]
        seen.append(fresh[0])


def test_paths_notebook_names_the_ultimate_owner_the_ownership_records_give(
    executed: dict[str, nbformat.NotebookNode], tc: TechCurbsGraph, curated_store: ox.Store
) -> None:
    notebook = executed["02-relationship-paths.ipynb"]
    hikvision = tc.resolve("Hikvision")
    owner = ultimate_owner_from_records(curated_store, hikvision)
    printed = text(notebook, "owner")
    assert f"Ultimate owner: {tc.label(owner)} (" in printed
    assert ownership_chain(tc.network(), hikvision).explain() in printed
    assert "owns" in text(notebook, "owner-path")


def test_network_notebook_shows_the_measures_the_api_computes(
    executed: dict[str, nbformat.NotebookNode], tc: TechCurbsGraph
) -> None:
    notebook = executed["03-network-analysis.ipynb"]
    g = tc.network()
    top = [html.escape(c.label, quote=False) for c in centrality(g, top=12)]
    assert in_order([f"<td>{label}</td>" for label in top], shown(notebook, "central"))
    rows = restriction_table(g)
    per_jurisdiction = {
        j: (
            len({r["action_iri"] for r in rows if r["jurisdiction"] == j}),
            len({r["target_iri"] for r in rows if r["jurisdiction"] == j}),
        )
        for j in {r["jurisdiction"] for r in rows}
    }
    expected = [
        (html.escape(j, quote=False), str(a), str(c))
        for j, (a, c) in sorted(per_jurisdiction.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
    ]
    table = shown(notebook, "restrict")
    assert re.findall(r"<th>([^<]*)</th>\s*<td>(\d+)</td>\s*<td>(\d+)</td>", table) == expected
    assert shown(notebook, "plot", "image/png")


def test_network_notebook_draws_the_neighbourhood_offline(
    executed: dict[str, nbformat.NotebookNode], tc: TechCurbsGraph
) -> None:
    frame = shown(executed["03-network-analysis.ipynb"], "view")
    match = re.search(r'srcdoc="([^"]*)"', frame)
    assert match
    page = html.unescape(match.group(1))
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.IGNORECASE)
    nodes = json.loads(page.split("new vis.DataSet(", 1)[1].split("), edges:", 1)[0])
    expected = neighbourhood(tc.network(), tc.resolve("Hikvision Canada"), depth=1)
    assert {n["id"] for n in nodes} == set(expected.nodes)
