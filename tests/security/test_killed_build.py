"""A build killed (SIGKILL) at random points never leaves a store that fails to open or is half-built.

The kill points are drawn with a seeded generator over the length of an uninterrupted build, so they fall in
every phase: start-up, reading, SHACL validation, the bulk load of the new store and the swap of the link. After
each kill the store link opens, holds exactly the quads its build description says, and a server opened on it
before the kills still answers; afterwards a build runs to the end and leaves no leftovers of the killed ones.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.app import create_app
from api.settings import Settings
from graph.build import compile_data
from graph.store import build_info, builds_dir, open_store, publish
from tests.conftest import start_server
from tests.graph.fixtures import MINIMAL, write_dataset

KILLS = 8
MORE = "technologies:\n  - id: chips\n    name: Chips\n    sources: [src-a]\n"


def test_a_build_killed_at_random_points_never_breaks_the_store(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data", MINIMAL)
    store = tmp_path / "var" / "store"
    before = publish(compile_data([data]), store)
    (data / "more.yaml").write_text(MORE, encoding="utf-8")
    expected = compile_data([data]).digest
    command = [sys.executable, "-m", "graph.cli", "build", "--data", str(data), "--store", str(store)]

    # How long a whole build takes here, so that the kill points cover all of it; then go back to the old build.
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    duration = time.monotonic() - started
    publish(compile_data([write_dataset(tmp_path / "old", MINIMAL)]), store)
    assert build_info(store).digest == before.digest

    app = create_app(Settings(store=store, rate_limit_per_second=0, query_workers=1))
    rng = random.Random(20261126)
    try:
        for server in start_server(app):
            for _ in range(KILLS):
                process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0, duration))
                if process.poll() is None:
                    os.kill(process.pid, signal.SIGKILL)
                process.wait()
                info = build_info(store)
                assert info.digest in (before.digest, expected)
                assert len(open_store(store)) == info.quads, "the link names a complete build"
                assert httpx.get(f"{server.url}/api/entity/acme", timeout=10).status_code == 200
                ask = httpx.get(
                    f"{server.url}/sparql", params={"query": "ASK { ?s ?p ?o }", "format": "json"}, timeout=10
                )
                assert ask.json()["boolean"] is True
    finally:
        app.state.sparql.close()

    subprocess.run(command, check=True, capture_output=True, timeout=120)
    assert build_info(store).digest == expected
    assert len(open_store(store)) == build_info(store).quads
    assert [p.name for p in builds_dir(store).iterdir() if p.name.startswith(".tmp-")] == []
