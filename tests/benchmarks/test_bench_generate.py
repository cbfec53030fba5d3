"""The synthetic data generator: same seed and size give the same bytes, and the data pass the shapes."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from benchmarks.generate import generate, hub_id
from graph.build import compile_data
from graph.network import neighbourhood, project
from graph.store import open_store, publish
from graph.vocab import entity_iri


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_same_seed_and_size_give_the_same_bytes(tmp_path: Path) -> None:
    first = generate(3000, tmp_path / "a", hubs=(20,))
    second = generate(3000, tmp_path / "b", hubs=(20,))
    assert first == second
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate(3000, tmp_path / "a", seed=7)
    generate(3000, tmp_path / "b", seed=8)
    assert _files(tmp_path / "a") != _files(tmp_path / "b")


def test_generated_data_pass_the_shapes_near_the_asked_size(tmp_path: Path) -> None:
    counts = generate(5000, tmp_path / "data")
    compiled = compile_data([tmp_path / "data"])
    assert len(compiled.dataset.records) == sum(counts.values())
    # The ontology adds about 1,300 quads of its own; the data should be within a fifth of the size asked for.
    assert 4000 <= compiled.quad_count - 1300 <= 6000


def test_a_hub_has_a_one_hop_view_of_exactly_its_size(tmp_path: Path) -> None:
    generate(2000, tmp_path / "data", hubs=(30,))
    store = tmp_path / "store"
    publish(compile_data([tmp_path / "data"]), store)
    g = project(open_store(store))
    view = neighbourhood(g, str(entity_iri(hub_id(30))), depth=1)
    assert len(view) == 30
    assert nx.is_weakly_connected(view)
