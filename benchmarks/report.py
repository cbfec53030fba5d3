"""Rendering the raw results: a Markdown report, a plot, and each target as measured against its bound.

"Mix p50" is the median, over the queries of the mix, of each query's median latency; ratios compare servers
on the same data and the same queries.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from pathlib import Path
from typing import Any

SERVERS = ("techcurbs", "oxigraph", "rdflib-endpoint")
# The layers of benchmarks.breakdown, each adding to the one before it.
LAYERS = (
    ("engine", "Oxigraph evaluates and serialises (no HTTP)"),
    ("worker", "+ the guard and this project's writers (the worker's whole job)"),
    ("round_trip", "+ the hop to a worker process and back"),
    ("app", "+ routing, middleware, parameters, answer cache (ASGI in process)"),
)
GIB_MB = 1024.0


def mix_p50(figures: dict[str, Any], less: dict[str, float] | None = None) -> float:
    """Median over the queries of each one's p50; `less` takes a cost per query off first (an estimate)."""
    less = less or {}
    values = [
        max(q["p50_ms"] - less.get(q["query"], 0.0), 0.0)
        for q in figures["latency"]
        if not q["error"] and not math.isnan(q["p50_ms"])
    ]
    return statistics.median(values) if values else float("nan")


def _fmt(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def mix_total(figures: dict[str, Any]) -> float:
    """The sum of the queries' p50s: one pass over the whole mix, one query at a time."""
    values = [q["p50_ms"] for q in figures["latency"]]
    return float("nan") if any(q["error"] for q in figures["latency"]) else sum(values)


def geomean_ratio(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Geometric mean over the queries of a's p50 divided by b's."""
    bq = {q["query"]: q for q in b["latency"]}
    logs = [
        math.log(q["p50_ms"] / bq[q["query"]]["p50_ms"])
        for q in a["latency"]
        if not q["error"] and not bq[q["query"]]["error"] and bq[q["query"]]["p50_ms"] > 0
    ]
    return math.exp(sum(logs) / len(logs)) if logs else float("nan")


def _median(values: list[float] | None) -> float:
    return statistics.median(values) if values else float("nan")


def _met(met: bool | None) -> str:
    return "–" if met is None else "yes" if met else "NO"


def _scale_name(scale: int) -> str:
    return f"10^{round(math.log10(scale))}" if scale > 0 and 10 ** round(math.log10(scale)) == scale else str(scale)


def targets(results: dict[str, Any]) -> list[tuple[str, str, str, bool | None]]:
    """(target, measured, bound, met) for every target the run could measure."""
    rows: list[tuple[str, str, str, bool | None]] = []
    for s in results["scales"]:
        name = _scale_name(s["scale"])
        tc, ox = s["servers"].get("techcurbs"), s["servers"].get("oxigraph")
        if tc and ox:
            ratio = mix_p50(tc) / mix_p50(ox)
            rows.append((f"mix p50 vs Oxigraph at {name}", f"{ratio:.2f}x", "≤ 1.5x", ratio <= 1.5))
            rows.append(
                (
                    f"  (also) whole mix once, sum of p50s, at {name}",
                    f"{mix_total(tc) / mix_total(ox):.2f}x",
                    "≤ 1.5x",
                    None,
                )
            )
            rows.append(
                (
                    f"  (also) geometric mean of per-query ratios at {name}",
                    f"{geomean_ratio(tc, ox):.2f}x",
                    "≤ 1.5x",
                    None,
                )
            )
            if s.get("guard_ms"):
                less = mix_p50(tc, s["guard_ms"]) / mix_p50(ox)
                rows.append(
                    (f"  (estimate) the same less the guard's inspection at {name}", f"{less:.2f}x", "≤ 1.5x", None)
                )
        rl = s["servers"].get("rdflib-endpoint")
        if tc and rl and s["scale"] == 100_000:
            speedup = mix_p50(rl) / mix_p50(tc)
            rows.append((f"speed-up over rdflib-endpoint at {name}", f"{speedup:.1f}x", "≥ 20x", speedup >= 20))
            rows.append(
                (
                    f"  (also) whole mix once, sum of p50s, at {name}",
                    f"{mix_total(rl) / mix_total(tc):.1f}x",
                    "≥ 20x",
                    None,
                )
            )
            rows.append(
                (
                    f"  (also) geometric mean of per-query speed-ups at {name}",
                    f"{1 / geomean_ratio(tc, rl):.1f}x",
                    "≥ 20x",
                    None,
                )
            )
        if s["scale"] == 1_000_000:
            build = s["build"]["seconds"]
            runs = s["build"].get("runs_s", [build])
            spread = f" (median of {len(runs)}: {', '.join(f'{r:.0f}' for r in runs)})" if len(runs) > 1 else ""
            rows.append((f"build 10^6 triples{spread}", f"{build:.1f} s", "≤ 60 s", build <= 60))
            if tc:
                pss = tc["memory"]["peak_tree_pss_mb"]
                rows.append(
                    ("server memory at 10^6 (PSS of the process tree)", f"{pss:.0f} MiB", "< 1024 MiB", pss < GIB_MB)
                )
        if tc:
            ready = tc["ready_s"]
            rows.append((f"ready on a built store at {name} (/healthz)", f"{ready:.2f} s", "< 2 s", ready < 2))
            for label, firsts in (
                ("a fresh build", tc.get("explorer_start")),
                ("a restart, from the snapshots", s.get("explorer_restart")),
            ):
                if firsts:
                    seconds = " / ".join(
                        f"{f['seconds']:.2f}" if f["status"] == 200 else f"HTTP {f['status']}" for f in firsts
                    )
                    what = f"  (also) first home page / entity page after {label} at {name}"
                    rows.append((what, f"{seconds} s", "< 2 s", None))
        if tc and ox and "repeated" in tc and "repeated" in ox:
            ratio = tc["repeated"]["sparql"]["per_second"] / max(ox["repeated"]["sparql"]["per_second"], 1e-9)
            rows.append((f"repeated workload vs Oxigraph at {name}", f"{ratio:.2f}x", "≥ 2x", ratio >= 2))
            large = s.get("repeated_large_entries")
            if large:
                ratio = large["per_second"] / max(ox["repeated"]["sparql"]["per_second"], 1e-9)
                rows.append(
                    (f"  (also) with answers up to 64 MiB cached (a setting) at {name}", f"{ratio:.2f}x", "≥ 2x", None)
                )
    for variant in results.get("browser", {}).get("variants", []):
        for page in variant["pages"]:
            if page["hub_nodes"] != 2000:
                continue
            what = f"2,000-node network interactive, {variant['label']}"
            if page["first_status"] != 200 or math.isnan(page.get("total_p50_ms", float("nan"))):
                rows.append((what, f"HTTP {page['first_status']}", "< 3 s", False))
                continue
            total = page["total_p50_ms"] / 1000
            rows.append((f"{what}: browser, layout already made", f"{total:.2f} s", "< 3 s", total < 3))
            first = page["first_render_s"] + total
            rows.append((f"{what}: first visit (server layout + browser)", f"{first:.2f} s", "< 3 s", first < 3))
    return rows


def _latency_table(s: dict[str, Any]) -> list[str]:
    present = [n for n in SERVERS if n in s["servers"]]
    head = (
        "| query | rows | " + " | ".join(f"{n} p50 / p95 ms" for n in present) + " | techcurbs / oxigraph | guard ms |"
    )
    lines = [head, "|" + "---|" * (len(present) + 4)]
    guard = s.get("guard_ms", {})
    by = {n: {q["query"]: q for q in s["servers"][n]["latency"]} for n in present}
    for q in s["servers"][present[0]]["latency"]:
        name = q["query"]
        cells = []
        for n in present:
            row = by[n][name]
            cells.append(row["error"] or f"{_fmt(row['p50_ms'])} / {_fmt(row['p95_ms'])}")
        tc, ox = by.get("techcurbs", {}).get(name), by.get("oxigraph", {}).get(name)
        ratio = tc["p50_ms"] / ox["p50_ms"] if tc and ox and ox["p50_ms"] else float("nan")
        rows = q["rows"] if q["rows"] is not None else "–"
        lines.append(f"| {name} | {rows} | " + " | ".join(cells) + f" | {_fmt(ratio, 2)}x | {_fmt(guard.get(name))} |")
    mix = " | ".join(_fmt(mix_p50(s["servers"][n])) for n in present)
    lines.append(f"| **mix p50** (median of the p50s) | | {mix} | | |")
    total = " | ".join(_fmt(mix_total(s["servers"][n])) for n in present)
    lines.append(f"| **whole mix once** (sum of the p50s) | | {total} | | |")
    return lines


def _server_table(s: dict[str, Any]) -> list[str]:
    present = [n for n in SERVERS if n in s["servers"]]
    clients = [t["clients"] for t in s["servers"][present[0]]["throughput"]]
    head = (
        "| server | build/load s | build/load peak MiB | ready s | first answer s | "
        + " | ".join(f"mix req/s @{c}" for c in clients)
        + " | repeated req/s @8 | peak RSS MiB (main / tree) | peak PSS MiB (tree) |"
    )
    lines = [head, "|" + "---|" * (len(clients) + 8)]
    for n in present:
        f = s["servers"][n]
        if n == "techcurbs":
            load, peak = s["build"]["seconds"], s["build"]["peak_rss_mb"]
        elif n == "oxigraph":
            load, peak = s["oxigraph_load"]["seconds"], s["oxigraph_load"]["peak_rss_mb"]
        else:
            load, peak = None, None
        tput = " | ".join(
            f"{t['per_second']:.1f}"
            + (f" ({', '.join(f'{c} × {k}' for k, c in t.get('error_kinds', {}).items())})" if t["errors"] else "")
            for t in f["throughput"]
        )
        rep = f.get("repeated", {}).get("sparql")
        repeated = f"{rep['per_second']:.0f}" if rep else "–"
        m = f["memory"]
        lines.append(
            f"| {n} | {_fmt(load)} | {_fmt(peak, 0)} | {_fmt(f['ready_s'], 2)} | {_fmt(f['first_answer_s'], 2)} | "
            f"{tput} | {repeated} | {m['peak_rss_mb']:.0f} / {m['peak_tree_rss_mb']:.0f} | "
            f"{m['peak_tree_pss_mb']:.0f} |"
        )
    return lines


def _breakdown_table(s: dict[str, Any]) -> list[str]:
    """Where the time of one small query goes, layer by layer, beside the HTTP figures of both servers."""
    found = s.get("breakdown")
    if not found:
        return []
    name = found["query"]
    http = {
        server: next((q["p50_ms"] for q in figures["latency"] if q["query"] == name and not q["error"]), None)
        for server, figures in s["servers"].items()
    }
    lines = [
        "",
        f"Where the time of `{name}` goes in this project's server (medians, in process, each layer adding to the "
        "one above):",
        "",
        "| layer | µs |",
        "|---|---|",
    ]
    lines += [f"| {label} | {_fmt(found['us'][key], 0)} |" for key, label in LAYERS]
    ours = _fmt(_us(http.get("techcurbs")), 0)
    lines.append(f"| + the HTTP server and the client (this project over HTTP) | {ours} |")
    lines.append(f"| the Oxigraph server over HTTP, for comparison | {_fmt(_us(http.get('oxigraph')), 0)} |")
    cached = s["servers"].get("techcurbs", {}).get("cached_ms")
    if cached is not None:
        label = "this project's answer cache over HTTP (the same query again: nothing evaluated)"
        lines.append(f"| {label} | {_fmt(_us(cached), 0)} |")
    costs = {n: f["cpu_per_request"] for n, f in s["servers"].items() if f.get("cpu_per_request")}
    if costs:
        requests = next(iter(costs.values()))["requests"]
        lines += [
            "",
            f"CPU time one `{name}` request costs, over {requests} sent one at a time (user and system, ms):",
            "",
            "| server | server process | its child processes | the client (httpx) |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {n} | {_fmt(c['main_ms'], 2)} | {_fmt(c['children_ms'], 2)} | {_fmt(c['client_ms'], 2)} |"
            for n, c in costs.items()
        ]
    return lines


def _us(ms: float | None) -> float | None:
    return None if ms is None else ms * 1000


def markdown(results: dict[str, Any]) -> str:
    out = [
        "# Benchmark results",
        "",
        f"Produced by `{results['command']}` in {results['wall_seconds'] / 60:.1f} min on "
        f"{results['machine']['cpus']} CPUs ({results['machine']['platform']}, Python {results['machine']['python']}), "
        "a machine shared with other jobs: timings are medians of repeated requests and still noisy.",
        "",
        "Latency: each query sent by GET `?query=` one at a time with a numbered comment of its own, so no answer "
        "cache serves it; p50/p95 over up to "
        f"{results['settings']['reps']} requests after a warm-up (fewer when a query is slow), from httpx, as a "
        "Python tool would send them. Throughput: the mix sent by N concurrent clients for "
        f"{results['settings']['seconds']:g} s each, from aiohttp (a lighter client, so that the servers and not "
        "the client set the pace; it shares the machine all the same). Repeated: the example and entity-page "
        "queries sent unchanged by 8 clients. "
        f"This project's server runs with `{results['settings']['techcurbs_env']}` because every benchmark client "
        "is 127.0.0.1; its memory counts the server and its SPARQL worker processes.",
        "",
        "## Targets",
        "",
        "| target | measured | bound | met |",
        "|---|---|---|---|",
    ]
    for name, measured, bound, met in targets(results):
        out.append(f"| {name} | {measured} | {bound} | {_met(met)} |")
    for s in results["scales"]:
        name = _scale_name(s["scale"])
        out += ["", f"## {name} triples ({s['build']['quads']:,} quads built)", ""]
        out += _server_table(s)
        out += ["", *_latency_table(s)]
        tc = s["servers"].get("techcurbs", {})
        if tc.get("explorer"):
            out += [
                "",
                "This project's JSON views (no other server has them), never cached:",
                "",
                "| view | first request ms | p50 / p95 ms |",
                "|---|---|---|",
            ]
            out += [
                f"| `{e['path']}` | {_fmt(e.get('first_ms'), 0)} | "
                f"{e['error'] or _fmt(e['p50_ms']) + ' / ' + _fmt(e['p95_ms'])} |"
                for e in tc["explorer"]
            ]
        out += _breakdown_table(s)
        if tc.get("repeated", {}).get("pages"):
            out += [
                "",
                f"Repeated popular pages plus queries on this project: "
                f"{tc['repeated']['pages']['per_second']:.0f} req/s at 8 clients.",
            ]
        if s.get("repeated_large_entries"):
            out += [
                "",
                f"Repeated queries on this project with `TECHCURBS_ANSWER_CACHE_ENTRY_BYTES` at 64 MiB: "
                f"{s['repeated_large_entries']['per_second']:.0f} req/s at 8 clients.",
            ]
        for server, why in s.get("skipped", {}).items():
            out += ["", f"{server}: {why}."]
    if "browser" in results:
        out += [
            "",
            f"## Network page in headless Chromium ({results['browser']['quads']:,} quads with hubs)",
            "",
            "*first render*: the first request of the page (the server computes the layout then and keeps it). "
            "Then medians over fresh browser contexts: *ready* is navigation start to `#graph[data-ready=true]` "
            '(first `afterDrawing`, with neighbours beyond 10 folded into "+N more"); *show all* is a click '
            'on "Show all N nodes" until two animation frames have passed.',
            "",
        ]
        for variant in results["browser"]["variants"]:
            out += [
                f"### {variant['label']}",
                "",
                "| view | first render | nodes first drawn | nodes after show all | edges | HTML received ms "
                "| DOMContentLoaded ms | ready ms | show all ms | total ms |",
                "|---|---|---|---|---|---|---|---|---|---|",
            ]
            for p in variant["pages"]:
                first = f"HTTP {p['first_status']}, {p['first_render_s']:.2f} s"
                if "ready_ms" not in p:
                    out.append(f"| `{p['url']}` | {first} | – | – | – | – | – | – | – | – |")
                    continue
                out.append(
                    f"| `{p['url']}` | {first} | {p['nodes_first']} | {p['nodes_all']} | {p['edges_all']} | "
                    f"{_fmt(_median(p.get('response_end_ms')), 0)} | {_fmt(_median(p.get('dom_loaded_ms')), 0)} | "
                    f"{_fmt(p['ready_p50_ms'], 0)} | {_fmt(p['expand_p50_ms'], 0)} | "
                    f"{_fmt(p['total_p50_ms'], 0)} |" + (f" {p['error']}" if p["error"] else "")
                )
            out.append("")
    return "\n".join(out) + "\n"


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = results["scales"]
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for server in SERVERS:
        xs = [s["scale"] for s in scales if server in s["servers"]]
        ys = [mix_p50(s["servers"][server]) for s in scales if server in s["servers"]]
        if xs:
            axes[0].plot(xs, ys, marker="o", label=server)
    axes[0].set(
        xscale="log",
        yscale="log",
        xlabel="triples",
        ylabel="mix p50 latency (ms)",
        title="Query mix latency (lower is better)",
    )
    axes[0].legend()
    width = 0.8 / max(len(SERVERS), 1)
    last = scales[-1]
    clients = [t["clients"] for t in next(iter(last["servers"].values()))["throughput"]]
    for i, server in enumerate(SERVERS):
        if server in last["servers"]:
            values = [t["per_second"] for t in last["servers"][server]["throughput"]]
            axes[1].bar([c + (i - 1) * width for c in range(len(clients))], values, width, label=server)
    axes[1].set(
        xticks=range(len(clients)),
        xticklabels=[str(c) for c in clients],
        xlabel="concurrent clients",
        ylabel="requests/s",
        title=f"Mix throughput at {_scale_name(last['scale'])} triples",
    )
    axes[1].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def render(results: dict[str, Any], out: Path) -> str:
    """Write results.md and results.png; return the targets as text for the terminal."""
    (out / "results.md").write_text(markdown(results), encoding="utf-8")
    plot(results, out / "results.png")
    lines = [f"{'target':<64}{'measured':<12}{'bound':<11}met"]
    for name, measured, bound, met in targets(results):
        lines.append(f"{name:<64}{measured:<12}{bound:<11}{_met(met)}")
    return "\n".join(lines)


if __name__ == "__main__":
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "results"
    print(render(json.loads((directory / "results.json").read_text(encoding="utf-8")), directory))
