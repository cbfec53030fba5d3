"""Faults: a server killed and restarted answers the same; a server without write access to its store works."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port
from tests.reliability.server import serve

QUERIES = (
    "SELECT ?a ?l WHERE { ?a a tc:RegulatoryAction ; rdfs:label ?l } ORDER BY ?a",
    "SELECT ?s (COUNT(?r) AS ?n) WHERE { ?r tc:source ?s } GROUP BY ?s ORDER BY ?s",
)
PAGES = ("/api/search?q=hikvision", "/api/entity/hikvision", "/timeline")


def _answers(url: str) -> list[bytes]:
    out = [
        httpx.get(f"{url}/sparql", params={"query": q}, headers={"Accept": "text/csv"}, timeout=30).content
        for q in QUERIES
    ]
    out += [httpx.get(f"{url}{page}", timeout=30).content for page in PAGES]
    return out


@pytest.mark.slow
def test_a_killed_server_restarted_serves_the_same_answers(curated_store_path: Path) -> None:
    with serve(curated_store_path, rate_limit_per_second="0") as server:
        before = _answers(server.url)
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()
    with serve(curated_store_path, rate_limit_per_second="0") as server:
        assert _answers(server.url) == before


def _read_only_copy(store: Path, into: Path) -> Path:
    """A copy of a published store whose files and folders nobody may write."""
    build = store.resolve()
    copy = into / "stores" / build.name
    shutil.copytree(build, copy)
    shutil.copy2(build.parent / f"{build.name}.json", into / "stores" / f"{build.name}.json")
    link = into / "store"
    link.symlink_to(Path("stores") / build.name)
    for path in [copy, *copy.rglob("*"), into / "stores"]:
        path.chmod(path.stat().st_mode & ~0o222)
    return link


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and util-linux setpriv")
def test_the_server_runs_without_write_access_to_its_store(curated_store_path: Path, tmp_path: Path) -> None:
    store = _read_only_copy(curated_store_path, tmp_path)
    port = free_port()
    # Root without the capabilities that override file permissions: the read-only bits now bind the server.
    command = [
        "setpriv",
        "--bounding-set=-dac_override,-dac_read_search,-fowner",
        "--inh-caps=-dac_override,-dac_read_search,-fowner",
        sys.executable,
        "-m",
        "graph.cli",
        "serve",
        "--store",
        str(store),
        "--port",
        str(port),
    ]
    env = {**os.environ, "TECHCURBS_RATE_LIMIT_PER_SECOND": "0"}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
            assert time.monotonic() < deadline, "the server did not start without write access"
            time.sleep(0.1)
        answer = httpx.get(f"{url}/sparql", params={"query": QUERIES[0]}, headers={"Accept": "text/csv"}, timeout=30)
        assert answer.status_code == 200
        assert answer.text.count("\n") > 10
        assert httpx.get(f"{url}/api/entity/hikvision", timeout=30).status_code == 200
        probe = store.resolve() / "probe"
        denied = subprocess.run(
            ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "touch", str(probe)],
            capture_output=True,
            check=False,
        )
        assert denied.returncode != 0, "the store folder should refuse writes to the server's user"
    finally:
        process.terminate()
        process.wait(timeout=10)
