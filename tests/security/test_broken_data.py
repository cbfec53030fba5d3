"""Data edited by hand: every problem of a broken data directory in one run, and the store served before keeps serving.

One directory holds every kind of mistake at once: malformed YAML, a file that is not UTF-8, an unknown record
kind, a record that is not a mapping, unknown fields, wrong types, a bad id, dangling references, a duplicate id,
impossible dates (end before start, 30 February), an unknown concept and source URLs that are not http(s)
(`javascript:`, `data:`, `ftp:`, one with a space). One run must report all of them with file, line and field.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.settings import Settings
from graph.build import compile_data
from graph.errors import DataError
from graph.store import build_info, open_store, publish
from tests.conftest import start_server
from tests.graph.fixtures import MINIMAL, write_dataset

BROKEN = {
    "sources.yaml": """
        sources:
          - id: src-a
            url: https://example.org/a
            title: An article
            publisher: Example News
          - id: src-js
            url: "javascript:alert(1)"
            title: Script link
            publisher: Nobody
          - id: src-data
            url: "data:text/html,<script>alert(1)</script>"
            title: Data link
            publisher: Nobody
          - id: src-ftp
            url: ftp://example.org/x
            title: FTP link
            publisher: Nobody
          - id: src-space
            url: "https://example.org/a b"
            title: A space
            publisher: Nobody
        """,
    "parties.yaml": """
        jurisdictions:
          - id: ca
            name: Canada
            sources: [src-a]
        organisations:
          - id: gic
            name: Governor in Council
            kind: government_body
            country: ca
            sources: [src-a]
          - id: acme
            name: Acme
            country: ca
            nickname: Ac
            sources: [src-a]
          - id: wrongtypes
            name: [not, a, string]
            country: ca
            state_owned: perhaps
            identifiers: {wikidata: X1}
            sources: [src-a]
          - id: gic
            name: Another Governor in Council
            country: ca
            sources: [src-a]
          - id: dangling
            name: Dangling Ltd
            country: atlantis
            sources:
              - src-a
              - src-missing
          - id: Bad Id
            name: Bad id
            country: ca
            sources: [src-a]
          - just a string
        gadgets:
          - id: g
        """,
    "people.yaml": """
        people:
          - id: jo
            name: Jo
            sources: [src-a]
        posts:
          - id: jo-post
            holder: jo
            organisation: gic
            role: Minister
            start: "2025-05"
            end: "2024"
            sources: [src-a]
          - id: jo-post-2
            holder: jo
            organisation: gic
            role: Minister
            start: "2025-02-30"
            sources: [src-a]
        """,
    "actions.yaml": """
        actions:
          - id: order
            name: Order
            type: wind_down
            issuer: gic
            jurisdiction: ca
            targets: [acme, ghost]
            announced: "2025-06-27"
            end: "2025-01-01"
            status: in_force
            sources: [src-a]
        """,
    "broken.yaml": """
        people:
          - id: x
            name: [unclosed
        """,
}
LATIN1 = b"people:\n  - id: jose\n    name: Jos\xe9\n    sources: [src-a]\n"

EXPECTED = {
    ("actions.yaml", 4, "type"),  # unknown concept, reported although the same record has impossible dates
    ("actions.yaml", 7, "targets"),  # dangling reference, idem
    ("actions.yaml", 9, "end"),  # end before announced
    ("broken.yaml", 4, ""),  # YAML syntax
    ("latin1.yaml", 3, ""),  # not UTF-8: the line of the first bad byte
    ("parties.yaml", 14, "nickname"),  # unknown field
    ("parties.yaml", 17, "name"),  # wrong type
    ("parties.yaml", 19, "state_owned"),  # wrong type
    ("parties.yaml", 20, "identifiers.wikidata"),  # bad identifier
    ("parties.yaml", 22, "id"),  # duplicate id
    ("parties.yaml", 28, "country"),  # dangling reference
    ("parties.yaml", 31, "sources"),  # dangling reference, on the line of the list item
    ("parties.yaml", 32, "id"),  # not an id
    ("parties.yaml", 36, "organisations"),  # a record that is not a mapping
    ("parties.yaml", 37, "gadgets"),  # unknown record kind
    ("people.yaml", 11, "end"),  # end before start
    ("people.yaml", 17, "start"),  # 30 February
    ("sources.yaml", 7, "url"),  # javascript:
    ("sources.yaml", 11, "url"),  # data:
    ("sources.yaml", 15, "url"),  # ftp:
    ("sources.yaml", 19, "url"),  # a space
}


def write_broken(directory: Path) -> Path:
    write_dataset(directory, BROKEN)
    (directory / "latin1.yaml").write_bytes(LATIN1)
    return directory


def test_every_problem_is_reported_in_one_run_with_file_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        compile_data([write_broken(tmp_path / "broken")])
    problems = caught.value.problems
    assert {(Path(p.file).name, p.line, p.field) for p in problems} == EXPECTED
    messages = {(Path(p.file).name, p.line): p.message for p in problems}
    assert "first defined at" in messages[("parties.yaml", 22)] and "parties.yaml:6" in messages[("parties.yaml", 22)]
    assert "not an http(s) URL" in messages[("sources.yaml", 7)]
    assert "before start" in messages[("people.yaml", 11)]
    assert "'ghost'" in messages[("actions.yaml", 7)]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A small valid store, served by a live server, as a newsroom would run it."""
    store = tmp_path / "var" / "store"
    publish(compile_data([write_dataset(tmp_path / "good", MINIMAL)]), store)
    app = create_app(Settings(store=store, rate_limit_per_second=0, query_workers=1))
    try:
        for server in start_server(app):
            yield server.url, store
    finally:
        app.state.sparql.close()


def _answers(url: str) -> list[bytes]:
    paths = ["/api/entity/acme", "/api/search?q=acme", "/download/techcurbs.nq", "/timeline"]
    out = [httpx.get(url + p, timeout=30).content for p in paths]
    query = {"query": "SELECT ?s ?l WHERE { ?s rdfs:label ?l } ORDER BY ?s", "format": "csv"}
    out.append(httpx.get(f"{url}/sparql", params=query, timeout=30).content)
    return out


def test_a_failed_build_leaves_the_served_store_answering_the_same(served: tuple[str, Path], tmp_path: Path) -> None:
    url, store = served
    before = _answers(url)
    digest = build_info(store).digest
    target = store.resolve()
    command = [
        sys.executable,
        "-m",
        "graph.cli",
        "build",
        "--data",
        str(write_broken(tmp_path / "broken")),
        "--store",
        str(store),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode != 0
    assert "javascript:alert(1)" in run.stderr and f"{len(EXPECTED)} problems" in run.stderr, run.stderr[-2000:]
    assert store.resolve() == target, "the store link was not touched"
    assert build_info(store).digest == digest
    assert len(open_store(store)) == build_info(store).quads
    assert _answers(url) == before
