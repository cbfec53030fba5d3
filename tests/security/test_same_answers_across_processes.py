"""Two server processes on the same store answer byte for byte the same, whatever their hash seeds.

tests/reliability/test_faults.py restarts a killed server and compares a few answers; this compares every entity
(JSON and page), the timeline, the network and the exports between two processes started with different
PYTHONHASHSEED values, so that an order taken from a set or a dict of strings, or from ties in a sort, shows up as
a difference instead of a flaky restart test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from graph.build import compile_data
from graph.query import select_table
from graph.store import publish
from graph.vocab import ID
from tests.graph.fixtures import MINIMAL, write_dataset
from tests.reliability.server import serve

ENTITIES = f'SELECT DISTINCT ?e WHERE {{ ?e ?p ?o FILTER(STRSTARTS(STR(?e), "{ID}")) }} ORDER BY ?e'
VIEWS = (
    "/",
    "/timeline",
    "/api/timeline",
    "/api/network",
    "/api/network?entity=hikvision&depth=2",
    "/api/paths?from=hikvision-canada&to=cn-sasac&k=5",
    "/export/network.graphml",
    "/export/network.edges.csv",
    "/export/timeline.csv",
    "/api/search?q=hua",
)


def _answers(url: str, paths: list[str]) -> dict[str, bytes]:
    with httpx.Client(base_url=url, timeout=60) as client:
        return {path: client.get(path).content for path in paths}


@pytest.mark.slow
def test_two_processes_with_different_hash_seeds_answer_the_same(
    curated_store_path: Path, curated_store: ox.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [row[0].removeprefix(str(ID)) for row in select_table(curated_store, ENTITIES).rows]
    paths = [f"/api/entity/{rid}" for rid in ids] + [f"/entity/{rid}" for rid in ids[::5]] + list(VIEWS)
    answers = []
    for seed in ("1", "2"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        with serve(curated_store_path, rate_limit_per_second="0") as server:
            answers.append(_answers(server.url, paths))
    differ = [path for path in paths if answers[0][path] != answers[1][path]]
    assert differ == [], f"{len(differ)} of {len(paths)} answers differ between processes, e.g. {differ[:5]}"


# Two companies with the same name in two countries, both targets of one order: a tie in every sort by label.
NAMESAKES = {
    "sources.yaml": MINIMAL["sources.yaml"],
    "parties.yaml": MINIMAL["parties.yaml"]
    + """  - id: acme-us
    name: Acme Canada Inc.
    country: ca
    sources: [src-a]
  - id: acme-uk
    name: Acme Canada Inc.
    country: ca
    sources: [src-a]
""",
    "actions.yaml": MINIMAL["actions.yaml"].replace("targets: [acme]", "targets: [acme-us, acme, acme-uk]"),
}
LIST_TARGETS = """
import json, sys
from pathlib import Path
from graph.store import open_store
from graph.timeline import timeline_items
print(json.dumps([[t.id for t in i.targets] + [a.id for a in i.actors] for i in timeline_items(open_store(Path(sys.argv[1])))]))
"""


def test_namesakes_are_listed_in_the_same_order_by_every_process(tmp_path: Path) -> None:
    store = tmp_path / "store"
    publish(compile_data([write_dataset(tmp_path / "data", NAMESAKES)]), store)
    orders = set()
    for seed in range(1, 9):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        run = subprocess.run(
            [sys.executable, "-c", LIST_TARGETS, str(store)], env=env, capture_output=True, text=True, check=True
        )
        orders.add(run.stdout)
    assert len(orders) == 1, f"the order of namesakes depends on the hash seed: {orders}"
    assert json.loads(orders.pop())[0][:3] == ["acme", "acme-uk", "acme-us"], "ties in the label are broken by id"
