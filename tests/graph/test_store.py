"""Publishing is atomic and deterministic; a failed build leaves the store being served untouched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import compile_data
from graph.errors import DataError
from graph.export import export_graph
from graph.store import build_info, open_store, publish
from graph.vocab import DATA_DIR, GRAPHS
from tests.graph.fixtures import MINIMAL, write_dataset


def test_same_data_gives_byte_identical_nquads(tmp_path: Path) -> None:
    first = compile_data([DATA_DIR])
    second = compile_data([DATA_DIR])
    assert first.nquads == second.nquads
    assert first.digest == second.digest
    store_a = publish(first, tmp_path / "a" / "store")
    store_b = publish(second, tmp_path / "b" / "store")
    assert store_a.digest == store_b.digest
    exported_a = export_graph(open_store(tmp_path / "a" / "store"), "nq")
    exported_b = export_graph(open_store(tmp_path / "b" / "store"), "nq")
    assert exported_a == exported_b == first.nquads


def test_failed_build_leaves_the_previous_store_untouched(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data", MINIMAL)
    store_path = tmp_path / "var" / "store"
    before = publish(compile_data([data]), store_path)
    (data / "broken.yaml").write_text("organisations:\n  - id: x\n    name: X\n", encoding="utf-8")
    with pytest.raises(DataError):
        publish(compile_data([data]), store_path)
    assert build_info(store_path).digest == before.digest
    store = open_store(store_path)
    assert len(store) == before.quads


def test_rebuild_swaps_the_store_and_keeps_it_readable(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data", MINIMAL)
    store_path = tmp_path / "var" / "store"
    first = publish(compile_data([data]), store_path)
    reader = open_store(store_path)
    (data / "more.yaml").write_text(
        "technologies:\n  - id: chips\n    name: Chips\n    sources: [src-a]\n", encoding="utf-8"
    )
    second = publish(compile_data([data]), store_path)
    assert second.digest != first.digest
    assert len(reader) == first.quads, "a reader of the old build keeps its view"
    assert len(open_store(store_path)) == second.quads


def test_the_published_store_is_read_only(tmp_path: Path) -> None:
    store_path = tmp_path / "store"
    publish(compile_data([write_dataset(tmp_path / "data", MINIMAL)]), store_path)
    store = open_store(store_path)
    with pytest.raises(RuntimeError, match="read-write"):
        store.update("INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }")
    assert not any(store.quads_for_pattern(ox.NamedNode("http://example.org/a"), None, None))


def test_plain_rdf_files_load_into_a_named_graph_each(tmp_path: Path) -> None:
    files = {
        **MINIMAL,
        "extra.ttl": "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b [ ex:d 1 ] .\n",
        "more.nt": "<http://example.org/x> <http://example.org/y> <http://example.org/z> .\n",
    }
    data = write_dataset(tmp_path / "mine", files)
    compiled = compile_data([data])
    assert compiled.named_graphs == [f"{GRAPHS}mine/extra.ttl", f"{GRAPHS}mine/more.nt"]
    store = publish(compiled, tmp_path / "store")
    assert store.named_graphs == compiled.named_graphs
    opened = open_store(tmp_path / "store")
    rows = list(opened.query(f"SELECT ?o WHERE {{ GRAPH <{GRAPHS}mine/more.nt> {{ ?s ?p ?o }} }}"))
    assert [row["o"].value for row in rows] == ["http://example.org/z"]
    assert compile_data([data]).nquads == compiled.nquads, "blank nodes are named deterministically"


def test_killed_build_never_breaks_the_served_store(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data", MINIMAL)
    store_path = tmp_path / "var" / "store"
    before = publish(compile_data([data]), store_path)
    (data / "more.yaml").write_text(
        "technologies:\n  - id: chips\n    name: Chips\n    sources: [src-a]\n", encoding="utf-8"
    )
    command = [sys.executable, "-m", "graph.cli", "build", "--data", str(data), "--store", str(store_path)]
    for delay in (0.05, 0.3, 0.8):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert len(open_store(store_path)) in (before.quads, build_info(store_path).quads)
    subprocess.run(command, check=True, capture_output=True)
    assert build_info(store_path).digest != before.digest
    assert len(open_store(store_path)) == build_info(store_path).quads
