"""A restarted server loads what the explorer derived from its build, instead of reading the store again; a
snapshot of another build, of other code, or that cannot be read is never used."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.explorer import snapshots, views
from api.settings import Settings
from benchmarks.generate import generate
from graph.build import compile_data
from graph.network.compact import CompactProjection
from graph.search import NameIndex
from graph.store import publish

PAGES = (
    "/",
    "/api/entity/hikvision",
    "/api/search?q=hikv",
    "/api/network?entity=hikvision&depth=2",
    "/api/paths?from=hikvision-canada&to=cn-sasac",
    "/api/timeline",
)
KEPT = ["items.pickle", "names.pickle", "network.pickle"]


def answers(app: FastAPI, pages: tuple[str, ...] = PAGES) -> list[bytes]:
    with TestClient(app) as client:
        responses = [client.get(page) for page in pages]
    assert [r.status_code for r in responses] == [200] * len(pages), [r.text[:200] for r in responses]
    return [r.content for r in responses]


def kept(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob("*/*.pickle"))


def loaded(path: Path) -> object:
    return pickle.loads(path.read_bytes())  # noqa: S301 (written by the server under test)


def refuse_reading_the_store(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("read from the store although a snapshot was kept")

    for name in ("compact_projection", "name_index", "timeline_items"):
        monkeypatch.setattr(views, name, refuse)


def test_a_restart_answers_from_the_snapshots(
    curated_store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(store=curated_store_path, snapshot_dir=tmp_path / "snapshots")
    first = answers(create_app(settings))
    assert kept(tmp_path / "snapshots") == KEPT
    refuse_reading_the_store(monkeypatch)
    assert answers(create_app(settings)) == first


def test_a_snapshot_that_cannot_be_read_is_derived_again(curated_store_path: Path, tmp_path: Path) -> None:
    settings = Settings(store=curated_store_path, snapshot_dir=tmp_path / "snapshots")
    first = answers(create_app(settings))
    (folder,) = (tmp_path / "snapshots").iterdir()
    (folder / "network.pickle").write_bytes(b"not a pickle")
    (folder / "names.pickle").write_bytes(pickle.dumps(["a list, not a name index"]))
    (folder / "items.pickle").write_bytes(b"")
    assert answers(create_app(settings)) == first
    assert isinstance(loaded(folder / "network.pickle"), CompactProjection)
    assert isinstance(loaded(folder / "names.pickle"), NameIndex)
    assert isinstance(loaded(folder / "items.pickle"), list)


def test_another_build_does_not_read_this_builds_snapshots(curated_store_path: Path, tmp_path: Path) -> None:
    directory = tmp_path / "snapshots"
    answers(create_app(Settings(store=curated_store_path, snapshot_dir=directory)))
    data = tmp_path / "synthetic"
    generate(1000, data)
    other = tmp_path / "other" / "store"
    publish(compile_data([data]), other)
    with TestClient(create_app(Settings(store=other, snapshot_dir=directory))) as client:
        assert client.get("/api/entity/hikvision").status_code == 404
        assert client.get("/api/entity/co-1").status_code == 200
        assert "Hikvision" not in client.get("/api/search", params={"q": "hikv"}).text
    assert len(list(directory.iterdir())) == 2, "one folder per build"


def test_a_directory_that_cannot_be_written_only_costs_time(curated_store_path: Path, tmp_path: Path) -> None:
    reference = answers(create_app(Settings(store=curated_store_path, snapshots=False)))
    blocked = tmp_path / "a file"
    blocked.write_text("in the way")
    app = create_app(Settings(store=curated_store_path, snapshot_dir=blocked / "snapshots"))
    assert answers(app) == reference
    assert blocked.read_text() == "in the way"


def test_snapshots_can_be_turned_off(curated_store_path: Path, tmp_path: Path) -> None:
    settings = Settings(store=curated_store_path, snapshots=False, snapshot_dir=tmp_path / "snapshots")
    answers(create_app(settings), ("/",))
    assert not (tmp_path / "snapshots").exists()
    assert Settings(store=tmp_path / "var" / "store").snapshot_path() == tmp_path / "var" / "store.snapshots"


def test_the_code_fingerprint_follows_the_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "graph"
    code.mkdir()
    (code / "derive.py").write_text("VALUE = 1\n")
    (code / "notes.txt").write_text("not code")
    monkeypatch.setattr(snapshots, "SOURCES", (code,))
    snapshots.code_fingerprint.cache_clear()
    try:
        before = snapshots.code_fingerprint()
        (code / "notes.txt").write_text("changed, but not code")
        snapshots.code_fingerprint.cache_clear()
        assert snapshots.code_fingerprint() == before
        (code / "derive.py").write_text("VALUE = 2\n")
        snapshots.code_fingerprint.cache_clear()
        assert snapshots.code_fingerprint() != before
    finally:
        snapshots.code_fingerprint.cache_clear()
