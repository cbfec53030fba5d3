"""The harness's measurements on a tiny data set against real servers (no speed is asserted, only that they
measure: every server answers every query of the mix alike, and the tables and plot are written)."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import pytest

from benchmarks import measure, servers
from benchmarks.browser import CHROMIUM, time_network_pages
from benchmarks.generate import generate, hub_id
from benchmarks.queries import query_mix
from benchmarks.report import markdown, render, targets
from benchmarks.run import bench_scale

SCALE = 2000


def _args(work: Path) -> argparse.Namespace:
    return argparse.Namespace(
        build_runs=1,
        clients=[1, 2],
        seconds=0.3,
        reps=2,
        budget=0.2,
        rdflib_max=SCALE,
        rdflib_timeout=30.0,
        work=work,
    )


@pytest.fixture(scope="module")
def scale_result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("bench")
    return bench_scale(SCALE, work, _args(work))


def test_every_server_answers_every_query_of_the_mix_alike(scale_result: dict) -> None:
    by_server = scale_result["servers"]
    assert set(by_server) == {"techcurbs", "oxigraph", "rdflib-endpoint"}
    rows = {name: {q["query"]: (q["rows"], q["error"]) for q in f["latency"]} for name, f in by_server.items()}
    assert all(error == "" for per in rows.values() for _rows, error in per.values())
    assert rows["techcurbs"] == rows["oxigraph"] == rows["rdflib-endpoint"]
    assert all(q["n"] >= 1 and q["p50_ms"] > 0 for f in by_server.values() for q in f["latency"])


def test_readiness_throughput_memory_and_build_are_measured(scale_result: dict) -> None:
    assert scale_result["build"]["quads"] > SCALE and scale_result["build"]["peak_rss_mb"] > 0
    assert scale_result["oxigraph_load"]["seconds"] > 0
    for figures in scale_result["servers"].values():
        assert 0 < figures["ready_s"] <= figures["first_answer_s"]
        assert [t["clients"] for t in figures["throughput"]] == [1, 2]
        assert all(t["completed"] > 0 and t["errors"] == 0 for t in figures["throughput"])
        assert figures["memory"]["peak_tree_rss_mb"] >= figures["memory"]["peak_rss_mb"] > 0
    tc = scale_result["servers"]["techcurbs"]
    assert all(e["error"] == "" for e in tc["explorer"])
    # Each layer of the breakdown contains the one before it, so each takes longer.
    layers = scale_result["breakdown"]["us"]
    assert 0 < layers["engine"] < layers["worker"] < layers["round_trip"] < layers["app"]
    assert tc["cached_ms"] > 0
    # The CPU a request costs: this project's query workers do part of its work; the Oxigraph server has none.
    ox_cost = scale_result["servers"]["oxigraph"]["cpu_per_request"]
    assert tc["cpu_per_request"]["main_ms"] > 0 and tc["cpu_per_request"]["children_ms"] > 0
    assert ox_cost["main_ms"] > 0 and ox_cost["children_ms"] == 0
    assert tc["cpu_per_request"]["client_ms"] > 0 and ox_cost["client_ms"] > 0
    assert "cpu_per_request" not in scale_result["servers"]["rdflib-endpoint"]
    # The first explorer pages, on the fresh build and again after a restart.
    for firsts in (tc["explorer_start"], scale_result["explorer_restart"]):
        assert [f["status"] for f in firsts] == [200, 200] and all(f["seconds"] > 0 for f in firsts)
    assert tc["repeated"]["sparql"]["completed"] > 0 and tc["repeated"]["pages"]["errors"] == 0


def test_the_report_and_plot_are_written(scale_result: dict, tmp_path: Path) -> None:
    results = {
        "command": "test",
        "machine": {"python": "3", "cpus": 2, "platform": "test"},
        "settings": {
            "techcurbs_env": servers.TECHCURBS_ENV,
            "seconds": 0.3,
            "clients": [1, 2],
            "reps": 2,
            "budget": 0.2,
        },
        "scales": [scale_result],
        "wall_seconds": 1.0,
    }
    json.dumps(results)
    summary = render(results, tmp_path)
    assert "mix p50 vs Oxigraph" in summary
    assert "Where the time of `ex-sources` goes" in (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "CPU time one `ex-sources` request costs" in (tmp_path / "results.md").read_text(encoding="utf-8")
    assert "first home page / entity page after a restart, from the snapshots" in summary
    assert (tmp_path / "results.png").stat().st_size > 0
    text = (tmp_path / "results.md").read_text(encoding="utf-8")
    assert text == markdown(results)
    assert all(name in text for name in ("ex-actions", "ownership-chain", "rdflib-endpoint"))
    assert {name for name, *_ in targets(results)} >= {"mix p50 vs Oxigraph at 2000"}


def test_every_request_gets_a_query_text_of_its_own() -> None:
    query = query_mix(10)[5]
    assert measure.busted(query.text, 1) != measure.busted(query.text, 2)
    assert measure.percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5


@pytest.mark.browser
def test_the_network_page_is_timed_until_ready_and_expanded(tmp_path: Path) -> None:
    if shutil.which(CHROMIUM) is None:
        pytest.skip("no /usr/bin/chromium")
    generate(1000, tmp_path / "data", hubs=(20,))
    store = tmp_path / "store" / "store"
    from benchmarks.run import _build

    _build(tmp_path / "data", store)
    with servers.techcurbs(store, tmp_path / "server.log") as server:
        [timing] = time_network_pages(server.base, [hub_id(20)], runs=1)
    assert timing.error == ""
    assert timing.ready_ms and timing.ready_ms[0] > 0
    # 20 nodes: 10 neighbours shown, the rest folded into "+N more" until "Show all" is clicked.
    assert timing.nodes_first < timing.nodes_all == 20
