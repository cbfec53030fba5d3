"""The published store: each build is a directory of its own, and a symlink names the one being served.

Publishing writes a complete new store beside the old one and then swaps the link atomically, so a failed or
killed build leaves the previous store untouched and usable, and readers never see a half-built store.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.build import Compiled, Progress, _quiet
from graph.vocab import DEFAULT_STORE

KEEP_BUILDS = 2


class StoreMissingError(Exception):
    """No built store at the given path."""


@dataclass(frozen=True)
class BuildInfo:
    """What a published build holds; written beside it, with no timestamp, so builds are reproducible."""

    digest: str
    quads: int
    records: int
    named_graphs: list[str]
    sources: list[str]

    @property
    def etag(self) -> str:
        return self.digest[:32]


def builds_dir(store: Path) -> Path:
    return store.parent / f"{store.name}.builds"


def _info_path(build: Path) -> Path:
    return build.parent / f"{build.name}.json"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _clean_up(store: Path, current: Path) -> None:
    """Drop builds older than the last few and the leftovers of builds that died."""
    root = builds_dir(store)
    for entry in root.iterdir():
        if entry.name.startswith(".tmp-"):
            pid = int(entry.name.split("-")[1]) if entry.name.split("-")[1].isdigit() else 0
            if pid != os.getpid() and not _pid_alive(pid):
                shutil.rmtree(entry, ignore_errors=True)
    finished = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    finished.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in finished if p != current][KEEP_BUILDS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
        _info_path(old).unlink(missing_ok=True)


def publish(compiled: Compiled, store: Path = DEFAULT_STORE, progress: Progress = _quiet) -> BuildInfo:
    """Load a compiled build into a fresh store directory and point `store` at it atomically."""
    info = BuildInfo(
        digest=compiled.digest,
        quads=compiled.quad_count,
        records=len(compiled.dataset.records),
        named_graphs=compiled.named_graphs,
        sources=[str(d) for d in compiled.dataset.directories],
    )
    return publish_nquads(compiled.nquads, info, store, progress)


def publish_nquads(
    nquads: bytes, info: BuildInfo, store: Path = DEFAULT_STORE, progress: Progress = _quiet
) -> BuildInfo:
    """Publish N-Quads described by `info` as a store, the same way as a build (also for small test stores)."""
    if store.exists() and not store.is_symlink():
        raise StoreMissingError(f"{store} exists and is not a store link made by `techcurbs build`")
    root = builds_dir(store)
    root.mkdir(parents=True, exist_ok=True)
    final = root / info.digest[:16]
    if not final.is_dir():
        tmp = root / f".tmp-{os.getpid()}-{info.digest[:8]}"
        shutil.rmtree(tmp, ignore_errors=True)
        progress(f"loading {info.quads} quads into a new store")
        writer = ox.Store(str(tmp))
        writer.bulk_load(nquads, format=ox.RdfFormat.N_QUADS)
        writer.flush()
        writer.optimize()
        del writer
        tmp.replace(final)
    info_tmp = _info_path(final).with_suffix(".json.tmp")
    info_tmp.write_text(json.dumps(asdict(info), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    info_tmp.replace(_info_path(final))
    link_tmp = store.parent / f".{store.name}.link-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    link_tmp.symlink_to(Path(root.name) / final.name)
    link_tmp.replace(store)
    progress(f"published {store} -> {final.name}")
    _clean_up(store, final)
    return info


def open_store(store: Path = DEFAULT_STORE) -> ox.Store:
    """Open the published store read-only; nothing can be written through it."""
    if not store.exists():
        raise StoreMissingError(f"no built store at {store}: run `techcurbs build` first")
    return ox.Store.read_only(str(store.resolve()))


def build_info(store: Path = DEFAULT_STORE) -> BuildInfo:
    """The description of the build the store link points at."""
    if not store.exists():
        raise StoreMissingError(f"no built store at {store}: run `techcurbs build` first")
    data = json.loads(_info_path(store.resolve()).read_text(encoding="utf-8"))
    return BuildInfo(**data)
