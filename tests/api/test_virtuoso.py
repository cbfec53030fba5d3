"""The whole app on Virtuoso 7 (Debian's virtuoso-opensource), through the remote SPARQL backend.

Virtuoso answers ASK as a one-row table, a CONSTRUCT as a table when tables are acceptable, cuts results at
ResultSetMaxRows with a 200 and only an X-SPARQL-MaxRows header, and unions every graph (its own system graphs
too) into the default graph. The same pages and queries must still answer exactly as on the embedded store.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from graph.export import export_graph
from graph.store import open_store
from tests.conftest import IN_CI, free_port

pytestmark = pytest.mark.slow
VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
MAX_ROWS = 100_000
INI = """
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 5
MaxQueryCostEstimationTime = 400
"""


@pytest.fixture(scope="module")
def virtuoso(curated_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Virtuoso server on loopback holding the curated build; yields its SPARQL URL."""
    if not VIRTUOSO or not ISQL:
        reason = "Virtuoso is not installed (Debian package virtuoso-opensource-7-bin)"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(dir=folder, sql_port=sql_port, http_port=http_port, max_rows=MAX_ROWS))
    (folder / "techcurbs.nq").write_bytes(export_graph(open_store(curated_store_path), "nq"))
    process = subprocess.Popen(
        [VIRTUOSO, "-f", "-c", str(ini)], cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "Virtuoso did not start"
            time.sleep(0.3)
        load = f"ld_dir('{folder}', 'techcurbs.nq', 'https://w3id.org/techcurbs/graph/curated'); rdf_loader_run();"
        subprocess.run(
            [ISQL, str(sql_port), "dba", "dba", f"exec={load}"], check=True, capture_output=True, timeout=120
        )
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def on_virtuoso(virtuoso: str, curated_store_path: Path) -> TestClient:
    settings = Settings(store=curated_store_path, endpoint=virtuoso, rate_limit_per_second=0, query_timeout=20)
    return TestClient(create_app(settings))


PAGES = [
    "/api/entity/hikvision-canada",
    "/api/entity/meng-wanzhou",
    "/api/entity/ca-2025-hikvision-wind-up",
    "/api/search?q=hikv",
    "/api/network?entity=hikvision&depth=1",
]
QUERIES = [
    "SELECT ?url WHERE { id:ca-2025-hikvision-wind-up tc:source/tc:url ?url } ORDER BY ?url",
    "SELECT ?j (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a tc:RegulatoryAction ; tc:jurisdiction ?j } GROUP BY ?j ORDER BY ?j",
    "ASK { id:hikvision a tc:Company }",
    "ASK { id:hikvision a tc:Court }",
]


@pytest.mark.parametrize("path", PAGES)
def test_explorer_answers_on_virtuoso_equal_the_embedded_store(
    on_virtuoso: TestClient, client: TestClient, path: str
) -> None:
    remote, local = on_virtuoso.get(path), client.get(path)
    assert remote.status_code == local.status_code == 200, remote.text[:300]
    assert remote.json() == local.json()


@pytest.mark.parametrize("query", QUERIES)
def test_sparql_answers_on_virtuoso_equal_the_embedded_store(
    on_virtuoso: TestClient, client: TestClient, query: str
) -> None:
    accept = {"Accept": "application/sparql-results+json"}
    remote = on_virtuoso.get("/sparql", params={"query": query}, headers=accept)
    local = client.get("/sparql", params={"query": query}, headers=accept)
    assert remote.status_code == 200, remote.text[:300]
    assert remote.json().get("boolean") == local.json().get("boolean")
    assert remote.json().get("results") == local.json().get("results")


def test_a_describe_on_virtuoso_is_a_graph_not_a_table(on_virtuoso: TestClient) -> None:
    response = on_virtuoso.get("/id/hikvision-canada", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "Hikvision Canada Inc." in response.text


def test_virtuosos_silent_row_cut_becomes_an_error(on_virtuoso: TestClient) -> None:
    response = on_virtuoso.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o . ?x a tc:State }"})
    assert response.status_code == 502
    assert response.json()["error"] == "upstream_error"
    assert f"cut the results at {MAX_ROWS} rows" in response.json()["detail"]
