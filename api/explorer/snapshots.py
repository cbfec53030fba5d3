"""What the explorer derives from a build, kept on disk so that a restarted server does not derive it again.

The graph never changes between builds, and the explorer's largest derived structures take seconds to read from
a large store: at 10^6 triples about 9 s for the compact network, 6 s for the name index and 6 s for the timeline
items, against under a second each to load from a snapshot. A snapshot belongs to one build (its digest) and to
the code that made it (a fingerprint of `graph/` and `ontology/`), so a rebuild or an upgrade never reads a stale
one. Snapshots are pickles this server writes for itself, into a directory beside its store that is as trusted as
the store: nothing a client sends reaches them. One that cannot be read is derived afresh; a directory that
cannot be written only means deriving again at the next start.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import shutil
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

from graph.vocab import PROJECT_ROOT

T = TypeVar("T")
log = logging.getLogger(__name__)
# Bumped when what a snapshot holds changes in a way the code fingerprint would not show.
FORMAT = 1
# Snapshots of this many builds are kept (the current one and the one before, for a server not yet restarted).
KEEP = 2
SOURCES = (PROJECT_ROOT / "graph", PROJECT_ROOT / "ontology")


@cache
def code_fingerprint() -> str:
    """A digest of the code and ontology that derive what is kept, and of the Python that pickles it."""
    digest = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    for root in SOURCES:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".ttl"):
                digest.update(f"{root.name}/{path.relative_to(root).as_posix()}".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class Snapshots:
    """Derived values by build and name: loaded from `directory` when kept there, else derived and kept."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def get(self, build: str, name: str, kind: type[T], derive: Callable[[], T]) -> T:
        """The value `derive` makes for this build, from its snapshot when there is a readable one."""
        if self.directory is None:
            return derive()
        folder = self.directory / f"{hashlib.sha256(build.encode()).hexdigest()[:32]}-{code_fingerprint()}"
        path = folder / f"{name}.pickle"
        kept = self._load(path)
        if isinstance(kept, kind):
            return kept
        value = derive()
        self._keep(folder, path, value)
        return value

    @staticmethod
    def _load(path: Path) -> object:
        try:
            with path.open("rb") as file:
                return pickle.load(file)  # noqa: S301 (written by this server, beside its store; see the docstring)
        except FileNotFoundError:
            return None
        except Exception as exc:  # a damaged pickle may raise almost any exception (see the pickle docs)
            log.warning("snapshot %s cannot be read (%s); deriving it again", path, exc)
            return None

    def _keep(self, folder: Path, path: Path, value: object) -> None:
        partial = folder / f".{path.name}.{os.getpid()}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(path)  # a reader sees the whole snapshot or none
        except OSError as exc:
            log.warning("cannot keep a snapshot in %s (%s); it will be derived again at the next start", folder, exc)
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            return
        self._prune(folder)

    def _prune(self, current: Path) -> None:
        """Remove the snapshots of all but the KEEP most recently written builds."""
        assert self.directory is not None
        try:
            folders = sorted(
                (f for f in self.directory.iterdir() if f.is_dir() and f != current),
                key=lambda f: f.stat().st_mtime,
                reverse=True,
            )
        except OSError as exc:  # another server pruning at the same time
            log.warning("cannot list the snapshots in %s (%s)", self.directory, exc)
            return
        for old in folders[KEEP - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
