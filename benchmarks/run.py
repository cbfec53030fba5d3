"""The benchmark: this project's server against Oxigraph and rdflib-endpoint on the same synthetic data.

    python -m benchmarks.run                         # every scale, the browser, results in benchmarks/results
    python -m benchmarks.run --scales 10000 100000   # a partial run
    python -m benchmarks.run --no-browser --seconds 2

For each scale it generates the data, builds the store (`techcurbs build`, timed, peak memory from wait4),
exports the same quads as N-Quads for `oxigraph load` and rdflib, then starts each server in turn and measures
readiness, the query mix's latency, throughput at 1, 8 and 32 clients, the repeated workload and memory.
rdflib-endpoint is skipped above `--rdflib-max` triples (it takes minutes to load and query 10^6). Raw figures
go to results.json; results.md and results.png are rendered from them (see benchmarks.report).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from benchmarks import measure, servers
from benchmarks.breakdown import breakdown
from benchmarks.generate import generate, hub_id
from benchmarks.queries import START_PAGES, Query, explorer_paths, popular_pages, query_mix
from benchmarks.report import render

RESULTS = Path(__file__).resolve().parent / "results"
HUBS = (50, 500, 2000)
# `make bench` puts scipy in SCRATCH/scipy (see bench_browser).
SCRATCH = Path(tempfile.gettempdir()) / "techcurbs-bench"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _build(data: Path, store: Path, runs: int = 1) -> dict[str, Any]:
    """`techcurbs build` from scratch `runs` times: the median time, and every time and peak memory."""
    times, peaks, quads = [], [], 0
    for _ in range(runs):
        shutil.rmtree(store.parent, ignore_errors=True)
        store.parent.mkdir(parents=True)
        argv = [str(servers.VENV_BIN / "techcurbs"), "build", "--data", str(data), "--store", str(store)]
        run = servers.run_measured(argv, timeout=900)
        if run.returncode != 0:
            raise RuntimeError(f"build failed:\n{run.output[-3000:]}")
        quads = int(run.output.rsplit("built ", 1)[1].split()[0])
        times.append(run.seconds)
        peaks.append(run.peak_rss_mb)
    return {"seconds": statistics.median(times), "runs_s": times, "peak_rss_mb": max(peaks), "quads": quads}


# The answer cache keeps answers of up to 2 MiB by default; the example queries' answers outgrow that at 10^6.
LARGE_ENTRY_MB = 64
# A one-row lookup, typical of the mix's small queries, for the layer-by-layer breakdown.
BREAKDOWN_QUERY = "ex-sources"
LARGE_ENTRIES = {"TECHCURBS_ANSWER_CACHE_ENTRY_BYTES": str(LARGE_ENTRY_MB * 2**20)}


def _guard_costs(queries: list[Query]) -> dict[str, float]:
    """Milliseconds this project's SPARQL guard spends inspecting each query, measured in process.

    Every query the endpoint answers is inspected before Oxigraph evaluates it (a tokenizer pass; rdflib's parser
    only for queries with update or SERVICE keywords), so the report sets its cost beside each latency.
    """
    from api.sparql.guard import inspect_query

    costs = {}
    for query in queries:
        times = []
        for n in range(5):
            text = measure.busted(query.text, n)
            start = time.perf_counter()
            inspect_query(text, ())
            times.append((time.perf_counter() - start) * 1000)
        costs[query.name] = sorted(times)[len(times) // 2]
    return costs


def _latencies(
    server: servers.Server, queries: list[Query], args: argparse.Namespace, slow: bool
) -> list[dict[str, Any]]:
    reps, budget, timeout = (5, 3.0, args.rdflib_timeout) if slow else (args.reps, args.budget, 60.0)
    out = []
    for query in queries:
        lat = measure.query_latency(server.sparql_url, query, reps=reps, budget=budget, timeout=timeout)
        out.append(
            {
                "query": lat.query,
                "p50_ms": lat.p50,
                "p95_ms": lat.p95,
                "n": len(lat.times_ms),
                "rows": lat.rows,
                "error": lat.error,
            }
        )
    return out


def _throughputs(
    server: servers.Server, queries: list[Query], args: argparse.Namespace, slow: bool
) -> list[dict[str, Any]]:
    out = []
    for clients in args.clients:
        t = measure.mix_throughput(
            server.sparql_url, queries, clients, seconds=args.seconds, timeout=args.rdflib_timeout if slow else 60.0
        )
        out.append(
            {
                "clients": clients,
                "per_second": t.per_second,
                "completed": t.completed,
                "errors": t.errors,
                "error_kinds": t.error_kinds,
            }
        )
    return out


def _repeated(
    server: servers.Server, queries: list[Query], pages: list[str], args: argparse.Namespace
) -> dict[str, Any]:
    """The same example and entity-page queries again and again (and, for this project, its popular pages)."""
    sparql: list[tuple[str, dict[str, str] | None]] = [
        (server.sparql_url, {"query": q.text}) for q in queries if q.name.startswith(("ex-", "entity-"))
    ]
    urls: list[tuple[str, dict[str, str] | None]] = [(server.base + p, None) for p in pages]
    # Each URL once before the window: the steady state of a popular set, not its first minute, is measured.
    measure.warm_up(urls + sparql)
    result = {"sparql": asdict(measure.repeated_throughput(sparql, 8, seconds=args.seconds))}
    if pages:
        result["pages"] = asdict(measure.repeated_throughput(urls + sparql, 8, seconds=args.seconds))
    for t in result.values():
        t["per_second"] = t["completed"] / t["seconds"]
    return result


def _server_figures(server: servers.Server) -> dict[str, Any]:
    return {
        "ready_s": server.ready_seconds,
        "first_answer_s": server.first_answer_seconds,
    }


def _memory(server: servers.Server) -> dict[str, float]:
    server.memory.stop()
    return {
        "peak_rss_mb": server.memory.peak_rss_mb,
        "peak_tree_rss_mb": server.memory.peak_tree_rss_mb,
        "peak_tree_pss_mb": server.memory.peak_tree_pss_mb,
    }


def bench_scale(scale: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    log(f"scale {scale}: generating")
    data = work / f"data-{scale}"
    shutil.rmtree(data, ignore_errors=True)
    counts = generate(scale, data)
    companies = counts["organisations"] - 4 * counts["jurisdictions"]
    queries = query_mix(companies)
    result: dict[str, Any] = {"scale": scale, "records": counts, "servers": {}, "guard_ms": _guard_costs(queries)}
    log(f"scale {scale}: building")
    store = work / f"store-{scale}" / "store"
    result["build"] = _build(data, store, args.build_runs)
    log(f"scale {scale}: built {result['build']['quads']} quads in {result['build']['seconds']:.1f} s")
    nquads = work / f"data-{scale}.nq"
    ox.Store.read_only(str(store.resolve())).dump(str(nquads), format=ox.RdfFormat.N_QUADS)
    location = work / f"oxigraph-{scale}"
    load = servers.oxigraph_load(nquads, location)
    if load.returncode != 0:
        raise RuntimeError(f"oxigraph load failed:\n{load.output[-3000:]}")
    result["oxigraph_load"] = {"seconds": load.seconds, "peak_rss_mb": load.peak_rss_mb}

    contexts: list[tuple[str, Callable[[], AbstractContextManager[servers.Server]]]] = [
        ("techcurbs", lambda: servers.techcurbs(store, work / f"techcurbs-{scale}.log")),
        ("oxigraph", lambda: servers.oxigraph(location, work / f"oxigraph-{scale}.log")),
    ]
    if scale <= args.rdflib_max:
        contexts.append(("rdflib-endpoint", lambda: servers.rdflib_endpoint(nquads, work / f"rdflib-{scale}.log")))
    else:
        result["skipped"] = {"rdflib-endpoint": f"not run above {args.rdflib_max} triples (--rdflib-max)"}
    for name, start in contexts:
        log(f"scale {scale}: {name}")
        slow = name == "rdflib-endpoint"
        with start() as server:
            figures = _server_figures(server)
            figures["latency"] = _latencies(server, queries, args, slow)
            small = next(q for q in queries if q.name == BREAKDOWN_QUERY)
            if not slow:
                cost = measure.cpu_per_request(server.process.pid, server.sparql_url, small)
                figures["cpu_per_request"] = asdict(cost)
            if name == "techcurbs":
                # The first explorer pages of a fresh build: everything the explorer derives is read from the store.
                figures["explorer_start"] = measure.first_requests(server.base, START_PAGES)
                figures["cached_ms"] = measure.cached_latency(server.sparql_url, small, reps=args.reps).p50
                figures["explorer"] = []
                for label, path in explorer_paths(companies):
                    lat = measure.page_latency(server.base, label, path, reps=args.reps, budget=args.budget)
                    figures["explorer"].append(
                        {
                            "name": label,
                            "path": path,
                            "p50_ms": lat.p50,
                            "p95_ms": lat.p95,
                            "first_ms": lat.first_ms,
                            "n": len(lat.times_ms),
                            "error": lat.error,
                        }
                    )
            figures["throughput"] = _throughputs(server, queries, args, slow)
            if not slow:
                pages = popular_pages(companies) if name == "techcurbs" else []
                figures["repeated"] = _repeated(server, queries, pages, args)
            figures["memory"] = _memory(server)
        result["servers"][name] = figures
        log(f"scale {scale}: {name} done, ready in {figures['ready_s']:.2f} s")
    log(f"scale {scale}: where a small query's time goes")
    small = next(q for q in queries if q.name == BREAKDOWN_QUERY)
    result["breakdown"] = {"query": small.name, "us": breakdown(store, small.text)}
    log(f"scale {scale}: techcurbs with answers up to {LARGE_ENTRY_MB} MiB kept")
    with servers.techcurbs(store, work / f"techcurbs-{scale}-large.log", settings=LARGE_ENTRIES) as server:
        # A restart on the same build: the explorer loads what the first server kept (api.explorer.snapshots).
        result["explorer_restart"] = measure.first_requests(server.base, START_PAGES)
        result["repeated_large_entries"] = _repeated(server, queries, [], args)["sparql"]
    nquads.unlink(missing_ok=True)
    return result


def _first_renders(base: str, entities: list[str]) -> list[dict[str, Any]]:
    """Status and seconds of the first request of each network page (the server lays the view out once)."""
    import httpx

    out = []
    for entity in entities:
        start = time.perf_counter()
        response = httpx.get(f"{base}/network?entity={entity}&depth=1", timeout=300)
        out.append({"status": response.status_code, "seconds": time.perf_counter() - start})
    return out


def bench_browser(work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Network pages of hubs in headless Chromium, on the project as installed and, if given, with extra packages.

    The server lays out views of 500 nodes or more with networkx's sparse spring layout, which imports scipy; the
    project does not depend on scipy, so `--extra-path` (a `pip install --target` directory holding scipy, made by
    `make bench`) shows what the page costs once that is fixed. The first request of each page is timed on its
    own (the layout is computed then and kept); the browser visits that follow are answered from that drawing.
    """
    import httpx

    from benchmarks.browser import time_network_pages

    log("browser: generating hubs of " + ", ".join(map(str, HUBS)) + " nodes")
    data = work / "data-hubs"
    shutil.rmtree(data, ignore_errors=True)
    generate(10_000, data, hubs=HUBS)
    store = work / "store-hubs" / "store"
    build = _build(data, store)
    entities = [hub_id(n) for n in HUBS]
    result: dict[str, Any] = {"quads": build["quads"]}
    variants = [("as installed", None)]
    if args.extra_path is not None and args.extra_path.is_dir():
        variants.append(("with scipy on PYTHONPATH", args.extra_path))
    result["variants"] = []
    for label, extra in variants:
        log(f"browser: {label}")
        with servers.techcurbs(store, work / "techcurbs-hubs.log", extra_path=extra) as server:
            # The network projection is built once per server, by whichever view comes first.
            httpx.get(f"{server.base}/api/search?q=hub", timeout=300).raise_for_status()
            httpx.get(f"{server.base}/api/entity/{entities[0]}", timeout=300).raise_for_status()
            first = _first_renders(server.base, entities)
            ok = [e for e, f in zip(entities, first, strict=True) if f["status"] == 200]
            timings = {t.url: t for t in time_network_pages(server.base, ok, runs=args.browser_runs)}
        pages = []
        for n, entity, f in zip(HUBS, entities, first, strict=True):
            t = timings.get(f"/network?entity={entity}&depth=1")
            row: dict[str, Any] = {
                "hub_nodes": n,
                "url": f"/network?entity={entity}&depth=1",
                "first_status": f["status"],
                "first_render_s": f["seconds"],
            }
            if t is not None:
                row.update(
                    {
                        **asdict(t),
                        "ready_p50_ms": t.ready_p50,
                        "expand_p50_ms": t.expand_p50,
                        "total_p50_ms": t.total_p50,
                    }
                )
            pages.append(row)
        result["variants"].append({"label": label, "pages": pages})
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--seconds", type=float, default=4.0, help="length of each throughput window")
    parser.add_argument("--reps", type=int, default=15, help="most timed requests per query")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds of timed requests per query, at most")
    parser.add_argument("--rdflib-max", type=int, default=100_000, help="largest scale rdflib-endpoint runs at")
    parser.add_argument("--rdflib-timeout", type=float, default=30.0, help="seconds an rdflib request may take")
    parser.add_argument("--browser-runs", type=int, default=5)
    parser.add_argument("--build-runs", type=int, default=3, help="builds per scale (the median is reported)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument(
        "--extra-path",
        type=Path,
        default=SCRATCH / "scipy",
        help="directory put on the browser server's PYTHONPATH as a second variant (scipy)",
    )
    parser.add_argument("--work", type=Path, default=SCRATCH, help="scratch directory")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    results: dict[str, Any] = {
        "command": command.strip(),
        "machine": {
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
            "platform": platform.platform(),
        },
        "settings": {
            "techcurbs_env": servers.TECHCURBS_ENV,
            "seconds": args.seconds,
            "clients": args.clients,
            "reps": args.reps,
            "budget": args.budget,
        },
        "scales": [],
    }
    started = time.perf_counter()
    for scale in args.scales:
        results["scales"].append(bench_scale(scale, args.work, args))
    if not args.no_browser:
        results["browser"] = bench_browser(args.work, args)
    results["wall_seconds"] = time.perf_counter() - started
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    summary = render(results, args.out)
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
